"""The legal registers of a school library, generated from the data for a period.

- Sổ đăng ký tổng quát (`general`): part I, one line per receiving document (AcquisitionBatch),
  part II, one line per approved withdrawal, part III, what the library still held at the end of
  each school year of the period (31 May), from the copies' registration and withdrawal dates.
- Sổ đăng ký cá biệt (`individual`): one line per copy of the SNV, STK and STN collections, in
  number order; a withdrawn copy's notes say "đã thanh lọc" with the decision (or minutes) number.
- Sổ đăng ký sách giáo khoa (`textbook`): one page per title and volume (Vietnamese alphabetical
  order), the copies of the same publication year on one line as a range of numbers.

Each register is a list of `Section`s (a heading, columns, rows of plain values), written as PDF
(A4 landscape, the vendored fonts, drawn with reportlab by `register_pages`) or XLSX (one sheet a
section, every cell through core.cells).
The rows are read with one query a section, as tuples, through an iterator: the individual
register of 20,000 copies is one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from thuvien.catalogue import register_pages
from thuvien.catalogue.models import (
    AcquisitionBatch,
    Copy,
    DocType,
    Source,
    Withdrawal,
    WithdrawalStatus,
)
from thuvien.core import cells
from thuvien.organisations import agencies
from thuvien.organisations.models import Unit

KINDS = ("general", "individual", "textbook")
INDIVIDUAL_TYPES = (DocType.PROFESSIONAL, DocType.REFERENCE, DocType.CHILDREN)
TEXTBOOK_TYPES = (DocType.TEXTBOOK, DocType.TEACHER_BOOK)


@dataclass
class Section:
    title: str
    columns: list[str]
    widths: list[int]  # relative widths of the columns in the PDF
    rows: Iterable[list[Any]]
    subtitle: str = ""
    corner: str = ""  # the class mark at the top right of a textbook page
    new_page: bool = False


@dataclass
class Register:
    kind: str
    title: str
    school: Unit
    start: dt.date
    end: dt.date
    sections: list[Section] = field(default_factory=list)


def day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


class Money(int):
    """An amount in VND: "85.000" in the PDF, a number in the spreadsheet."""

    def __str__(self) -> str:
        return f"{int(self):,}".replace(",", ".")


def money(value: int | None) -> Money | str:
    return Money(value) if value is not None else ""


def _title_line(title: str, responsibility: str, author: str) -> str:
    who = responsibility or author
    return f"{title} / {who}" if who else title


# The register's own wording (TT 02/2020/TT-BVHTTDL Art. 28), the same whatever the language.
WITHDRAWN_NOTE = "đã thanh lọc, QĐ số {number}"


def withdrawn_note(decision: str, minutes: str) -> str:
    number = decision or minutes
    return WITHDRAWN_NOTE.format(number=number) if number else ""


# --- The registers' content ---------------------------------------------------------------------


def _source_names() -> dict[str, str]:
    return {value: str(label) for value, label in Source.choices}


def accessions(school: Unit, start: dt.date, end: dt.date) -> Section:
    textbooks = Q(copies__collection__doc_type__in=TEXTBOOK_TYPES)
    individual = Q(copies__collection__doc_type__in=INDIVIDUAL_TYPES)
    batches = (
        AcquisitionBatch.objects.filter(school=school, received_on__range=(start, end))
        .annotate(
            all_copies=Count("copies"),
            textbook_copies=Count("copies", filter=textbooks),
            individual_copies=Count("copies", filter=individual),
            copies_value=Sum("copies__price_vnd"),
        )
        .order_by("number")
    )
    sources = _source_names()
    rows = (
        [
            b.number,
            day(b.received_on),
            sources.get(b.source, b.source),
            b.supplier,
            b.invoice_number,
            b.textbook_copies,
            b.individual_copies,
            b.all_copies - b.textbook_copies - b.individual_copies,
            b.all_copies,
            money(b.total_vnd if b.total_vnd is not None else b.copies_value),
            b.notes,
        ]
        for b in batches
    )
    columns = [
        _("No. in the general register"),
        _("Date received"),
        _("Source"),
        _("Supplier or donor"),
        _("Document or invoice No."),
        _("Textbooks (SGK, SGV)"),
        _("Books (SNV, STK, STN)"),
        _("Other items"),
        _("Total copies"),
        _("Total value (VND)"),
        _("Notes"),
    ]
    widths = [8, 9, 9, 22, 12, 8, 8, 7, 7, 11, 14]
    return Section(_("Part I. Accessions"), columns, widths, rows)


def withdrawals(school: Unit, start: dt.date, end: dt.date) -> Section:
    approved = (
        Withdrawal.objects.filter(
            school=school, status=WithdrawalStatus.APPROVED, withdrawn_on__range=(start, end)
        )
        .annotate(copies=Count("lines"), value=Sum("lines__copy__price_vnd"))
        .order_by("number")
    )
    rows = (
        [
            w.number,
            day(w.withdrawn_on),
            w.minutes_number,
            day(w.minutes_date),
            w.decision_number,
            w.copies,
            money(w.value),
            w.reason,
        ]
        for w in approved
    )
    columns = [
        _("No. in the general register"),
        _("Date withdrawn"),
        _("Minutes No."),
        _("Minutes date"),
        _("Decision No."),
        _("Copies"),
        _("Value (VND)"),
        _("Reason"),
    ]
    return Section(_("Part II. Withdrawals"), columns, [8, 9, 12, 9, 12, 7, 11, 32], rows)


def school_year_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The ends of the school years (31 May) that fall in the period."""
    return [
        dt.date(year, 5, 31)
        for year in range(start.year, end.year + 1)
        if start <= dt.date(year, 5, 31) <= end
    ]


