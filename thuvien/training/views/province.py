"""The department's province dashboard, its drill-down (Sở → office → school → person) and its
XLSX export. Offices see their subtree the same way; a principal sees his school's people."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thuvien.access import Action, Scope, allowed_ids, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.core.spreadsheets import xlsx_response
from thuvien.organisations.models import Unit, UnitKind
from thuvien.training import dashboard
from thuvien.training.models import Enrolment

PAGE = "training/progress.html"


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


@requires(Action.VIEW_TRAINING)
@require_GET
def progress(request: HttpRequest, campaign_id: int, unit_id: int | None = None) -> HttpResponse:
    scope = scope_for(request)
    report = dashboard.progress_in_scope(scope, campaign_id, unit_id)
    context: dict[str, Any] = {
        "progress": report,
        "campaign": report.campaign,
        "unit": report.unit,
        "crumbs": _breadcrumbs(request, report.unit),
        "evaluable": _evaluable(scope, report),
        # Drill-down links are this prefix and a unit id: one reverse() for thousands of links.
        "drill_base": reverse("training:progress", args=[report.campaign.pk]),
    }
    return render_page_or_partial(request, PAGE, "table", context)


@requires(Action.VIEW_TRAINING)
@require_GET
def progress_xlsx(
    request: HttpRequest, campaign_id: int, unit_id: int | None = None
) -> HttpResponse:
    report = dashboard.progress_in_scope(scope_for(request), campaign_id, unit_id)
    filename = f"tien-do-tu-boi-duong-{report.campaign.pk}-{report.unit.pk}.xlsx"
    return xlsx_response(workbook(report), filename)


def workbook(report: dashboard.Progress) -> bytes:
    """The dashboard's table (with totals), the units not submitted yet, grades and topics."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    table = book.active
    assert table is not None
    table.title = _("Progress")[:31]
    grades = [bucket.label for bucket in report.buckets]
    table.append([report.campaign.subject])
    table.append([report.unit.name, _("on %(date)s") % {"date": f"{report.day:%d/%m/%Y}"}])
    first = _("Name") if report.people else _("Unit")
    table.append([first, *_count_headers(), *grades, _("Status"), _("Sent to"), _("Sent on")])
    for row in report.rows:
        table.append(
            [row.name, *_counts(row.figures), *[n for _label, n in row.grade_counts], *_status(row)]
        )
        table.cell(table.max_row, table.max_column).number_format = "DD/MM/YYYY HH:MM"
    total = [report.totals.grades[bucket.code] for bucket in report.buckets]
    table.append([_("Total"), *_counts(report.totals), *total])
    for cell in (*table[3], *table[table.max_row]):
        cell.font = Font(bold=True)
    table.column_dimensions["A"].width = 45
    table.freeze_panes = "B4"
    pending = book.create_sheet(_("Not submitted")[:31])
    pending.append([_("Unit"), _("Kind"), _("Status")])
    kinds = dict(UnitKind.choices)
    for unit in report.pending:
        pending.append([unit.name, str(kinds.get(unit.kind, unit.kind)), unit.status_label])
    pending.column_dimensions["A"].width = 45
    summary = book.create_sheet(_("Grades and topics")[:31])
    summary.append([_("Grade"), _("People")])
    for bucket, count in report.total_grades:
        summary.append([bucket.label, count])
    summary.append([])
    summary.append([_("Topic"), _("People")])
    for title, count in report.total_topics:
        summary.append([title, count])
    summary.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count_headers() -> list[str]:
    return [
        _("Expected"),
        _("Submitted"),
        _("On time"),
        _("Late"),
        _("Missing"),
        _("Evaluated"),
        _("Passed"),
    ]


def _counts(figures: dashboard.Figures) -> list[int]:
    return [getattr(figures, name) for name in dashboard.Figures.COUNTS]


def _status(row: dashboard.Row) -> list[Any]:
    if row.kind == "person":
        return [row.status_label, "", ""]
    sent = row.submission
    if sent is None:
        return ["", "", ""]
    label = _("%(status)s (late)") % {"status": sent.label} if sent.late else sent.label
    when = timezone.localtime(sent.submitted_at).replace(tzinfo=None) if sent.submitted_at else ""
    return [label, sent.submitted_to, when]


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
