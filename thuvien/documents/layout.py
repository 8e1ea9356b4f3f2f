"""Text measured in the vendored Liberation Serif (metric-compatible with Times New Roman), and the
column widths of a table: the one source both renderers draw, so the PDF and the Word file agree.

A column is never narrower than its longest word ("STT", "Trường", "09/04/2026") with the cell's
padding and rule: LibreOffice and Word break a word that does not fit its cell mid-word, and
WeasyPrint lets it spill over the rule. The rest of the width is shared by the given weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from math import inf
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
    """Widths in mm adding up to `total_mm`, shared by `weights` between two bounds per column:
    at least its longest word (the header's in bold) plus the cell's room, so no word breaks; and,
    while another column still wraps, at most its longest cell on one line (a header may take two
    lines), so a column of one-digit counts does not keep room a school's name needs. A column
    whose body is blank is left to its weight: it is there to be written in by hand."""
    columns = range(len(weights))
    room = cell_room_mm()
    low, high = [], []
    for i in columns:
        heads = [row[i] for row in header]
        cells = [row[i] for row in rows]
        word = max(
            longest_word_mm(heads, TABLE_FONT_PT, bold=True),
            longest_word_mm(cells, TABLE_FONT_PT),
        )
        low.append(room + word)
        if any(value.strip() for value in cells):
            line = max(text_width_mm(value, TABLE_FONT_PT) for value in cells)
            head = max((text_width_mm(v, TABLE_FONT_PT, bold=True) for v in heads), default=0)
            high.append(room + max(word, line, head / 2))
        else:
            high.append(inf)
    if sum(low) >= total_mm:  # cannot fit: the narrowest words win, scaled to the page
        return [total_mm * width / sum(low) for width in low]
    if sum(high) <= total_mm:  # nothing wraps: the room left over goes by weight
        extra = (total_mm - sum(high)) / sum(weights)
        return [high[i] + extra * weights[i] for i in columns]

    def widths(scale: float) -> list[float]:
        return [min(max(scale * weights[i], low[i]), high[i]) for i in columns]

    # The widths grow with the scale: find by bisection the one that fills the table.
    below, above = 0.0, max(max(low), min(total_mm, max(high))) / min(weights)
    for _ in range(60):
        middle = (below + above) / 2
        below, above = (middle, above) if sum(widths(middle)) < total_mm else (below, middle)
    found = widths(above)
    spare = total_mm - sum(found)  # the last hundredths of a mm, to the first free column
    free = next((i for i in columns if low[i] < found[i] < high[i]), 0)
    found[free] += spare
    return found
