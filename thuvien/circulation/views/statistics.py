"""The library's statistics for a school year: the school's own, or added up over the schools
an office or the Sở sees, with a line a school; charts on the page, the same as XLSX."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thuvien.access import Action, requires, scope_for
from thuvien.circulation import statistics
from thuvien.core.cells import append_row, new_workbook
from thuvien.core.spreadsheets import xlsx_response
from thuvien.organisations.models import Unit, current_school_year


def _year(request: HttpRequest) -> int:
    wanted = request.GET.get("year", "")
    return (
        int(wanted) if wanted.isdigit() and 2000 <= int(wanted) <= 2100 else current_school_year()
    )


def _schools(request: HttpRequest) -> list[int]:
    return list(Unit.objects.visible_to(scope_for(request)).schools().values_list("pk", flat=True))


@requires(Action.VIEW_LIBRARY_STATS)
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    found = statistics.figures(_schools(request), year)
    context: dict[str, Any] = {
        "figures": found,
        "year": year,
        "years": list(range(current_school_year(), current_school_year() - 5, -1)),
        "bars": [
            (month, n, round(100 * n / found.busiest) if found.busiest else 0)
            for month, n in found.by_month
        ],
    }
    return render(request, "circulation/statistics.html", context)


@requires(Action.VIEW_LIBRARY_STATS)
@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    found = statistics.figures(_schools(request), year)
    book = new_workbook()
    sheet = book.create_sheet(_("Summary")[:31])
    for row in (
        (_("School year"), f"{year}–{year + 1}"),
        (_("Loans"), found.loans),
        (_("Active readers"), found.readers),
        (_("Readers who borrowed"), found.active_readers),
        (_("Share of readers who borrowed (%)"), found.active_share),
        (_("On-site reading"), found.on_site),
        (_("Reading-promotion activities"), found.activities),
        (_("Participants"), found.participants),
    ):
        append_row(sheet, row)
    tables = (
        (_("By month"), _("Month"), [(f"{m:%m/%Y}", n) for m, n in found.by_month]),
        (_("By class"), _("Class"), found.by_class),
        (_("By grade"), _("School grade"), found.by_grade),
        (_("By collection"), _("Collection"), found.by_collection),
        (_("By subject"), _("School subject"), found.by_subject),
        (_("Most borrowed"), _("Title"), found.top_titles),
    )
    for title, heading, rows in tables:
        table = book.create_sheet(title[:31])
        append_row(table, (heading, _("Loans")))
        for row in rows:
            append_row(table, row)
    if found.by_school:
        table = book.create_sheet(_("By school")[:31])
        append_row(table, (_("School"), _("Loans"), _("Active readers"),
                           _("Share of readers who borrowed (%)"), _("On-site reading"),
                           _("Reading-promotion activities")))  # fmt: skip
        for line in found.by_school:
            keys = ("loans", "readers", "active_share", "on_site", "activities")
            append_row(table, (line["school"].name, *(line[key] for key in keys)))

    out = io.BytesIO()
    book.save(out)
    return xlsx_response(out.getvalue(), f"thong-ke-thu-vien-{year}-{year + 1}.xlsx")


urlpatterns: list[URLPattern] = [
    path("statistics/", statistics_page, name="statistics"),
    path("statistics.xlsx", statistics_xlsx, name="statistics_xlsx"),
]
