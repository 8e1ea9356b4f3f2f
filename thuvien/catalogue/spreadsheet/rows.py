"""Reading a catalogue spreadsheet: the file, its headers and their mapping, every row checked
against the school and the catalogue (the dry run)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.catalogue import text
from thuvien.catalogue.models import Collection, Copy, DocType, Source
from thuvien.catalogue.record_data import HoldingData, RecordData
from thuvien.catalogue.services import copies as copy_services
from thuvien.catalogue.services import records
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.catalogue.spreadsheet.columns import (
    ACTIONS,
    DOC_TYPE_WORDS,
    FIELD_KEYS,
    FIELD_LABELS,
    FIELDS,
    SOURCE_WORDS,
)
from thuvien.core.folding import fold
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.core.spreadsheets import (
    Preview,
    RowResult,
    Sheet,
    SpreadsheetError,
    choice,
    parse_count,
    read_rows,
)
from thuvien.organisations.models import Unit

_MERGE = re.compile(rb'<mergeCell[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SPLIT = re.compile(r"\s*[;|]\s*")
MAX_COPIES_A_ROW = 1000


@dataclass
class SheetRow(RowResult):
    """A row of the catalogue spreadsheet: its errors, and warnings that do not stop it."""

    warnings: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, ""))


# --- Reading: the file, its headers, the mapping ------------------------------------------------


def read_sheet(content: bytes) -> Sheet:
    """The file's first sheet (XLSX, or CSV in UTF-8 with or without BOM, "," or ";"); refused
    when its header cells are merged, as a merged header hides the columns under it."""
    if content.startswith(b"PK\x03\x04"):
        merged = merged_header_cells(content)
        if merged:
            raise SpreadsheetError(
                _("The header cells %(cells)s are merged: unmerge them and upload the file again.")
                % {"cells": ", ".join(merged)}
            )
    sheet = read_rows(content)
    if not sheet.rows:
        raise SpreadsheetError(_("The file has its headers but no rows to import."))
    return sheet


def merged_header_cells(content: bytes) -> list[str]:
    """The merged ranges of the first sheet that touch row 1 ("A1:C1"), read from its XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = sorted(
                n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)
            )
            first = "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else None
            if first is None and names:
                first = names[0]
            if first is None:
                return []
            xml = archive.read(first)
    except (zipfile.BadZipFile, OSError, KeyError):
        return []  # read_rows says what is wrong with the file
    found = []
    for start_col, start_row, end_col, end_row in _MERGE.findall(xml):
        if int(start_row) <= 1:
            end = f":{end_col.decode()}{end_row.decode()}" if end_col else ""
            found.append(f"{start_col.decode()}{start_row.decode()}{end}")
    return found


def guess_mapping(headers: Iterable[str]) -> dict[str, str]:
    """Header → field key for the headers we recognise (after folding), each field once."""
    mapping: dict[str, str] = {}
    for header in headers:
        folded = fold(header)
        column = next((c for c in FIELDS if folded and c.matches(folded)), None)
        if column is not None and column.key not in mapping.values():
            mapping[header] = column.key
    return mapping


