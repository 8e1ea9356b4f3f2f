"""The wording both renderers share: number line, date line, punctuation of lists, appendix lines.

Kept apart from the drawing so the PDF and the DOCX of one document say exactly the same thing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from thuvien.core.folding import fold

from .model import Appendix, CongVan, OfficialDocument

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NBSP = "\u00a0"
# Room Văn thư fills in by hand on a draft: "Số:      /SGDĐT-KHTC".
_BLANK_NUMBER = NBSP * 6
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def number_and_symbol(doc: OfficialDocument) -> str:
    """ "2458/SGDĐT-KHTC", "05/BNV-VP" (a leading 0 under 10), or "      /KH-SGDĐT" for a draft."""
    number = _BLANK_NUMBER if doc.number is None else f"{doc.number:02d}"
    return f"{number}/{doc.symbol}"


def number_line(doc: OfficialDocument) -> str:
    return f"Số: {number_and_symbol(doc)}"


def date_words(day: datetime.date) -> str:
    """ "ngày 04 tháng 12 năm 2017": a leading 0 for days under 10 and for months 1 and 2 only."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(doc: OfficialDocument) -> str:
    return f"{doc.place}, {date_words(doc.issued_on)}"


def vv_line(doc: OfficialDocument) -> str:
    assert isinstance(doc.kind, CongVan)
    summary = doc.kind.summary.strip()
    return summary if summary.startswith("V/v ") else f"V/v {summary}"


def punctuated(items: Sequence[str], *, bullet: str = "") -> list[str]:
    """One item per line, ";" after each and "." after the last, whatever the caller typed."""
    clean = [item.strip().rstrip(";.,").rstrip() for item in items]
    return [
        f"{bullet}{item}{'.' if index == len(clean) - 1 else ';'}"
        for index, item in enumerate(clean)
    ]


def kinh_gui_lines(doc: OfficialDocument) -> list[str]:
    """One recipient stays on the "Kính gửi:" line; several each take a "- " line."""
    return punctuated(doc.kinh_gui, bullet="" if len(doc.kinh_gui) == 1 else "- ")


def noi_nhan_lines(doc: OfficialDocument) -> list[str]:
    """The recipients, then the archive line every document ends with: "Lưu: VT" (the clerical
    office), with the drafting unit when it is known."""
    items = [item for item in doc.noi_nhan if not item.strip().startswith("Lưu")]
    unit = doc.drafting_unit.strip()
    items.append(f"Lưu: VT, {unit}" if unit else "Lưu: VT")
    return punctuated(items, bullet="- ")


def appendix_label(doc: OfficialDocument, index: int) -> str:
    """ "Phụ lục" alone, or "Phụ lục I", "Phụ lục II"… when there are two or more."""
    if len(doc.appendices) < 2:
        return "Phụ lục"
    return f"Phụ lục {_ROMAN[index] if index < len(_ROMAN) else index + 1}"


def attached_line(doc: OfficialDocument, appendix: Appendix) -> str:
    """ "(Kèm theo Công văn số 2458/SGDĐT-KHTC ngày 04 tháng 12 năm 2017)"."""
    if appendix.attached_line is not None:
        return appendix.attached_line
    return f"(Kèm theo {doc.kind.label} số {number_and_symbol(doc)} {date_words(doc.issued_on)})"


@dataclass(frozen=True)
class AppendixView:
    label: str
    title: str
    attached: str
    appendix: Appendix


def appendix_views(doc: OfficialDocument) -> list[AppendixView]:
    return [
        AppendixView(
            label=appendix_label(doc, index),
            title=appendix.title.upper(),
            attached=attached_line(doc, appendix),
            appendix=appendix,
        )
        for index, appendix in enumerate(doc.appendices)
    ]


def official_filename(doc: OfficialDocument, ext: str) -> str:
    """ "2458-SGDDT-KHTC-2017-12-04.pdf": folded ASCII, safe in every file system and e-mail."""
    parts = [f"{doc.number:02d}"] if doc.number is not None else ["du-thao"]
    parts.append(re.sub(r"[^A-Za-z0-9]+", "-", fold(doc.symbol)).strip("-").upper())
    parts.append(doc.issued_on.isoformat())
    return f"{'-'.join(parts)}.{ext.lstrip('.')}"
