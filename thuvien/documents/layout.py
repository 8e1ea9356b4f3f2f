"""Text measured in the vendored Liberation Serif (metric-compatible with Times New Roman), and the
column widths of a table: the one source both renderers draw, so the PDF and the Word file agree.

A column is never narrower than its longest word ("STT", "Trường", "09/04/2026") with the cell's
padding and rule: LibreOffice and Word break a word that does not fit its cell mid-word, and
WeasyPrint lets it spill over the rule. The rest of the width is shared by the given weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PT_MM = 25.4 / 72

# The text width of a page: A4 less the decree's margins (official.css's @page rules).
PORTRAIT_TEXT_MM = 210 - 30 - 15
LANDSCAPE_TEXT_MM = 297 - 20 - 20

TABLE_FONT_PT = 12  # table cells; headers are bold
CELL_PADDING_PT = 4  # left and right of every table cell (official.css: `padding: 2pt 4pt`)
RULE_PT = 0.75  # the table's rules
# Room for what one renderer measures a little wider than the other (justification, rounding).
SLACK_MM = 0.8


@cache
def _font(style: str) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    font = TTFont(FONTS_DIR / f"LiberationSerif-{style}.ttf")
    return font.getBestCmap(), dict(font["hmtx"].metrics), font["head"].unitsPerEm


@lru_cache(maxsize=8192)
def text_width_mm(value: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    cmap, metrics, units = _font(style)
    advance = sum(metrics[cmap[ord(ch)]][0] if ord(ch) in cmap else units / 2 for ch in value)
    return advance / units * size_pt * PT_MM


def longest_word_mm(values: Iterable[str], size_pt: float, *, bold: bool = False) -> float:
    words = {word for value in values for word in value.split()}
    return max((text_width_mm(word, size_pt, bold=bold) for word in words), default=0.0)


def cell_room_mm() -> float:
    """What a cell adds around its text: the padding on both sides and the rule."""
    return (2 * CELL_PADDING_PT + RULE_PT) * PT_MM + SLACK_MM


def column_widths_mm(
    header: Sequence[Sequence[str]],
    rows: Sequence[Sequence[str]],
    weights: Sequence[float],
    total_mm: float,
) -> list[float]:
    """Widths in mm adding up to `total_mm`: by `weights`, each column at least its longest word
    (the header's in bold) plus the cell's room; columns held at their minimum give up no more."""
    columns = len(weights)
    room = cell_room_mm()
    minimum = [
        room
        + max(
            longest_word_mm((row[i] for row in header), TABLE_FONT_PT, bold=True),
            longest_word_mm((row[i] for row in rows), TABLE_FONT_PT),
        )
        for i in range(columns)
    ]
    if sum(minimum) >= total_mm:  # cannot fit: the narrowest words win, scaled to the page
        return [total_mm * m / sum(minimum) for m in minimum]
    held: set[int] = set()
    while True:
        free = [i for i in range(columns) if i not in held]
        budget = total_mm - sum(minimum[i] for i in held)
        share = sum(weights[i] for i in free)
        widths = {i: budget * weights[i] / share for i in free}
        short = {i for i, width in widths.items() if width < minimum[i]}
        if not short:
            return [minimum[i] if i in held else widths[i] for i in range(columns)]
        held |= short
