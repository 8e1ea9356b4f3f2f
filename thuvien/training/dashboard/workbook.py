"""The province dashboard as an XLSX: the table (with totals), the units that have not submitted
yet, and the grades and topics. Its cells are people's and units' names: written through
`core.cells`, as text."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from thuvien.core.cells import append_row, new_workbook, workbook_bytes
from thuvien.organisations.models import UnitKind
from thuvien.training.dashboard.rows import Figures, Progress, Row


def progress_workbook(report: Progress) -> bytes:
    """The dashboard's table (with totals), the units not submitted yet, grades and topics."""
    book = new_workbook()
    table = book.create_sheet(_("Progress")[:31])
    grades = [bucket.label for bucket in report.buckets]
    append_row(table, [report.campaign.subject])
    append_row(table, [report.unit.name, _("on %(date)s") % {"date": f"{report.day:%d/%m/%Y}"}])
    first = _("Name") if report.people else _("Unit")
    headers = [first, *_count_headers(), *grades, _("Status"), _("Sent to"), _("Sent on")]
    bold = list(append_row(table, headers))
    for row in report.rows:
        grade_counts = [n for _label, n in row.grade_counts]
        cells = append_row(table, [row.name, *_counts(row.figures), *grade_counts, *_status(row)])
        cells[-1].number_format = "DD/MM/YYYY HH:MM"
    total = [report.totals.grades[bucket.code] for bucket in report.buckets]
    bold += append_row(table, [_("Total"), *_counts(report.totals), *total])
    for cell in bold:
        cell.font = Font(bold=True)
    table.column_dimensions["A"].width = 45
    table.freeze_panes = "B4"
    pending = book.create_sheet(_("Not submitted")[:31])
    append_row(pending, [_("Unit"), _("Kind"), _("Status")])
    kinds = dict(UnitKind.choices)
    for unit in report.pending:
        append_row(pending, [unit.name, str(kinds.get(unit.kind, unit.kind)), unit.status_label])
    pending.column_dimensions["A"].width = 45
    summary = book.create_sheet(_("Grades and topics")[:31])
    append_row(summary, [_("Grade"), _("People")])
    for bucket, count in report.total_grades:
        append_row(summary, [bucket.label, count])
    append_row(summary, [])
    append_row(summary, [_("Topic"), _("People")])
    for title, count in report.total_topics:
        append_row(summary, [title, count])
    summary.column_dimensions["A"].width = 45
    return workbook_bytes(book)


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


def _counts(figures: Figures) -> list[int]:
    return [getattr(figures, name) for name in Figures.COUNTS]


def _status(row: Row) -> list[Any]:
    """Status, sent to, sent on (a local time: `core.cells` writes it without its zone)."""
    if row.kind == "person":
        return [row.status_label, "", ""]
    sent = row.submission
    if sent is None:
        return ["", "", ""]
    label = _("%(status)s (late)") % {"status": sent.label} if sent.late else sent.label
    return [label, sent.submitted_to, sent.submitted_at or ""]
