"""The overview of the libraries' levels, for an office or the department: the table by child
unit and by tier with bar charts drawn on the server (no script, no CDN), the years, the schools
one criterion away, the criteria that hold most schools back; drill down to an office, then to a
school's self-assessment; XLSX of the same tables. Kept in the cache under the window's and the
tree's data versions, as the training dashboard is (`thuvien.core.versions`)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thuvien.access import Action, Scope, get_scoped_or_404, requires, scope_for
from thuvien.core import versions
from thuvien.core.cells import append_row, new_workbook, workbook_bytes
from thuvien.core.spreadsheets import xlsx_response
from thuvien.core.templatetags.numbers import group_thousands
from thuvien.organisations.models import TREE_VERSION, Unit, UnitKind
from thuvien.standards.models import AssessmentWindow
from thuvien.standards.overview import Line, Overview, overview
from thuvien.standards.versions import window_version

KEEP_SECONDS = 15 * 60  # the versions keep it right; this only bounds the memory
BAR_WIDTH = 300  # px of a full bar (every school of the row)
ROWS_PER_PAGE = 50  # units of the table; the XLSX has them all
NEAR_SHOWN = 50  # schools one criterion away listed on the page; the XLSX has them all


def _report(request: HttpRequest, unit_id: int | None) -> Overview:
    scope = scope_for(request)
    assert scope.unit is not None  # a role that recognises has a unit
    units = Unit.objects.filter(kind__in=(UnitKind.DEPARTMENT, UnitKind.OFFICE))
    unit = get_scoped_or_404(units, scope, pk=unit_id or scope.unit.pk)
    windows = AssessmentWindow.objects.visible_to(scope).select_related(
        "framework_version", "issuer", "target"
    )
    chosen = request.GET.get("window", "")
    window = (
        get_scoped_or_404(windows, scope, pk=int(chosen))
        if chosen.isdigit()
        else windows.order_by("-year", "-opens_on").first()
    )
    if window is None:
        raise Http404(_("No self-assessment window has been opened yet."))
    key = _cache_key(scope, unit, window)
    kept = cache.get(key)
    if isinstance(kept, Overview):
        return kept
    report = overview(scope, unit, window)
    cache.set(key, report, KEEP_SECONDS)
    return report


def _cache_key(scope: Scope, unit: Unit, window: AssessmentWindow) -> str:
    """What the overview depends on: the window's data and the tree (their versions), the
    viewer (nothing computed for one scope is shown to another) and the language (the labels)."""
    data, tree = versions.tokens(window_version(window.pk), TREE_VERSION)
    viewer = f"{scope.role}:{scope.unit.pk if scope.unit else ''}:{scope.user_id}"
    return f"standards.overview:{window.pk}:{unit.pk}:{viewer}:{get_language()}:{data}:{tree}"


def _bars(line: Line, codes: list[str]) -> list[tuple[str, int, int, int]]:
    """(code, schools, x, width) of each segment of the row's stacked bar."""
    total = line.total or 1
    x, bars = 0, []
    for code in codes:
        count = line.counts[code]
        width = round(BAR_WIDTH * count / total)
        bars.append((code, count, x, width))
        x += width
    return bars


def _cells(line: Line, codes: list[str]) -> str:
    """A row's count cells as one string (a dozen integers a row, hundreds of rows: written here
    rather than by a template filter a cell), grouped in thousands the language's way."""
    cells = "".join(f"<td>{group_thousands(line.counts[code])}</td>" for code in codes)
    return mark_safe(cells + f"<td>{group_thousands(line.total)}</td>")  # integers only


def _shown(lines: list[Line], codes: list[str]) -> list[tuple[Line, str, Any]]:
    return [(line, _cells(line, codes), _bars(line, codes)) for line in lines]


@requires(Action.RECOGNISE_LIBRARIES)
@require_GET
def overview_page(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    report = _report(request, unit_id)
    codes = [column.code for column in report.columns]
    windows = AssessmentWindow.objects.visible_to(scope_for(request)).order_by("-year")
    page = Paginator(report.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "report": report,
        "windows": list(windows),
        "page": page,
        "page_query": query.urlencode(),
        "rows": _shown(list(page.object_list), codes),
        "tiers": _shown(report.tiers, codes),
        "totals": _shown([report.totals], codes)[0],
        "near": report.near[:NEAR_SHOWN],
        "near_more": max(0, len(report.near) - NEAR_SHOWN),
        "bar_width": BAR_WIDTH,
        "codes": codes,
    }
    return render(request, "standards/overview.html", context)


@requires(Action.RECOGNISE_LIBRARIES)
@require_GET
def overview_xlsx(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    report = _report(request, unit_id)
    book = new_workbook()
    header = [_("Unit"), *(column.label for column in report.columns), _("Schools")]
    for title, lines in (
        (_("By unit"), [*report.rows, report.totals]),
        (_("By tier"), report.tiers),
    ):
        sheet = book.create_sheet(title)
        append_row(sheet, header)
        for line in lines:
            counts = [line.counts[column.code] for column in report.columns]
            append_row(sheet, [line.label, *counts, line.total])
    sheet = book.create_sheet(_("Over the years"))
    append_row(sheet, [_("School year"), *(column.label for column in report.year_columns)])
    for line in report.years:
        append_row(sheet, [line.label, *(line.counts[c.code] for c in report.year_columns)])
    sheet = book.create_sheet(_("One criterion away"))
    append_row(sheet, [_("School"), _("Next level"), _("Criterion missing")])
    for near in report.near:
        append_row(sheet, [near.school, near.level, near.criterion])
    name = f"tieu-chuan-thu-vien-{report.window.year}-{report.unit.pk}.xlsx"
    return xlsx_response(workbook_bytes(book), name)


urlpatterns: list[URLPattern] = [
    path("overview/", overview_page, name="overview"),
    path("overview.xlsx", overview_xlsx, name="overview_xlsx"),
    path("overview/<int:unit_id>/", overview_page, name="overview_unit"),
    path("overview/<int:unit_id>.xlsx", overview_xlsx, name="overview_unit_xlsx"),
]
