"""Reading and writing the spreadsheets people import: XLSX or CSV in, an XLSX template out
(its cells written through `core.cells`, as every spreadsheet the platform writes).

Domain-free: the importers (units, staff) describe their columns with `Column`, read an upload
with `read_table` and report what they found as a `Preview` of `RowResult`s. The kind of file is
told by its content, never by its name: a PNG renamed .xlsx is refused with a message a person
can act on, and so is a CSV saved in a legacy code page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from thuvien.core.folding import fold
from thuvien.core.models import ImportBatch

Cell = str | dt.date
Row = tuple[int, dict[str, Cell]]

MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_BLANK_RUN = 2000
# A 5 MB XLSX can inflate to gigabytes (a "zip bomb"): refuse before openpyxl unpacks it.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format


_UNREADABLE_XLSX = gettext_noop(
    "The file is not a readable Excel workbook (.xlsx). Open it in Excel and save it again."
)


class SpreadsheetError(Exception):
    """The file cannot be read as a table; the message says what to do about it."""


@dataclass(frozen=True)
class Sheet:
    """The first sheet of a file: its header cells, and its non-blank rows numbered as in Excel."""

    headers: list[str]
    rows: list[Row]


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def read_rows(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """Read an XLSX or UTF-8 CSV file: row 1 holds the headers, blank rows are skipped."""
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > max_bytes():
        raise SpreadsheetError(
            _("The file is too large: at most %(size)d MB.") % {"size": max_bytes() // 2**20}
        )
    if data.startswith(_ZIP_MAGIC):
        raw = _xlsx_rows(data)
    elif data.startswith(_OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "This is an old Excel .xls file. In Excel choose “Save as” → "
                "“Excel Workbook (.xlsx)”."
            )
        )
    else:
        raw = _csv_rows(data)
    return _to_sheet(raw, max_rows=max_rows)


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise SpreadsheetError(_("The workbook is too large once unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many types on a damaged or foreign ZIP file
        raise SpreadsheetError(_(_UNREADABLE_XLSX)) from error
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged sheet XML fails only while streaming its rows
        raise SpreadsheetError(_(_UNREADABLE_XLSX)) from error
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[Sequence[Any]]:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_("The file is neither an Excel workbook (.xlsx) nor a CSV file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            _(
                "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. In Excel "
                "choose “Save as” → “CSV UTF-8 (Comma delimited)”, or save as .xlsx."
            )
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file is malformed: %(detail)s.") % {"detail": error}
        ) from error


def _to_sheet(raw: Iterable[Sequence[Any]], *, max_rows: int) -> Sheet:
    iterator = iter(raw)
    header_cells = [_cell(value) for value in next(iterator, ())]
    headers = [str(cell) for cell in header_cells]
    while headers and not headers[-1]:  # openpyxl pads rows to `max_col`
        headers.pop()
    if not headers:
        raise SpreadsheetError(_("Row 1 must hold the column headers, as in the template."))
    rows: list[Row] = []
    blank_run = 0
    for number, values in enumerate(iterator, start=2):
        cells = [_cell(value) for value in values[: len(headers)]]
        if not any(cell != "" for cell in cells):
            blank_run += 1
            # Excel files often carry formatted, empty rows down to row 1,048,576: stop there.
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(rows) >= max_rows:
            raise SpreadsheetError(
                _("The sheet has too many rows: at most %(max)d.") % {"max": max_rows}
            )
        cells += [""] * (len(headers) - len(cells))
        rows.append((number, {h: c for h, c in zip(headers, cells, strict=True) if h}))
    return Sheet(headers=headers, rows=rows)


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """A column an importer understands. `header` is Vietnamese data, matched after folding."""

    key: str
    header: str
    help: str | Promise = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 20

    def matches(self, folded_header: str) -> bool:
        return folded_header in {fold(self.header), *(fold(alias) for alias in self.aliases)}


def read_table(data: bytes, columns: Sequence[Column]) -> list[Row]:
    """Rows keyed by `Column.key`; missing optional columns read as blank cells."""
    sheet = read_rows(data)
    positions: dict[str, str] = {}
    for header in sheet.headers:
        column = next((c for c in columns if header and c.matches(fold(header))), None)
        if column is None:
            continue
        if column.key in positions:
            raise SpreadsheetError(
                _("The column “%(header)s” appears twice.") % {"header": column.header}
            )
        positions[column.key] = header
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise SpreadsheetError(
            _("Missing columns: %(columns)s. Download the template to see the expected headers.")
            % {"columns": ", ".join(f"“{header}”" for header in missing)}
        )
    if not sheet.rows:
        raise SpreadsheetError(_("The file has its headers but no rows to import."))
    return [
        (number, {c.key: values.get(positions.get(c.key, ""), "") for c in columns})
        for number, values in sheet.rows
    ]


def choice(value: Cell, words: dict[str, str]) -> str | None:
    """The code that `value` names, by its folded Vietnamese word or its English code."""
    return words.get(fold(str(value))) if value != "" else None


def parse_date(value: Cell) -> dt.date | None:
    """An Excel date cell, dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None when unreadable."""
    if isinstance(value, dt.date):
        return value
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse_count(value: Cell) -> int | None:
    """A whole number of 0 or more; None otherwise (XLSX numbers arrive as "620", see `_cell`)."""
    text = str(value).strip().replace(" ", "")
    return int(text) if text.isdigit() else None


def parse_school_year(value: Cell) -> int | None:
    """The starting year of "2025-2026" (also "2025–2026", "2025/2026") or of "2025"."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–—/]\s*(\d{4})\s*)?", str(value))
    if match is None:
        return None
    start = int(match[1])
    if (match[2] and int(match[2]) != start + 1) or not 1990 <= start <= 2200:
        return None
    return start


