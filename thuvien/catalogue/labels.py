"""Printable A4 sheets of labels for a school's copies: barcode labels (Code 128 of the copy's
barcode, its registration number, a short title and the school) and spine labels (the call number
on its lines, the registration number).

The sheet is a `LabelGrid` (columns × rows of labels of a size, the sheet's margins and the gaps
between labels): the presets are the A4 sheets sold in Vietnam, named by their size; a custom grid
is any other. Printing can start at any position of the first sheet (a sheet partly used before).
Nothing is cut: a long text is set smaller and wrapped, and every label's content is centred.
The barcodes are python-barcode's SVG, drawn by WeasyPrint as vectors, so that a reader reads them
back at any printer resolution (tests/catalogue/test_labels.py reads every one with zxing-cpp).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from thuvien.documents.pdf import html_to_pdf

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
KINDS = ("barcode", "spine", "both")
PADDING_MM = 1.5
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class LabelGrid:
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_left_mm: float
    gap_x_mm: float = 0.0
    gap_y_mm: float = 0.0
    name: str = ""

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def problems(self) -> list[str]:
        """What keeps the grid off an A4 sheet (empty when it fits)."""
        found = []
        if self.columns < 1 or self.rows < 1 or self.width_mm <= 5 or self.height_mm <= 5:
            found.append(str(_("A label sheet needs at least one label of 5 × 5 mm or more.")))
        right = self.margin_left_mm + self.columns * self.width_mm
        right += (self.columns - 1) * self.gap_x_mm
        bottom = self.margin_top_mm + self.rows * self.height_mm
        bottom += (self.rows - 1) * self.gap_y_mm
        if min(self.margin_left_mm, self.margin_top_mm, self.gap_x_mm, self.gap_y_mm) < 0:
            found.append(str(_("Margins and gaps cannot be negative.")))
        if right > PAGE_WIDTH_MM + 0.01 or bottom > PAGE_HEIGHT_MM + 0.01:
            found.append(str(_("These labels do not fit on an A4 sheet (210 × 297 mm).")))
        return found

    def place(self, position: int) -> tuple[float, float]:
        """(left, top) in mm of the label at `position` (0 = the first) of a sheet."""
        row, column = divmod(position, self.columns)
        left = self.margin_left_mm + column * (self.width_mm + self.gap_x_mm)
        top = self.margin_top_mm + row * (self.height_mm + self.gap_y_mm)
        return left, top


# The usual A4 label sheets (Tomy, Decal A4 and the Avery-compatible sheets sold in Vietnam),
# named by their count and size since the brands number them differently.
PRESETS: dict[str, LabelGrid] = {
    "a4-65": LabelGrid(5, 13, 38.1, 21.2, 10.7, 4.7, 2.5, 0, "A4 — 65 nhãn 38,1 × 21,2 mm"),
    "a4-40": LabelGrid(4, 10, 48.5, 25.4, 21.5, 8.0, 0, 0, "A4 — 40 nhãn 48,5 × 25,4 mm"),
    "a4-24": LabelGrid(3, 8, 64.0, 33.9, 12.9, 7.0, 2.0, 0, "A4 — 24 nhãn 64 × 33,9 mm"),
    "a4-21": LabelGrid(3, 7, 70.0, 42.3, 0.0, 0.0, 0, 0, "A4 — 21 nhãn 70 × 42,3 mm"),
}


@dataclass(frozen=True)
class LabelCopy:
    """What a label prints of a copy (the views read these from the copies they may see)."""

    barcode: str
    registration_number: str
    title: str
    call_number: str
    school_name: str = ""


def barcode_svg(code: str, width_mm: float, height_mm: float) -> str:
    """Code 128 of `code` (python-barcode's encoding) as inline SVG: its bars one path, as wide as
    `width_mm` allows (0.19-0.33 mm a module, with the quiet zone of 10 modules each side).

    python-barcode's own SVGWriter draws each bar as a rectangle styled in CSS; WeasyPrint then
    parses a stylesheet a bar (a sheet of 65 labels took 9 s): the same bars as one path draw at
    once."""
    from barcode import Code128

    modules = Code128(code).build()[0]
    module = max(0.19, min(0.33, width_mm / (len(modules) + 20)))
    bars = []
    for match in re.finditer("1+", modules):
        x = (match.start() + 10) * module
        bars.append(f"M{x:.3f} 0h{len(match.group()) * module:.3f}v{height_mm:.3f}H{x:.3f}Z")
    width = (len(modules) + 20) * module
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.3f}mm" height="{height_mm:.3f}mm"'
        f' viewBox="0 0 {width:.3f} {height_mm:.3f}"><path fill="#000" d="{"".join(bars)}"/></svg>'
    )


def fitted_size(text: str, width_mm: float, lines: int, largest: float) -> float:
    """A font size (pt) at which `text` fits on `lines` lines of `width_mm` (never below 4 pt:
    beyond that the text wraps onto more lines instead of being cut)."""
    average_width = 0.5  # of the em, Liberation Serif on Vietnamese text
    per_line = width_mm * PT_PER_MM / average_width
    needed = max(len(text), 1) / lines
    return round(max(4.0, min(largest, per_line / needed)), 1)


def _text(css_class: str, text: str, size: float) -> str:
    return f'<div class="{css_class}" style="font-size: {size}pt">{escape(text)}</div>'


def barcode_label(copy: LabelCopy, grid: LabelGrid) -> str:
    inner = grid.width_mm - 2 * PADDING_MM
    scale = min(grid.height_mm / 21.2, 1.6)
    bars = max(6.0, grid.height_mm * 0.4)
    return "".join(
        [
            _text("school", copy.school_name, fitted_size(copy.school_name, inner, 1, 6 * scale)),
            f'<div class="bars">{barcode_svg(copy.barcode, inner, bars)}</div>',
            _text(
                "number",
                copy.registration_number,
                fitted_size(copy.registration_number, inner, 1, 8 * scale),
            ),
            _text("title", copy.title, fitted_size(copy.title, inner, 2, 6.5 * scale)),
        ]
    )


def spine_lines(call_number: str) -> list[str]:
    """ "895.9223 NG-A 2018" → ["895.9223", "NG-A", "2018"] (a slash or a space splits)."""
    return [part for part in re.split(r"[\s/]+", call_number.strip()) if part]


def spine_label(copy: LabelCopy, grid: LabelGrid) -> str:
    inner = grid.width_mm - 2 * PADDING_MM
    lines = spine_lines(copy.call_number) or ["—"]
    rows = len(lines) + 1
    tallest = (grid.height_mm - 2 * PADDING_MM) * PT_PER_MM / (rows * 1.2)
    size = min(fitted_size(max(lines, key=len), inner, 1, 14), tallest)
    number = min(fitted_size(copy.registration_number, inner, 1, 9), tallest)
    parts = [_text("call", line, max(size, 4.0)) for line in lines]
    parts.append(_text("number", copy.registration_number, max(number, 4.0)))
    return "".join(parts)


def _contents(copies: Iterable[LabelCopy], grid: LabelGrid, kind: str) -> Iterator[str]:
    for copy in copies:
        if kind in ("barcode", "both"):
            yield barcode_label(copy, grid)
        if kind in ("spine", "both"):
            yield spine_label(copy, grid)


STYLESHEET = """
@page { size: A4 portrait; margin: 0; }
html { font-family: LiberationSerif; color: #000; line-height: 1.1; }
body { margin: 0; }
.sheet { position: relative; width: 210mm; height: 296.9mm; break-after: page; }
.sheet:last-child { break-after: auto; }
.label { position: absolute; box-sizing: border-box; padding: 1.5mm; overflow: visible;
  display: flex; flex-direction: column; justify-content: center; align-items: center;
  text-align: center; }
.label div { max-width: 100%; overflow-wrap: break-word; }
.bars { line-height: 0; }
.bars svg { display: block; }
.number, .call { font-weight: bold; }
"""


def labels_html(copies: Iterable[LabelCopy], grid: LabelGrid, kind: str, start: int = 1) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    sheets: list[list[str]] = [[]]
    position = max(start, 1) - 1
    if position >= grid.per_sheet:
        position %= grid.per_sheet
    for content in _contents(copies, grid, kind):
        if position == grid.per_sheet:
            sheets.append([])
            position = 0
        left, top = grid.place(position)
        sheets[-1].append(
            f'<div class="label" style="left: {left:.2f}mm; top: {top:.2f}mm; '
            f'width: {grid.width_mm:.2f}mm; height: {grid.height_mm:.2f}mm">{content}</div>'
        )
        position += 1
    body = "".join(f'<div class="sheet">{"".join(labels)}</div>' for labels in sheets)
    return f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>{body}</body></html>'  # noqa: E501


def labels_pdf(
    copies: Iterable[Any], *, grid: LabelGrid, kind: str, school_name: str = "", start: int = 1
) -> bytes:
    """A4 sheets of labels of `copies` (`LabelCopy`s, or `Copy` rows with their record)."""
    shown = [as_label(copy, school_name) for copy in copies]
    return html_to_pdf(labels_html(shown, grid, kind, start), STYLESHEET)


def as_label(copy: Any, school_name: str = "") -> LabelCopy:
    if isinstance(copy, LabelCopy):
        return copy if copy.school_name or not school_name else _with_school(copy, school_name)
    record = copy.record
    return LabelCopy(
        barcode=copy.barcode,
        registration_number=copy.registration_number,
        title=record.title,
        call_number=record.call_number,
        school_name=school_name,
    )


def _with_school(copy: LabelCopy, school_name: str) -> LabelCopy:
    return LabelCopy(
        copy.barcode, copy.registration_number, copy.title, copy.call_number, school_name
    )
