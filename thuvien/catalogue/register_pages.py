"""A register as PDF, drawn straight onto A4 landscape pages with reportlab's canvas.

WeasyPrint lays out a Sổ đăng ký cá biệt of 20,000 copies in about nine minutes; this draws it
in seconds (bench/bench_catalogue_registers.py). The layout is the HTML version's: the agency and
the school, the title, the period, then each section (its title, subtitle and corner, a table
whose heading row starts every page the table runs on, "None" when it has no row).

Two passes: `_Layout` wraps every cell at its column's width (words, then letters of a word
longer than the column) and places the rows on pages; `_draw` writes the pages, each with its
"Trang x/y", now that their number is known. A row taller than a page is split between pages.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from thuvien.documents.pdf import PACKAGE_DIR

if TYPE_CHECKING:
    from thuvien.catalogue.registers import Register, Section

REGULAR, BOLD, ITALIC = "LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"
mm = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 297 * mm, 210 * mm  # A4 landscape
LEFT, RIGHT, TOP, BOTTOM = 15 * mm, PAGE_WIDTH - 10 * mm, PAGE_HEIGHT - 12 * mm, 14 * mm
WIDTH = RIGHT - LEFT
SIZE, LEADING = 9.5, 11.4  # the table's text, as the HTML's 9.5pt with line-height 1.2
PAD_X, PAD_Y = 2.0, 1.5
BASELINE = LEADING - 0.23 * SIZE  # from the top of a line to its baseline
RULE = 0.5


@cache
def register_fonts() -> None:
    """The vendored Liberation Serif (every Vietnamese letter and tone mark), once a process."""
    fonts = PACKAGE_DIR / "fonts"
    for name, face in ((REGULAR, "Regular"), (BOLD, "Bold"), (ITALIC, "Italic")):
        pdfmetrics.registerFont(TTFont(name, str(fonts / f"LiberationSerif-{face}.ttf")))


class _Widths(dict[int, float]):
    """A face's advance widths by code point (thousandths of an em); the face's default for a
    letter it lacks."""

    def __init__(self, font: str) -> None:
        face = pdfmetrics.getFont(font).face
        super().__init__(face.charWidths)
        self.default = float(face.defaultWidth)

    def __missing__(self, key: int) -> float:
        return self.default


@cache
def _advances(font: str) -> Callable[[int], float]:
    register_fonts()
    return _Widths(font).__getitem__


def width_of(text: str, font: str, size: float) -> float:
    """pdfmetrics.stringWidth, about three times faster: it measures every cell, some twice."""
    return sum(map(_advances(font), map(ord, text))) * size / 1000


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` as lines no wider than `width`: broken between words, a word wider than the
    line between its letters. Runs of white space count as one space, as in HTML."""
    words = text.split()
    if not words:
        return [""]
    joined = " ".join(words)
    if width_of(joined, font, size) <= width:  # most cells: one line
        return [joined]
    space = width_of(" ", font, size)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in words:
        wide = width_of(word, font, size)
        if line and used + space + wide <= width:
            line.append(word)
            used += space + wide
            continue
        if line:
            lines.append(" ".join(line))
        if wide <= width:
            line, used = [word], wide
            continue
        pieces = _letters(word, font, size, width)
        lines.extend(pieces[:-1])
        line, used = [pieces[-1]], width_of(pieces[-1], font, size)
    lines.append(" ".join(line))
    return lines


def _letters(word: str, font: str, size: float, width: float) -> list[str]:
    """A word too long for its column, in pieces that fit (at least a letter a piece)."""
    pieces, start, used = [], 0, 0.0
    for i, letter in enumerate(word):
        wide = width_of(letter, font, size)
        if i > start and used + wide > width:
            pieces.append(word[start:i])
            start, used = i, 0.0
        used += wide
    pieces.append(word[start:])
    return pieces


# --- The layout ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Text:
    """A line of text: at `x` (left), centred on `x`, or ending at `x` (right)."""

    x: float
    y: float
    text: str
    font: str = REGULAR
    size: float = SIZE
    align: str = "left"


