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
  the cell. Numbers stay numbers and dates dates (an aware time in the local time zone), each
  with a number format that shows it the Vietnamese way in any spreadsheet program: 15.067
  (`[$-42A]#,##0`: the Vietnamese locale's dot between thousands), 2,5 for a decimal,
  05/09/2025 for a date (the slashes literal, not the reader's date separator). A share is a
  `Percent` (33.3 for 33,3 %): written as the number 0.333 with the format `0,0 %`.
- CSV (`csv_value`, `csv_bytes`), which has no types: a field that starts like a formula gets a
  leading apostrophe (OWASP, "CSV Injection"), and the csv module quotes the rest (RFC 4180).

The platform writes no formulas of its own; `tests/core/test_cells.py` fails on a module that
builds a workbook or a CSV file another way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
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

# Number formats, shown the Vietnamese way ([$-42A] is the Vietnamese locale: "." between
# thousands, "," before decimals) whatever the reader's own settings.
VI = "[$-42A]"
INTEGER_FORMAT = f"{VI}#,##0"
DECIMAL_FORMAT = f"{VI}#,##0.0#"
PERCENT_FORMAT = f"{VI}0.0\\ %"
DATE_FORMAT = "dd\\/mm\\/yyyy"
DATETIME_FORMAT = "dd\\/mm\\/yyyy\\ hh:mm"
TIME_FORMAT = "hh:mm"


@dataclass(frozen=True)
class Percent:
    """A share in percent (33.3 for 33,3 %), for a cell that shows it as a percentage."""

    value: float | Decimal | int


def number_format_of(value: Any) -> str | None:
    """The number format a cell of `value` (as `cell_value` returns it) is shown with."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | dt.date | dt.time):
        return None
    if isinstance(value, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if isinstance(value, dt.time):
        return TIME_FORMAT
    whole = isinstance(value, int) or (math.isfinite(value) and value == int(value))
    return INTEGER_FORMAT if whole else DECIMAL_FORMAT


_VI_INTEGER = re.compile(r"-?\d{1,3}(\.\d{3})+|-?\d+")
_VI_DECIMAL = re.compile(r"-?\d{1,3}(\.\d{3})*,\d+|-?\d+,\d+")
_VI_PERCENT = re.compile(r"(-?[\d.]+(,\d+)?)[\u00a0 ]?%")
_VI_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def from_document_text(text: str) -> Value | Percent:
    """A cell of a document's table, written as Vietnamese text for the PDF ("15.067", "4,25",
    "33,3 %", "05/09/2025"), typed back for a spreadsheet: a number, a `Percent` or a date; any
    other text stays the text. A code with leading zeros ("0912", "083000101") stays text."""
    plain = text.strip()
    match = _VI_PERCENT.fullmatch(plain)
    if match and (_VI_INTEGER.fullmatch(match.group(1)) or _VI_DECIMAL.fullmatch(match.group(1))):
        return Percent(Decimal(match.group(1).replace(".", "").replace(",", ".")))
    if _VI_INTEGER.fullmatch(plain) and not re.match(r"-?0\d", plain):
        return int(plain.replace(".", ""))
    if _VI_DECIMAL.fullmatch(plain) and not re.match(r"-?0\d", plain):
        return Decimal(plain.replace(".", "").replace(",", "."))
    if match := _VI_DATE.fullmatch(plain):
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return text
    return text


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def cell_value(value: Any) -> Value:
    """`value` as a spreadsheet holds it: None (an empty cell), a number, a date or time (an aware
    one in the local time zone, without its zone), or text (anything else, lazy translations
    included). A `Percent` is its fraction (0.333 for 33.3)."""
    if isinstance(value, Percent):
        return value.value / 100 if isinstance(value.value, Decimal) else float(value.value) / 100
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
    shown_as = PERCENT_FORMAT if isinstance(value, Percent) else None
    value = cell_value(value)
    if not isinstance(value, str):
        cell.value = value
        shown_as = shown_as or number_format_of(value)
        if shown_as and value is not None:
            cell.number_format = shown_as
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
    written in Python ("-1" stays a number); dates as yyyy-mm-dd, which every program reads; a
    `Percent` as its number of percent (CSV has no formats to show a fraction as one)."""
    if isinstance(value, Percent):
        return str(value.value)
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