def stocktakes(school: Unit, start: dt.date, end: dt.date) -> Section:
    rows = []
    for last in school_year_ends(start, end):
        held = Q(registered_on__lte=last) & ~Q(withdrawal__withdrawn_on__lte=last)
        textbooks = Q(collection__doc_type__in=TEXTBOOK_TYPES)
        totals = Copy.objects.filter(held, school=school).aggregate(
            all=Count("pk"), textbooks=Count("pk", filter=textbooks), value=Sum("price_vnd")
        )
        rows.append(
            [
                _("Still held on %(day)s") % {"day": day(last)},
                f"{last.year - 1}–{last.year}",
                totals["textbooks"],
                totals["all"] - totals["textbooks"],
                totals["all"],
                money(totals["value"] or 0),
            ]
        )
    columns = [
        _("Stocktake"),
        _("School year"),
        _("Textbooks (SGK, SGV)"),
        _("Other copies"),
        _("Total copies"),
        _("Total value (VND)"),
    ]
    return Section(_("Part III. Yearly stocktakes"), columns, [30, 12, 12, 12, 12, 14], rows)


INDIVIDUAL_FIELDS = (
    "registered_on",
    "registration_number",
    "batch__number",
    "record__title",
    "record__part",
    "record__responsibility",
    "record__author",
    "record__publisher",
    "record__place",
    "record__year",
    "price_vnd",
    "record__call_number",
    "notes",
    "withdrawal__decision_number",
    "withdrawal__minutes_number",
)


def individual_rows(school: Unit, start: dt.date, end: dt.date) -> Iterator[list[Any]]:
    rows = (
        Copy.objects.filter(
            school=school,
            collection__doc_type__in=INDIVIDUAL_TYPES,
            registered_on__range=(start, end),
        )
        .order_by("sequence_id", "number")
        .values_list(*INDIVIDUAL_FIELDS)
    )
    for (
        registered_on, registration, batch, title, part, responsibility, author, publisher, place,
        year, price, call_number, notes, decision, minutes,
    ) in rows.iterator(chunk_size=2000):  # fmt: skip
        full_title = f"{title}. {part}" if part else title
        publication = ", ".join(p for p in (publisher, place) if p)
        remarks = "; ".join(n for n in (withdrawn_note(decision, minutes), notes) if n)
        yield [
            registration,
            day(registered_on),
            batch or "",
            _title_line(full_title, responsibility, author),
            publication,
            year or "",
            money(price),
            call_number,
            remarks,
        ]


def individual(school: Unit, start: dt.date, end: dt.date) -> list[Section]:
    columns = [
        _("Registration No."),
        _("Date registered"),
        _("No. in the general register"),
        _("Title / author"),
        _("Publisher, place"),
        _("Year"),
        _("Price (VND)"),
        _("Call number"),
        _("Notes"),
    ]
    widths = [10, 8, 6, 36, 14, 5, 8, 11, 12]
    return [Section("", columns, widths, individual_rows(school, start, end))]


def _runs(numbers: list[tuple[int, str, int | None]]) -> list[tuple[str, str, int]]:
    """Consecutive numbers as runs: (first code, last code, count)."""
    runs: list[list[Any]] = []
    for number, code, _seq in numbers:
        if runs and number == runs[-1][3] + 1:
            runs[-1][1], runs[-1][2], runs[-1][3] = code, runs[-1][2] + 1, number
        else:
            runs.append([code, code, 1, number])
    return [(first, last, count) for first, last, count, _n in runs]