def check_mapping(mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping chosen on the screen (empty when it can be used)."""
    problems = []
    keys = [key for key in mapping.values() if key]
    if "title" not in keys:
        problems.append(_("Choose the column that holds the title."))
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(
            _("Two columns are mapped to “%(field)s”: keep one.") % {"field": FIELD_LABELS[key]}
        )
    unknown = [key for key in keys if key not in FIELD_KEYS]
    if unknown:
        problems.append(_("Unknown field: %(field)s.") % {"field": ", ".join(unknown)})
    return problems


# --- Checking every row (the dry run) ---------------------------------------------------------


@dataclass
class _Context:
    school: Unit
    collections: set[str]  # the codes of the school's collections
    taken_numbers: set[str]
    taken_barcodes: set[str]
    in_file: dict[str, int] = field(default_factory=dict)  # registration number → first row
    barcodes_in_file: dict[str, int] = field(default_factory=dict)
    keys_in_file: dict[str, SheetRow] = field(default_factory=dict)  # dedup key/ISBN → row


def preview_sheet(batch: ImportBatch, school: Unit, *, valid_only: bool = False) -> Preview:
    """Check every row of the batch's file against the school and the catalogue; change
    nothing. With `valid_only`, the rows with errors are left out (and so not applied)."""
    if batch.kind != ImportKind.CATALOGUE_SHEET:
        raise CatalogueError(_("This import is not an import of a catalogue spreadsheet."))
    mapping = {h: k for h, k in (batch.summary.get("mapping") or {}).items() if k}
    problems = check_mapping(mapping)
    if problems:
        raise CatalogueError(" ".join(problems))
    sheet = read_sheet(bytes(batch.content))
    rows = [(n, {key: values.get(h, "") for h, key in mapping.items()}) for n, values in sheet.rows]
    numbers = {str(v.get("registration_number", "")).strip() for _n, v in rows} - {""}
    barcodes = {str(v.get("barcode", "")).strip() for _n, v in rows} - {""}
    school_copies = Copy.objects.filter(school=school)
    codes = {
        c.upper() for c in Collection.objects.filter(school=school).values_list("code", flat=True)
    }
    context = _Context(
        school=school,
        collections=codes or {plan.code for plan in copy_services.USUAL_COLLECTIONS},
        taken_numbers=set(
            school_copies.filter(registration_number__in=numbers).values_list(
                "registration_number", flat=True
            )
        ),
        taken_barcodes=set(
            school_copies.filter(barcode__in=barcodes | numbers).values_list("barcode", flat=True)
        ),
    )
    checked = [_check_row(number, values, context) for number, values in rows]
    _match_records(checked)
    if valid_only:
        checked = [row for row in checked if not row.errors]
    columns = [_("Title"), _("Author"), _("Year"), "ISBN", _("Copies")]
    return Preview(columns=[str(c) for c in columns], rows=list(checked))


def _text(values: dict[str, Any], key: str) -> str:
    return text.clean(str(values.get(key, "")))


def _many(values: dict[str, Any], key: str) -> list[str]:
    return [part for part in _SPLIT.split(_text(values, key)) if part]


def _check_row(number: int, values: dict[str, Any], context: _Context) -> SheetRow:
    title, year_text = _text(values, "title"), _text(values, "year")
    row = SheetRow(number, cells=[title, _text(values, "author"), year_text])
    if not title:
        row.error("title_required", _("The title is missing."))
    row.check_length(title, 500)
    year = None
    if year_text:
        year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
        if year is None or not 1400 <= year <= timezone.localdate().year + 1:
            row.error(
                "year_invalid",
                _("“%(value)s” is not a year of publication such as 2024.") % {"value": year_text},
            )
            year = None
    isbns = _check_isbns(row, _many(values, "isbn"))
    doc_type = _check_doc_type(row, _text(values, "doc_type"))
    grade = _check_grade(row, _text(values, "grade"))
    data = RecordData(
        title=title, doc_type=doc_type or DocType.REFERENCE, author=_text(values, "author"),
        other_authors=_many(values, "other_authors"), publisher=_text(values, "publisher"),
        place=_text(values, "place"), year=year, edition=_text(values, "edition"),
        classification=_text(values, "classification")[:60], subjects=_many(values, "subjects"),
        grade=grade, school_subject=_text(values, "school_subject")[:100],
        call_number=_text(values, "call_number")[:100], isbns=isbns,
    )  # fmt: skip
    for name, limit in (("author", 300), ("publisher", 300), ("place", 200), ("edition", 200)):
        row.check_length(getattr(data, name), limit)
    copies = _check_copies(row, values, context)
    data.holdings = copies["holdings"]
    row.cells += [", ".join(v for v, _q in isbns), str(copies["count"])]
    row.data = {"record": data, **copies}
    return row


def _check_isbns(row: SheetRow, values: list[str]) -> list[tuple[str, str]]:
    """Valid ISBNs; an invalid one is a warning (the record is kept, without it), as for MARC."""
    kept = []
    for value in values:
        if text.isbn13(value) is None:
            row.warnings.append(records.invalid_isbn(value) + " " + _("It is left out."))
        else:
            kept.append((value, ""))
    return kept


def _check_doc_type(row: SheetRow, value: str) -> str | None:
    if not value:
        return DocType.REFERENCE
    found = choice(value, DOC_TYPE_WORDS)
    if found is None:
        row.error(
            "doc_type_invalid",
            _("Unknown document type “%(value)s”: write SGK, SGV, SNV, STK or STN.")
            % {"value": value},
        )
    return found


def _check_grade(row: SheetRow, value: str) -> int | None:
    if not value:
        return None
    grade = parse_count(value)
    if grade is None or not 1 <= grade <= 12:
        row.error("grade_invalid", _("“%(value)s” is not a grade from 1 to 12.") % {"value": value})
        return None
    return grade


def _check_copies(row: SheetRow, values: dict[str, Any], context: _Context) -> dict[str, Any]:
    number, barcode = _text(values, "registration_number"), _text(values, "barcode")
    count_text = _text(values, "copies")
    count = parse_count(count_text) if count_text else 1
    if count is None or count > MAX_COPIES_A_ROW:
        row.error(
            "copies_invalid",
            _("“%(value)s” is not a number of copies from 0 to 1,000.") % {"value": count_text},
        )
        count = 0
    if (number or barcode) and count != 1:
        row.error(
            "copies_numbered",
            _("A row with a registration number or a barcode describes one copy: write 1 copy, "
              "or one row a copy."),
        )  # fmt: skip
    row.check_length(number, 30)
    row.check_length(barcode, 40)
    for value, seen, taken, code in (
        (number, context.in_file, context.taken_numbers, "number"),
        (barcode or number, context.barcodes_in_file, context.taken_barcodes, "barcode"),
    ):
        if not value or (code == "barcode" and not barcode and row.errors):
            continue
        first = seen.setdefault(value, row.number)
        if first != row.number:
            row.error(
                f"{code}_repeated",
                _("%(value)s is already on row %(row)d of this file.")
                % {"value": value, "row": first},
            )
        elif value in taken:
            row.error(
                f"{code}_taken",
                _("The school already has a copy with registration number or barcode %(value)s.")
                % {"value": value},
            )
    price = _check_price(row, _text(values, "price"))
    source = (
        SOURCE_WORDS.get(fold(_text(values, "source")), None) if _text(values, "source") else ""
    )
    if source is None:
        row.error(
            "source_invalid",
            _("Unknown source “%(value)s”: write Mua, Cấp phát or Tặng.")
            % {"value": _text(values, "source")},
        )
    donor = _text(values, "donor")[:300]
    if source == Source.DONATION and not donor and count:
        row.error("donor_required", _("Enter the donor of a donation (xã hội hóa)."))
    code = _text(values, "collection").upper()
    if code and code not in context.collections:
        row.error(
            "collection_unknown",
            _("The school has no collection “%(code)s” (it has: %(codes)s).")
            % {"code": code, "codes": ", ".join(sorted(context.collections)) or "—"},
        )
    holdings = [
        HoldingData(
            registration_number=number,
            barcode=barcode,
            location=_text(values, "location")[:100],
            price_vnd=price,
            collection_code=code,
        )
    ]
    return {
        "count": count,
        "holdings": holdings if count else [],
        "collection": code,
        "source": source or Source.PURCHASE,
        "donor": donor,
        "notes": _text(values, "notes"),
    }


def _check_price(row: SheetRow, value: str) -> int | None:
    if not value:
        return None
    digits = re.sub(r"(?i)\s*(đ|đồng|vnd|vnđ)$", "", value).replace(".", "").replace(",", "")
    digits = digits.replace(" ", "")
    if not digits.isdigit():
        row.error("price_invalid", _("“%(value)s” is not a price in đồng.") % {"value": value})
        return None
    return int(digits)


def _match_records(rows: list[SheetRow]) -> None:
    """For each valid row: the record of the province it duplicates (copies go to it), or an
    earlier row of the file describing the same book, or a new record. Two queries."""
    good = [row for row in rows if not row.errors]
    candidates = [records.build(row.data["record"], catalogued_by=None) for row in good]
    found = records.duplicates_of(candidates, [row.data["record"].isbns for row in good])
    earlier: dict[str, SheetRow] = {}
    for row, candidate, match in zip(good, candidates, found, strict=True):
        row.data["match"] = match
        isbns = {text.isbn13(value) for value, _q in row.data["record"].isbns}
        keys = [candidate.dedup_key, *sorted(f"isbn:{digits}" for digits in isbns if digits)]
        first = next((earlier[key] for key in keys if key in earlier), None)
        row.data["same_as"] = first.number if first is not None and match is None else None
        row.action = "match" if match is not None or first is not None else "create"
        for key in keys:
            earlier.setdefault(key, row)