@dataclass
class Page:
    texts: list[Text] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class Row:
    cells: list[list[str]]  # each cell's lines
    font: str
    numeric: list[bool]  # right-aligned cells
    lines: int  # the tallest cell's
    spans: bool = False  # one cell across the table

    @property
    def height(self) -> float:
        return self.lines * LEADING + 2 * PAD_Y


class Table:
    """A section's columns: their edges on the page and how a row of values becomes a `Row`."""

    def __init__(self, section: Section) -> None:
        total = sum(section.widths) or 1
        self.edges = [LEFT]
        for relative in section.widths:
            self.edges.append(self.edges[-1] + WIDTH * relative / total)
        self.heading = self.row(section.columns, BOLD, numbers=False)

    def row(self, values: list[Any], font: str = REGULAR, *, numbers: bool = True) -> Row:
        cells, numeric = [], []
        for value, left, right in zip(values, self.edges, self.edges[1:], strict=False):
            is_number = numbers and isinstance(value, int)
            numeric.append(is_number)
            text = str(value) if value is not None else ""  # Money prints with its dots
            cells.append(wrap(text, font, SIZE, right - left - 2 * PAD_X))
        return Row(cells, font, numeric, max((len(c) for c in cells), default=1))

    def spanning(self, text: str) -> Row:
        """One cell across every column (the "None" of an empty section)."""
        lines = wrap(text, ITALIC, SIZE, WIDTH - 2 * PAD_X)
        return Row([lines], ITALIC, [False], len(lines), spans=True)


class _Layout:
    """Places the register's blocks on pages, top to bottom."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.y = 0.0
        self.table: Table | None = None
        self.table_top = 0.0  # where the table's segment on this page starts
        self.new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        if self.pages:
            self.close_segment()
        self.pages.append(Page())
        self.y = TOP
        if self.table is not None:  # the table goes on: its heading first
            self.table_top = self.y
            self.place_row(self.table.heading)

    def room(self) -> float:
        return self.y - BOTTOM

    def text(
        self, text: str, font: str, size: float, *, align: str = "left", before: float = 0,
        width: float = WIDTH,
    ) -> float:  # fmt: skip
        """A paragraph across the page (wrapped at `width`), `before` points below what precedes
        it; the baseline of its first line."""
        leading = size * 1.2
        lines = wrap(text, font, size, width)
        if self.y < TOP:
            self.y -= before
        if self.room() < leading * len(lines):
            self.new_page()
        x = {"left": LEFT, "center": (LEFT + RIGHT) / 2, "right": RIGHT}[align]
        first = self.y - leading + 0.22 * size
        for line in lines:
            self.y -= leading
            self.page.texts.append(Text(x, self.y + 0.22 * size, line, font, size, align))
        return first

    def section(self, section: Section) -> None:
        table = Table(section)
        heading = (12 * 1.2 + 10 if section.title else 0) + (SIZE * 1.2 if section.subtitle else 0)
        rows = iter(section.rows)
        first = next(rows, None)
        first_row = table.row(first) if first is not None else table.spanning(_("None"))
        if section.new_page and self.y < TOP:
            self.new_page()
        elif self.room() < heading + table.heading.height + min(first_row.height, 3 * LEADING):
            self.new_page()  # the section's heading not alone at the foot of a page
        if section.title:  # the corner (a class mark) at the right of its first line
            corner = width_of(section.corner, REGULAR, 12) + 12 if section.corner else 0
            line = self.text(section.title, BOLD, 12, before=10, width=WIDTH - corner)
            if section.corner:
                self.page.texts.append(Text(RIGHT, line, section.corner, REGULAR, 12, "right"))
        if section.subtitle:
            self.text(section.subtitle, ITALIC, SIZE, before=2)
        self.y -= 4
        self.table, self.table_top = table, self.y
        self.place_row(table.heading)
        self.add_row(first_row)
        for values in rows:
            self.add_row(table.row(values))
        self.close_segment()
        self.table = None

    def add_row(self, row: Row) -> None:
        assert self.table is not None
        if row.height > self.room():
            fresh = TOP - BOTTOM - self.table.heading.height  # the room on a new page
            if row.height <= fresh or self.room() < 2 * PAD_Y + LEADING:
                self.new_page()
            while row.height > self.room():  # taller than a page: what fits, then the rest
                fits = int((self.room() - 2 * PAD_Y) // LEADING)
                cells, rest = [c[:fits] for c in row.cells], [c[fits:] for c in row.cells]
                self.place_row(Row(cells, row.font, row.numeric, fits, row.spans))
                row = Row(rest, row.font, row.numeric, row.lines - fits, row.spans)
                self.new_page()
        self.place_row(row)

    def place_row(self, row: Row) -> None:
        assert self.table is not None
        heading = row is self.table.heading
        spanning = row.spans
        edges = [LEFT, RIGHT] if spanning else self.table.edges
        if spanning:  # no inner edges across it: those above it end here
            self.close_segment()
        top, texts = self.y, self.page.texts
        for lines, numeric, left, right in zip(
            row.cells, row.numeric, edges, edges[1:], strict=False
        ):
            y = top - PAD_Y - BASELINE
            for line in lines:
                if heading:
                    texts.append(Text((left + right) / 2, y, line, row.font, SIZE, "center"))
                elif numeric:
                    texts.append(Text(right - PAD_X, y, line, row.font, SIZE, "right"))
                else:
                    texts.append(Text(left + PAD_X, y, line, row.font))
                y -= LEADING
        self.y -= row.height
        self.page.rules.append((LEFT, top, RIGHT, top))
        self.page.rules.append((LEFT, self.y, RIGHT, self.y))
        if spanning:
            self.page.rules.append((LEFT, top, LEFT, self.y))
            self.page.rules.append((RIGHT, top, RIGHT, self.y))
            self.table_top = self.y

    def close_segment(self) -> None:
        """The column edges of the table's part on this page."""
        if self.table is not None and self.y < self.table_top:
            for x in self.table.edges:
                self.page.rules.append((x, self.table_top, x, self.y))
            self.table_top = self.y


