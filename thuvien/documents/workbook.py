"""A document's tables as a spreadsheet: the appendix tables of a report, one sheet each, so that
an office or the department can sort and sum them (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .model import Table


@dataclass(frozen=True)
class Sheet:
    """One appendix table, which is also one sheet of the workbook."""

    name: str  # the sheet's name (at most 31 characters)
    title: str
    table: Table


def tables_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX with one sheet a table: a title row, the header rows in bold, then the rows (whole
    numbers as numbers), the columns as wide as the table's own proportions."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        page = book.create_sheet(sheet.name[:31])
        page.append([sheet.title])
        page["A1"].font = Font(bold=True)
        for header in sheet.table.header:
            page.append(list(header))
        for cell in page[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.table.rows:
            page.append([int(value) if value.isdigit() else value for value in row])
        for index, width in enumerate(sheet.table.percent_widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(8, width * 1.2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
