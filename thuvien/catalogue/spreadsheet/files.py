"""The spreadsheets the catalogue writes: the import template, the school's catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thuvien.catalogue.models import Copy, Source
from thuvien.catalogue.spreadsheet.columns import FIELDS, SOURCE_NAMES
from thuvien.core.spreadsheets import (
    build_template,
)


def template_bytes() -> bytes:
    """The template: our headers, two example rows that import cleanly, and the guide sheet."""
    examples = [
        ["Tiếng Việt 1. Tập một", "Bùi Mạnh Hùng", "", "Giáo dục Việt Nam", "Hà Nội", 2024, "",
         "978-604-0-35163-0", "372.6", "", "Tiếng Việt", "SGK", 1, "Tiếng Việt", 5, "", "",
         23000, "", "SGK", "Cấp phát", "", ""],
        ["Dế Mèn phiêu lưu ký", "Tô Hoài", "", "Kim Đồng", "Hà Nội", 2020, "Tái bản lần thứ 15",
         "", "895.9223", "", "Văn học thiếu nhi", "STN", "", "", 1, "", "", 45000, "Kệ 3",
         "STN", "Tặng", "Hội cha mẹ học sinh", ""],
    ]  # fmt: skip
    return build_template(FIELDS, examples, "Danh mục sách")


def export_rows(copies: Iterable[Copy]) -> Iterable[list[Any]]:
    for copy in copies:
        record = copy.record
        isbns = "; ".join(row.isbn13 for row in record.isbns.all())
        yield [
            record.full_title, record.author, "; ".join(record.other_authors), record.publisher,
            record.place, record.year, record.edition, isbns, record.classification,
            record.call_number, "; ".join(record.subjects), record.doc_type.upper(),
            record.grade, record.school_subject, 1, copy.registration_number, copy.barcode,
            copy.price_vnd, copy.location, copy.collection.code, SOURCE_NAMES[Source(copy.source)],
            copy.donor, copy.notes,
        ]  # fmt: skip


def export_bytes(copies: Iterable[Copy], sheet_title: str = "Danh mục sách") -> bytes:
    """The school's catalogue: one row a copy, under the template's headers (it imports back),
    every cell through `core.cells`."""
    from openpyxl.styles import Font

    from thuvien.core.cells import append_row, new_workbook, workbook_bytes

    workbook = new_workbook()
    sheet = workbook.create_sheet(sheet_title[:31])
    for cell in append_row(sheet, [column.header for column in FIELDS]):
        cell.font = Font(bold=True)
    for values in export_rows(copies):
        append_row(sheet, values)
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
