"""A document's tables as a spreadsheet: the appendix tables of a report, one sheet each, so that
an office or the department can sort and sum them (openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thuvien.core.cells import append_row, from_document_text, new_workbook, workbook_bytes

from .model import Table


@dataclass(frozen=True)
class Sheet:
    """One appendix table, which is also one sheet of the workbook."""

    name: str  # the sheet's name (at most 31 characters)
    title: str
    table: Table


def tables_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX with one sheet a table: a title row, the header rows in bold, then the rows (numbers,
    percentages and dates written the Vietnamese way typed back, any other text as text, see
    `core.cells.from_document_text`), the columns as wide as the
    table's own proportions."""
    book = new_workbook()
    for sheet in sheets:
        page = book.create_sheet(sheet.name[:31])
        for cell in append_row(page, [sheet.title]):
            cell.font = Font(bold=True)
        for number, header in enumerate(sheet.table.header):
            for cell in append_row(page, header):
                if number == 0:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.table.rows:
            append_row(page, [from_document_text(value) for value in row])
        for index, width in enumerate(sheet.table.percent_widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(8, width * 1.2)
    return workbook_bytes(book)