# --- What an importer found: shown on the preview page, replayed on apply ---------------------

ACTION_LABELS = {
    "create": gettext_lazy("Create"),
    "update": gettext_lazy("Update"),
    "new_account": gettext_lazy("New account"),
    "add_role": gettext_lazy("Existing account"),
}


@dataclass(frozen=True)
class RowError:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class RowResult:
    number: int
    cells: list[str]
    action: str = ""
    errors: list[RowError] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def error(self, code: str, message: str) -> None:
        self.errors.append(RowError(code, message))

    def check_length(self, value: str, limit: int) -> None:
        if len(value) > limit:
            self.error(
                "too_long",
                _("“%(value)s…” is longer than %(limit)d characters.")
                % {"value": value[:40], "limit": limit},
            )

    def check_email(self, value: str) -> None:
        if not value:
            return
        try:
            validate_email(value)
        except ValidationError:
            self.error(
                "email_invalid", _("“%(value)s” is not an e-mail address.") % {"value": value}
            )

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, ""))


@dataclass
class Preview:
    columns: list[str]
    rows: list[RowResult]

    @property
    def bad_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.bad_rows

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTION_LABELS}


# --- Writing: the template people fill in ------------------------------------------------------


def build_template(
    columns: Sequence[Column], example_rows: Sequence[Sequence[Any]], sheet_title: str
) -> bytes:
    """An XLSX with a bold header row and examples, and a second sheet "Hướng dẫn" explaining
    each column; every cell written through `core.cells` (an example names a unit: text)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from thuvien.core.cells import append_row, new_workbook, workbook_bytes

    workbook = new_workbook()
    sheet = workbook.create_sheet(sheet_title[:31])
    for cell in append_row(sheet, [column.header for column in columns]):
        cell.font = Font(bold=True)
    for row in example_rows:
        for cell in append_row(sheet, row):
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    for cell in append_row(guide, [_("Column"), _("Required"), _("Accepted values and notes")]):
        cell.font = Font(bold=True)
    for column in columns:
        required = _("yes") if column.required else _("no")
        *_cells, notes = append_row(guide, [column.header, required, str(column.help)])
        notes.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate((32, 12, 90), start=1):
        guide.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(workbook)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class SpreadsheetForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file saved as UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is too large: at most %(size)d MB.") % {"size": max_bytes() // 2**20}
            )
        return upload

    def batch(self, kind: str, user: Any) -> ImportBatch:
        """An unsaved import batch holding the upload: it is saved only when worth confirming."""
        upload = self.cleaned_data["file"]
        return ImportBatch(
            kind=kind, created_by=user, filename=upload.name[:255], content=upload.read()
        )
