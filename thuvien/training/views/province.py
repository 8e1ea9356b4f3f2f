"""The department's province dashboard, its drill-down (Sở → office → school → person) and its
XLSX export. Offices see their subtree the same way; a principal sees his school's people."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from thuvien.access import Action, Scope, allowed_ids, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.core.spreadsheets import xlsx_response
from thuvien.core.templatetags.numbers import group_thousands
from thuvien.organisations.models import Unit
from thuvien.training import dashboard
from thuvien.training.dashboard.workbook import progress_workbook
from thuvien.training.models import Enrolment

PAGE = "training/progress.html"
ROWS_PER_PAGE = 50  # units (or people) of the table; the XLSX has them all
PENDING_PER_PAGE = 50  # names in "Not submitted yet"
PENDING_TARGET = "not-submitted"  # htmx asking for that list's next page gets it alone


def _breadcrumbs(request: HttpRequest, unit: Unit) -> list[Unit]:
    """From the scope's own unit down to `unit` (which the dashboard found in scope)."""
    ids = [*unit.ancestor_ids(), unit.pk]
    rows = Unit.objects.visible_to(scope_for(request)).filter(pk__in=ids)
    return list(rows.order_by("depth"))


def _evaluable(scope: Scope, report: dashboard.Progress) -> set[int]:
    """The people's records the scope may open to evaluate (the record's policy: a principal,
    at his school); supervisors see the figures only."""
    if not report.unit.is_school:
        return set()
    rows = Enrolment.objects.filter(campaign=report.campaign, school=report.unit)
    return allowed_ids(rows, scope, Action.EVALUATE_TRAINING)


def _pager(request: HttpRequest, rows: Any, per_page: int, param: str) -> dict[str, Any]:
    """A page of `rows` chosen by `?<param>=`, with the links to its neighbours (the other
    list's page kept)."""
    page: Page[Any] = Paginator(rows, per_page).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def _count_cells(rows: list[dashboard.Row]) -> list[tuple[dashboard.Row, str]]:
    """Each unit row with its count cells as one string: a dozen integers a row, written here
    rather than by a dozen template tags a row, grouped in thousands the language's way (15.067 in
    Vietnamese, 15,067 in English)."""
    shown: list[tuple[dashboard.Row, str]] = []
    for row in rows:
        counts = [getattr(row.figures, name) for name in dashboard.Figures.COUNTS]
        counts += [count for _label, count in row.grade_counts]
        cells = "".join(f"<td>{group_thousands(int(count))}</td>" for count in counts)
        shown.append((row, mark_safe(cells)))  # integers only: nothing to escape
    return shown


@requires(Action.VIEW_TRAINING)
@require_GET
def progress(request: HttpRequest, campaign_id: int, unit_id: int | None = None) -> HttpResponse:
    scope = scope_for(request)
    report = dashboard.progress_in_scope(scope, campaign_id, unit_id)
    rows = _pager(request, report.rows, ROWS_PER_PAGE, "page")
    if not report.people:
        rows["shown"] = _count_cells(rows["page"].object_list)
    pending = _pager(request, report.pending, PENDING_PER_PAGE, "pending")
    context: dict[str, Any] = {
        "progress": report,
        "campaign": report.campaign,
        "unit": report.unit,
        "crumbs": _breadcrumbs(request, report.unit),
        "evaluable": _evaluable(scope, report),
        "rows": rows,
        "pending": pending,
        "pending_groups": dashboard.pending_groups(pending["page"].object_list),
        # Drill-down links are this prefix and a unit id: one reverse() for thousands of links.
        "drill_base": reverse("training:progress", args=[report.campaign.pk]),
    }
    htmx = getattr(request, "htmx", None)
    partial = "pending" if htmx and htmx.target == PENDING_TARGET else "table"
    return render_page_or_partial(request, PAGE, partial, context)


@requires(Action.VIEW_TRAINING)
@require_GET
def progress_xlsx(
    request: HttpRequest, campaign_id: int, unit_id: int | None = None
) -> HttpResponse:
    report = dashboard.progress_in_scope(scope_for(request), campaign_id, unit_id)
    filename = f"tien-do-tu-boi-duong-{report.campaign.pk}-{report.unit.pk}.xlsx"
    return xlsx_response(progress_workbook(report), filename)


urlpatterns: list[URLPattern] = [
    path("campaigns/<int:campaign_id>/progress/", progress, name="progress"),
    path("campaigns/<int:campaign_id>/progress.xlsx", progress_xlsx, name="progress_xlsx"),
    path("campaigns/<int:campaign_id>/progress/<int:unit_id>/", progress, name="progress_unit"),
    path(
        "campaigns/<int:campaign_id>/progress/<int:unit_id>.xlsx",
        progress_xlsx,
        name="progress_unit_xlsx",
    ),
]
