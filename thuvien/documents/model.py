"""What an official document says, apart from how it is drawn (Nghị định 30/2020, Phụ lục I).

Plain frozen dataclasses: a feature builds an `OfficialDocument` and hands it to `render_pdf` or
`render_docx`. Text is given as it should read; the renderers add the punctuation the decree asks
for (";" between recipients, "." at the end, "- Lưu: VT, …").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Literal

from .layout import column_widths_mm

# Phụ lục III: abbreviations of the document types our features issue. A typed document's symbol
# starts with its abbreviation ("KH-SGDĐT"); a Công văn has none ("SGDĐT-KHTC").
TYPE_ABBREVIATIONS = {
    "KẾ HOẠCH": "KH",
    "BÁO CÁO": "BC",
    "GIẤY MỜI": "GM",
    "THÔNG BÁO": "TB",
    "HƯỚNG DẪN": "HD",
    "TỜ TRÌNH": "TTr",
    "QUYẾT ĐỊNH": "QĐ",
    "CHƯƠNG TRÌNH": "CTr",
    "PHƯƠNG ÁN": "PA",
    "BIÊN BẢN": "BB",
}


def _require(value: str, what: str) -> None:
    if not value or not value.strip():
        raise ValueError(f"An official document needs {what}.")


@dataclass(frozen=True)
class Heading:
    """A heading written with its numbering: level 1 "I. MỤC ĐÍCH", 2 "1. Mục đích", 3 "a) …"."""

    text: str
    level: Literal[1, 2, 3] = 1
    kind: ClassVar[str] = "heading"

    def __post_init__(self) -> None:
        _require(self.text, "a heading text")
        if self.level not in (1, 2, 3):
            raise ValueError(f"Heading level must be 1, 2 or 3, not {self.level!r}.")


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class BulletList:
    """Items shown as "- item", each indented like a paragraph."""

    items: Sequence[str]
    kind: ClassVar[str] = "bullets"


Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Table:
    """A grid of text: header rows (repeated on every page) then body rows, all the same width.

    `widths` are relative column widths (e.g. (1, 6, 2)); `align` one alignment per column.
    """

    header: Sequence[Sequence[str]]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = ()
    align: Sequence[Align] = ()
    kind: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        every = [*self.header, *self.rows]
        if not every:
            raise ValueError("A table needs at least one row.")
        columns = len(every[0])
        if columns == 0 or any(len(row) != columns for row in every):
            raise ValueError(f"Every row of a table must have {columns or 'some'} cells.")
        if self.widths and (len(self.widths) != columns or min(self.widths) <= 0):
            raise ValueError(f"A table of {columns} columns needs {columns} positive widths.")
        if self.align and len(self.align) != columns:
            raise ValueError(f"A table of {columns} columns needs {columns} alignments.")

    @property
    def columns(self) -> int:
        return len((self.header or self.rows)[0])

    @property
    def percent_widths(self) -> list[float]:
        widths = self.widths or [1.0] * self.columns
        return [round(100 * width / sum(widths), 2) for width in widths]

    def widths_mm(self, total_mm: float) -> list[float]:
        """The columns as both renderers draw them across `total_mm`: by `widths`, each wide
        enough for its longest word (`layout.column_widths_mm`)."""
        weights = self.widths or [1.0] * self.columns
        return column_widths_mm(self.header, self.rows, weights, total_mm)

    def percents(self, total_mm: float) -> list[float]:
        """`widths_mm` as percentages of the table's width (the PDF's `<col>` widths)."""
        return [round(100 * width / total_mm, 3) for width in self.widths_mm(total_mm)]

    @property
    def alignments(self) -> list[Align]:
        return list(self.align) or ["left"] * self.columns

    @property
    def aligned_rows(self) -> list[list[tuple[str, Align]]]:
        return [list(zip(row, self.alignments, strict=True)) for row in self.rows]


Block = Heading | Paragraph | BulletList | Table


@dataclass(frozen=True)
class DocumentType:
    """Mẫu 1.4, a document with a type name ("KẾ HOẠCH", "BÁO CÁO") and a summary under it."""

    name: str
    summary: str

    def __post_init__(self) -> None:
        _require(self.name, "a type name")
        _require(self.summary, "a summary (trích yếu)")

    @property
    def abbreviation(self) -> str | None:
        return TYPE_ABBREVIATIONS.get(self.name.strip().upper())

    @property
    def label(self) -> str:
        """The name inside a sentence: "BÁO CÁO" → "Báo cáo"."""
        return self.name.strip().lower().capitalize()


@dataclass(frozen=True)
class CongVan:
    """Mẫu 1.5, a Công văn: no type name, "V/v <summary>" under the number."""

    summary: str
    label: ClassVar[str] = "Công văn"

    def __post_init__(self) -> None:
        _require(self.summary, "a summary (V/v …)")


class Authority(StrEnum):
    """Who signs for whom (Phụ lục I, 7a): on behalf of a body, deputy, by order, by delegation."""

    TM = "TM."
    KT = "KT."
    TL = "TL."
    TUQ = "TUQ."


@dataclass(frozen=True)
class Signature:
    """`Signature("PHÓ GIÁM ĐỐC", "Nguyễn Văn A", Authority.KT, "GIÁM ĐỐC")` → KT. GIÁM ĐỐC / …"""

    position: str
    signer: str
    authority: Authority | None = None
    on_behalf_of: str = ""

    def __post_init__(self) -> None:
        _require(self.signer, "a signer's name")
        _require(self.position, "the signer's position")
        if self.authority is not None:
            _require(self.on_behalf_of, f"the office signed for after {self.authority.value}")

    @property
    def title_lines(self) -> list[str]:
        lines = [self.position.upper()]
        if self.authority is not None:
            lines.insert(0, f"{self.authority.value} {self.on_behalf_of.upper()}")
        return lines


@dataclass(frozen=True)
class Appendix:
    """An appendix on its own pages; `landscape` turns its pages for wide tables.

    `attached_line` replaces the composed "(Kèm theo Công văn số …)" line when given.
    """

    title: str
    blocks: Sequence[Block] = ()
    landscape: bool = False
    attached_line: str | None = None

    def __post_init__(self) -> None:
        _require(self.title, "an appendix title")


@dataclass(frozen=True, kw_only=True)
class OfficialDocument:
    issuing_agency: str
    symbol: str
    place: str
    issued_on: datetime.date
    kind: DocumentType | CongVan
    signature: Signature
    parent_agency: str = ""
    number: int | None = None  # None: a draft that Văn thư numbers ("Số:      /…")
    kinh_gui: Sequence[str] = ()
    can_cu: Sequence[str] = ()
    body: Sequence[Block] = ()
    noi_nhan: Sequence[str] = ()
    drafting_unit: str = ""  # the Nơi nhận ends "- Lưu: VT, <drafting_unit>." (or "- Lưu: VT.")
    appendices: Sequence[Appendix] = ()

    def __post_init__(self) -> None:
        _require(self.issuing_agency, "an issuing agency (tên cơ quan ban hành)")
        _require(self.symbol, "a symbol (ký hiệu)")
        _require(self.place, "a place name (địa danh)")
        if self.number is not None and self.number < 1:
            raise ValueError(f"A document number starts at 1, not {self.number}.")
        if not isinstance(self.signature, Signature):
            raise ValueError("An official document needs a signature block with a signer.")
        if isinstance(self.kind, DocumentType):
            abbreviation = self.kind.abbreviation
            if abbreviation and not self.symbol.startswith(f"{abbreviation}-"):
                raise ValueError(
                    f"The symbol of a {self.kind.label.lower()} starts with "
                    f'"{abbreviation}-" (e.g. "{abbreviation}-SGDĐT"), not "{self.symbol}".'
                )
        if any(not item.strip() for item in [*self.kinh_gui, *self.can_cu, *self.noi_nhan]):
            raise ValueError("Recipients, bases and Nơi nhận lines cannot be blank.")
