"""Reading a reader list: the file, its header row (below a title block, as school-management
systems export it), every row checked against the school's readers (the dry run)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.circulation.importing.columns import (
    ACTIONS,
    KIND_WORDS,
    check_mapping,
    guess_mapping,
)
from thuvien.circulation.models import Reader, ReaderKind
from thuvien.circulation.services.errors import CirculationError
from thuvien.circulation.services.readers import _CODE as CODE
from thuvien.core import spreadsheets as sheets
from thuvien.core.folding import fold
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.core.spreadsheets import (
    Cell,
    Preview,
    RowResult,
    Sheet,
    SpreadsheetError,
    choice,
    parse_date,
    parse_school_year,
)
from thuvien.organisations.models import Unit, current_school_year

# vnEdu, SMAS and CSDL ngành put the school, the title and the class above the headers.
HEADER_WITHIN = 10
_MERGE = re.compile(rb'<mergeCell[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_GRADE = re.compile(r"(?:khoi|k)?\s*(\d{1,2})")
_CLASS_GRADE = re.compile(r"(\d{1,2})(?!\d)")


@dataclass
class ReaderRow(RowResult):
    """A row of a reader list: a new reader ("create") or one the school has ("update")."""

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, ""))


# --- Reading: the file, its header row ------------------------------------------------------


def read_sheet(content: bytes) -> Sheet:
    """The file's first sheet (XLSX, or CSV in UTF-8), its headers being the row among the
    first ten that holds the most headers we know (else the fullest one), its rows numbered as
    in Excel; refused when the header cells are merged, as a merged header hides the columns
    under it (a merged title above is fine)."""
    lines = _lines(content)
    head = list(itertools.islice(lines, HEADER_WITHIN))
    at = _header_index(head)
    if content.startswith(sheets._ZIP_MAGIC):
        merged = merged_cells_on(content, at + 1)
        if merged:
            raise SpreadsheetError(
                _("The header cells %(cells)s are merged: unmerge them and upload the file again.")
                % {"cells": ", ".join(merged)}
            )
    # Core takes the first line it is given as the headers: it is given the lines from ours on.
    found = sheets._to_sheet(itertools.chain(head[at:], lines), max_rows=sheets.MAX_ROWS)
    if not found.rows:
        raise SpreadsheetError(_("The file has its headers but no rows to import."))
    return Sheet(headers=found.headers, rows=[(n + at, values) for n, values in found.rows])


def _lines(content: bytes) -> Iterator[Sequence[Any]]:
    """The file's rows as `core.spreadsheets.read_rows` reads them, before it takes the first
    as the headers; its refusals (empty, too large, an old .xls, not UTF-8…) are the shared
    ones."""
    if not content or len(content) > sheets.max_bytes() or content.startswith(sheets._OLE_MAGIC):
        sheets.read_rows(content)  # refuses the file with the shared message
    if content.startswith(sheets._ZIP_MAGIC):
        return sheets._xlsx_rows(content)
    return sheets._csv_rows(content)


def _header_index(head: list[Sequence[Any]]) -> int:
    texts = [[str(sheets._cell(value)) for value in line] for line in head]
    known = [len(guess_mapping(text for text in line if text)) for line in texts]
    if max(known, default=0) > 0:
        return known.index(max(known))
    filled = [sum(1 for text in line if text) for line in texts]
    if max(filled, default=0) == 0:
        raise SpreadsheetError(
            _("The first %(count)d rows of the file are empty: the column headers must be in one "
              "of them.") % {"count": HEADER_WITHIN}
        )  # fmt: skip
    return filled.index(max(filled))


def merged_cells_on(content: bytes, row: int) -> list[str]:
    """The merged ranges of the first sheet that cover `row` ("A4:B4", "C3:C4"), from its XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = sorted(
                n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)
            )
            first = "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else None
            first = first or (names[0] if names else None)
            if first is None:
                return []
            xml = archive.read(first)
    except (zipfile.BadZipFile, OSError, KeyError):
        return []  # reading the rows says what is wrong with the file
    found = []
    for start_col, start_row, end_col, end_row in _MERGE.findall(xml):
        last = int(end_row) if end_row else int(start_row)
        if int(start_row) <= row <= last:
            end = f":{end_col.decode()}{end_row.decode()}" if end_col else ""
            found.append(f"{start_col.decode()}{start_row.decode()}{end}")
    return found


# --- Checking every row (the dry run) ---------------------------------------------------------


@dataclass
class _Context:
    known: dict[str, str]  # the school's reader codes → their kind
    year: int
    today: dt.date
    in_file: dict[str, int] = field(default_factory=dict)  # code → its first row