def layout(register: Register, *, governing: str, period: str) -> list[Page]:
    """The register on pages, under its heading: the governing agency, the school, the title and
    the `period` line."""
    register_fonts()
    placed = _Layout()
    if governing:
        placed.text(governing, REGULAR, 11, align="center")
    placed.text(register.school.name.upper(), BOLD, 11, align="center")
    placed.text(register.title, BOLD, 16, align="center", before=8)
    placed.text(period, ITALIC, SIZE, align="center", before=2)
    placed.y -= 6
    if not register.sections:
        placed.text(_("Nothing was registered in this period."), ITALIC, SIZE, before=4)
    for section in register.sections:
        placed.section(section)
    return placed.pages


# --- The drawing --------------------------------------------------------------------------------


def _draw(canvas: Canvas, page: Page, footer: str) -> None:
    canvas.setLineWidth(RULE)
    canvas.lines(page.rules)
    text = canvas.beginText()
    current: tuple[str, float] | None = None
    for line in [*page.texts, Text((LEFT + RIGHT) / 2, 7 * mm, footer, REGULAR, 9, "center")]:
        if (line.font, line.size) != current:
            current = (line.font, line.size)
            text.setFont(line.font, line.size)
        x = line.x
        if line.align != "left":
            wide = width_of(line.text, line.font, line.size)
            x -= wide / 2 if line.align == "center" else wide
        text.setTextOrigin(x, line.y)
        text.textOut(line.text)
    canvas.drawText(text)
    canvas.showPage()


def pages_text(pages: Iterable[Page]) -> Iterator[str]:
    """Every line placed, page after page (for tests and debugging)."""
    for page in pages:
        for line in page.texts:
            yield line.text


def render(register: Register, *, governing: str, period: str) -> bytes:
    """The register as PDF bytes (see `layout`)."""
    pages = layout(register, governing=governing, period=period)
    with _plain_streams():
        return _write(register, pages)


@contextmanager
def _plain_streams() -> Iterator[None]:
    """Compressed streams without ASCII85 on top: a third smaller, and encoding 1,000 pages in
    ASCII85 takes reportlab's pure-Python encoder a second."""
    was = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = was


def _write(register: Register, pages: list[Page]) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(register.title)
    canvas.setAuthor(register.school.name)
    for number, page in enumerate(pages, start=1):
        footer = _("Page %(number)s of %(total)s") % {"number": number, "total": len(pages)}
        _draw(canvas, page, footer)
    canvas.save()
    return out.getvalue()
