"""Cells of the spreadsheets the platform writes: the one place a value becomes a cell.

Every XLSX and CSV the platform writes (import templates, the dashboard's progress workbook, a
document's tables) puts its cells through here, because the values are people's text: a name,
a school, a comment, a topic. A spreadsheet program runs text that starts with "=" (or "+", "-",
"@", and a tab or a carriage return before them) as a formula, and a formula can open a link, read
other cells or, through DDE, start a program: formula or "CSV" injection.

- XLSX (`new_workbook`, `append_row`, `write_cell`, `workbook_bytes`): a string is always a
  string cell (`data_type` "s", written inline): openpyxl would otherwise store any string that
  starts with "=" as a formula and "#N/A" as an error. The text is kept exactly; one that starts
  like a formula is also marked "quote prefix", so that Excel keeps it text when someone edits
  the cell. Numbers stay numbers and dates dates (an aware time in the local time zone).
- CSV (`csv_value`, `csv_bytes`), which has no types: a field that starts like a formula gets a
  leading apostrophe (OWASP, "CSV Injection"), and the csv module quotes the rest (RFC 4180).

The platform writes no formulas of its own; `tests/core/test_cells.py` fails on a module that
builds a workbook or a CSV file another way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet program may read as the start of a formula (OWASP's list, and a line feed
# and a NUL as the ASVS adds).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# Control characters an XLSX cannot hold (openpyxl refuses them): dropped, not refused, so that a
# stray character pasted into a name never stops an export.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Value = str | int | float | Decimal | bool | dt.date | dt.datetime | dt.time | None


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def cell_value(value: Any) -> Value:
    """`value` as a spreadsheet holds it: None (an empty cell), a number, a date or time (an aware
    one in the local time zone, without its zone), or text (anything else, lazy translations
    included)."""
    if value is None or isinstance(value, int | float | Decimal | dt.date | dt.time):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    return text if text else None


# --- XLSX ----------------------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (no sheet yet): add them with `create_sheet`."""
    book = Workbook()
    book.remove(book.worksheets[0])
    return book


def _fill(cell: Cell, value: Any) -> Cell:
    value = cell_value(value)
    if not isinstance(value, str):
        cell.value = value
        return cell
    cell.value = _NOT_IN_XML.sub("", value)  # cut to the 32,767 characters a cell holds
    cell.data_type = "s"  # text, whatever it starts with: never a formula, never an error
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> tuple[Cell, ...]:
    """Add a row of `values` below the sheet's last row; the cells written, to be formatted."""
    cells = tuple(_fill(WriteOnlyCell(sheet), value) for value in values)  # placed by append
    sheet.append(cells)
    return cells


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put `value` in the cell at `row` and `column` (both from 1)."""
    cell = sheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise ValueError(f"{cell.coordinate} is inside merged cells: write its first cell.")
    return _fill(cell, value)


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- CSV -----------------------------------------------------------------------------------------


def csv_value(value: Any) -> str:
    """`value` as a CSV field: text that starts like a formula behind an apostrophe; numbers as
    written in Python ("-1" stays a number); dates as yyyy-mm-dd, which every program reads."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return f"'{value}" if looks_like_formula(value) else value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file of `rows`, in UTF-8 with a byte-order mark (which Excel needs to read it as
    UTF-8), every field through `csv_value`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