def preview_readers(batch: ImportBatch, school: Unit, *, valid_only: bool = False) -> Preview:
    """Check every row of the batch's file against the school's readers; change nothing. With
    `valid_only`, the rows with errors are left out (and so not applied)."""
    if batch.kind != ImportKind.READERS:
        raise CirculationError(_("This import is not an import of readers."))
    mapping = {h: k for h, k in (batch.summary.get("mapping") or {}).items() if k}
    problems = check_mapping(mapping)
    if problems:
        raise CirculationError(" ".join(problems))
    sheet = read_sheet(bytes(batch.content))
    rows = [(n, {key: values.get(h, "") for h, key in mapping.items()}) for n, values in sheet.rows]
    known = dict(Reader.objects.filter(school=school).values_list("code", "kind"))
    context = _Context(known=known, year=current_school_year(), today=timezone.localdate())
    checked = [_check_row(number, values, context) for number, values in rows]
    if valid_only:
        checked = [row for row in checked if not row.errors]
    columns = [_("Reader code"), _("Full name"), _("Date of birth"), _("Class"),
               _("School grade"), _("Reader type")]  # fmt: skip
    return Preview(columns=[str(c) for c in columns], rows=list(checked))


def _text(values: dict[str, Cell], key: str) -> str:
    value = values.get(key, "")
    return " ".join(str(value).split())


def _check_row(number: int, values: dict[str, Cell], context: _Context) -> ReaderRow:
    code, class_name = _text(values, "code"), _text(values, "class_name")
    name = _text(values, "full_name") or " ".join(
        part for part in (_text(values, "last_name"), _text(values, "first_name")) if part
    )
    row = ReaderRow(number, cells=[code, name])
    if not code:
        row.error("code_required", _("The reader code is missing."))
    elif not CODE.match(code):
        row.error(
            "code_invalid",
            _("A reader code is 1–30 letters, digits, dots, dashes or underscores: %(code)s.")
            % {"code": code},
        )
    elif (first := context.in_file.setdefault(code, number)) != number:
        row.error(
            "code_repeated",
            _("%(value)s is already on row %(row)d of this file.") % {"value": code, "row": first},
        )
    if not name:
        row.error("name_required", _("Give the reader's full name."))
    row.check_length(name, 200)
    row.check_length(class_name, 20)
    given_kind = _kind(row, _text(values, "kind"))
    kind = given_kind or context.known.get(code) or ReaderKind.STUDENT
    birth_date = _birth_date(row, values.get("birth_date", ""), context.today)
    grade = _grade(row, _text(values, "grade"), class_name)
    year = _school_year(row, _text(values, "school_year")) or context.year
    if kind != ReaderKind.STUDENT:
        grade = None
    row.cells += [
        f"{birth_date:%d/%m/%Y}" if birth_date else "",
        class_name,
        str(grade or ""),
        str(ReaderKind(kind).label),
    ]
    row.action = "update" if code in context.known else "create"
    row.data = {
        "code": code, "full_name": name, "kind": kind, "birth_date": birth_date,
        "class_name": class_name, "grade": grade, "school_year": year,
    }  # fmt: skip
    return row


def _kind(row: ReaderRow, value: str) -> str | None:
    if not value:
        return None
    found = choice(value, KIND_WORDS)
    if found is None:
        row.error(
            "kind_invalid",
            _("Unknown reader type “%(value)s”: write Học sinh, Giáo viên or Nhân viên.")
            % {"value": value},
        )
    return found


def _birth_date(row: ReaderRow, value: Cell, today: dt.date) -> dt.date | None:
    if value == "" or (isinstance(value, str) and not value.strip()):
        return None
    found = parse_date(value)
    if found is None or not dt.date(1900, 1, 1) <= found <= today:
        shown = f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value
        row.error(
            "birth_date_invalid",
            _("“%(value)s” is not a date of birth: write it as dd/mm/yyyy, e.g. 02/03/2014.")
            % {"value": shown},
        )
        return None
    return found


def _grade(row: ReaderRow, value: str, class_name: str) -> int | None:
    """The grade written ("6", "Khối 6"), else the one a class starts with ("6A1" → 6)."""
    if not value:
        match = _CLASS_GRADE.match(class_name)
        grade = int(match[1]) if match else None
        return grade if grade is not None and 1 <= grade <= 12 else None
    match = _GRADE.fullmatch(fold(value))
    grade = int(match[1]) if match else None
    if grade is None or not 1 <= grade <= 12:
        row.error("grade_invalid", _("“%(value)s” is not a grade from 1 to 12.") % {"value": value})
        return None
    return grade


def _school_year(row: ReaderRow, value: str) -> int | None:
    if not value:
        return None
    year = parse_school_year(value)
    if year is None:
        row.error(
            "school_year_invalid",
            _("“%(value)s” is not a school year such as 2025-2026.") % {"value": value},
        )
    return year