def textbook(school: Unit, start: dt.date, end: dt.date) -> list[Section]:
    rows = (
        Copy.objects.filter(
            school=school,
            collection__doc_type__in=TEXTBOOK_TYPES,
            registered_on__range=(start, end),
        )
        .order_by("record__sort_key", "record__part", "record__year", "sequence_id", "number")
        .values_list(
            "record__title", "record__part", "record__year", "record__publisher",
            "record__local_class", "record__classification", "registered_on", "batch__number",
            "price_vnd", "number", "registration_number", "sequence_id", "status",
        )
    )  # fmt: skip
    pages: dict[tuple[str, str], dict[str, Any]] = {}
    for (
        title, part, year, publisher, local_class, ddc, registered_on, batch, price, number, code,
        sequence, status,
    ) in rows.iterator(chunk_size=2000):  # fmt: skip
        page = pages.setdefault(
            (title, part), {"mark": local_class or ddc, "publisher": publisher, "lines": {}}
        )
        line = page["lines"].setdefault(
            (year, sequence),
            {"day": registered_on, "batches": set(), "numbers": [], "value": 0, "gone": 0},
        )
        line["batches"].add(batch)
        line["numbers"].append((number, code, sequence))
        line["value"] += price or 0
        line["gone"] += status == "withdrawn"
    columns = [
        _("Date registered"),
        _("No. in the general register"),
        _("Year of publication"),
        _("Registration numbers"),
        _("Copies"),
        _("Value (VND)"),
        _("Withdrawn"),
    ]
    sections: list[Section] = []
    for (title, part), page in pages.items():
        lines = []
        for (year, _sequence), line in page["lines"].items():
            ranges = ", ".join(
                first if count == 1 else f"{first}–{last}"
                for first, last, count in _runs(line["numbers"])
            )
            lines.append(
                [
                    day(line["day"]),
                    ", ".join(str(b) for b in sorted(line["batches"], key=str) if b),
                    year or "",
                    ranges,
                    len(line["numbers"]),
                    money(line["value"]),
                    line["gone"] or "",
                ]
            )
        heading = f"{title} — {part}" if part else title
        sections.append(
            Section(
                heading,
                columns,
                [10, 10, 9, 40, 8, 11, 8],
                lines,
                subtitle=page["publisher"],
                corner=page["mark"],
                new_page=bool(sections),
            )
        )
    return sections


TITLES = {
    "general": "SỔ ĐĂNG KÝ TỔNG QUÁT",
    "individual": "SỔ ĐĂNG KÝ CÁ BIỆT",
    "textbook": "SỔ ĐĂNG KÝ SÁCH GIÁO KHOA",
}


def build(kind: str, school: Unit, start: dt.date, end: dt.date) -> Register:
    if kind not in KINDS:
        raise ValueError(kind)
    register = Register(kind, TITLES[kind], school, start, end)
    if kind == "general":
        register.sections = [
            accessions(school, start, end),
            withdrawals(school, start, end),
            stocktakes(school, start, end),
        ]
    elif kind == "individual":
        register.sections = individual(school, start, end)
    else:
        register.sections = textbook(school, start, end)
    return register


# --- PDF ---------------------------------------------------------------------------------------


def register_pdf(kind: str, school: Unit, start: dt.date, end: dt.date) -> bytes:
    """Drawn with reportlab (register_pages): WeasyPrint took minutes on 20,000 copies."""
    return register_pages.render(
        build(kind, school, start, end),
        governing=agencies.parent_agency(school, end),
        period=_period(start, end),
    )


def _period(start: dt.date, end: dt.date) -> str:
    return _("From %(start)s to %(end)s") % {"start": day(start), "end": day(end)}


# --- XLSX ---------------------------------------------------------------------------------------


def _sheet_name(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or _("Register")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:25]} {n}"
    taken.add(name)
    return name


def register_xlsx(kind: str, school: Unit, start: dt.date, end: dt.date) -> bytes:
    register = build(kind, school, start, end)
    book = cells.new_workbook()
    taken: set[str] = set()
    governing = agencies.parent_agency(school, end)
    period = _period(start, end)
    for section in register.sections or [Section("", [], [], [])]:
        sheet = book.create_sheet(_sheet_name(section.title or register.title, taken))
        cells.append_row(sheet, [governing])
        cells.append_row(sheet, [school.name.upper()])
        cells.append_row(sheet, [register.title, "", "", period])
        cells.append_row(sheet, [section.title, section.subtitle, section.corner])
        cells.append_row(sheet, section.columns)
        for row in section.rows:
            cells.append_row(sheet, [int(v) if isinstance(v, Money) else v for v in row])
    return cells.workbook_bytes(book)


def build_name(kind: str, school: Unit, start: dt.date, end: dt.date, fmt: str) -> str:
    """The file's name: "so-dang-ky-ca-biet-83000101-20250901-20260531.pdf"."""
    slug = {"general": "tong-quat", "individual": "ca-biet", "textbook": "sach-giao-khoa"}[kind]
    code = school.code or str(school.pk)
    return f"so-dang-ky-{slug}-{code}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
