"""An `OfficialDocument` as a Word file in the Nghị định 30 layout, built with python-docx.

Word has no "line as long as the text" box, so the tiêu ngữ line and the short lines under the
agency and the trích yếu are paragraph borders whose indents are computed from the text width,
measured with the vendored Liberation Serif (metric-compatible with Times New Roman).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from fontTools.ttLib import TTFont

from . import text
from .model import Block, BulletList, CongVan, DocumentType, Heading, OfficialDocument, Table
from .pdf import PACKAGE_DIR

FONT = "Times New Roman"
BODY_STYLE = "ND30 Body"
TEXT_WIDTH_MM = 210 - 30 - 15  # portrait: A4 minus the left and right margins
LANDSCAPE_TEXT_WIDTH_MM = 297 - 20 - 20
HEADER_LEFT_MM = TEXT_WIDTH_MM * 0.4
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


@cache
def _font(style: str) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    font = TTFont(PACKAGE_DIR / "fonts" / f"LiberationSerif-{style}.ttf")
    return font.getBestCmap(), dict(font["hmtx"].metrics), font["head"].unitsPerEm


def text_width_mm(value: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    cmap, metrics, units = _font(style)
    advance = sum(metrics[cmap[ord(ch)]][0] if ord(ch) in cmap else units / 2 for ch in value)
    return advance / units * size_pt * 25.4 / 72


def render_docx(doc: OfficialDocument) -> bytes:
    word = Document()
    _set_styles(word)
    section = word.sections[0]
    _set_page(section, landscape=False)
    _add_page_number_header(section)
    word.core_properties.title = text.number_line(doc)
    word.core_properties.author = doc.issuing_agency

    _add_header_block(word, doc)
    if isinstance(doc.kind, DocumentType):
        _para(word, doc.kind.name.upper(), size=14, bold=True, align="center", before=6)
        summary = _para(word, doc.kind.summary, size=14, bold=True, align="center")
        width = min(text_width_mm(doc.kind.summary, 14, bold=True), TEXT_WIDTH_MM)
        _short_rule(word, width * 0.4, TEXT_WIDTH_MM, after=12)
        summary.paragraph_format.keep_with_next = True
    if doc.kinh_gui:
        _add_kinh_gui(word, text.kinh_gui_lines(doc))
    for line in text.punctuated(doc.can_cu):
        _body(word, line, italic=True)
    for block in doc.body:
        _add_block(word, block, TEXT_WIDTH_MM)
    _add_closing(word, doc)

    for item in text.appendix_views(doc):
        landscape = item.appendix.landscape
        section = word.add_section(WD_SECTION.NEW_PAGE)
        _set_page(section, landscape=landscape)
        _restart_page_numbers(section)
        _para(word, item.label, size=14, bold=True, align="center")
        _para(word, item.title, bold=True, align="center")
        _para(word, item.attached, italic=True, align="center", after=12)
        width = LANDSCAPE_TEXT_WIDTH_MM if landscape else TEXT_WIDTH_MM
        for block in item.appendix.blocks:
            _add_block(word, block, width)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_styles(word: DocxDocument) -> None:
    # Theme fonts in the defaults would override the names set on styles; replace them outright.
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            _set_fonts(fonts)
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal_rpr = normal.element.get_or_add_rPr()
    _set_fonts(normal_rpr.get_or_add_rFonts())
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal_rpr.append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    body = word.styles.add_style(BODY_STYLE, 1)  # 1: a paragraph style
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(10)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.3


def _set_fonts(fonts: BaseOxmlElement) -> None:
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _set_page(section: Section, *, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(30), Mm(15)
        section.left_margin = section.right_margin = Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True


def _add_page_number_header(section: Section) -> None:
    """A centred PAGE field in the header; the first-page header stays empty."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    value = OxmlElement("w:t")
    value.text = "2"
    run.append(value)
    field.append(run)
    paragraph._p.append(field)


def _restart_page_numbers(section: Section) -> None:
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def _para(
    container: DocxDocument | _Cell,
    value: str,
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    before: float = 0,
    after: float = 0,
) -> DocxParagraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(value)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    return paragraph


def _body(word: DocxDocument, value: str, *, bold: bool = False, italic: bool = False) -> None:
    run = word.add_paragraph(style=BODY_STYLE).add_run(value)
    run.bold = bold
    run.italic = italic


def _short_rule(
    container: DocxDocument | _Cell, width_mm: float, space_mm: float, *, after: float = 0
) -> None:
    """A tiny empty paragraph whose bottom border, centred in `space_mm`, is `width_mm` long."""
    paragraph = _para(container, "", size=2, after=after)
    _bottom_border(paragraph, width_mm, space_mm)


def _bottom_border(paragraph: DocxParagraph, width_mm: float, space_mm: float) -> None:
    side = Mm(max((space_mm - width_mm) / 2, 0))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, val in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), val)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _borderless(word: DocxDocument, rows: int, widths_mm: Sequence[float]) -> DocxTable:
    table: DocxTable = word.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            # python-docx creates each cell with one empty paragraph; we add our own.
            cell._tc.remove(cell.paragraphs[0]._p)
    return table


def _add_header_block(word: DocxDocument, doc: OfficialDocument) -> None:
    """Cells 1–4 (and 5b): agencies | Quốc hiệu, number | place and date, V/v."""
    vv = text.vv_line(doc) if isinstance(doc.kind, CongVan) else ""
    table = _borderless(word, 3 if vv else 2, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    left, right = table.rows[0].cells
    if doc.parent_agency:
        _para(left, doc.parent_agency.upper(), size=12, align="center")
    agency = doc.issuing_agency.upper()
    _para(left, agency, size=12, bold=True, align="center")
    agency_width = min(text_width_mm(agency, 12, bold=True), HEADER_LEFT_MM)
    _short_rule(left, agency_width * 0.4, HEADER_LEFT_MM)
    _para(right, text.QUOC_HIEU, size=12, bold=True, align="center")
    motto = _para(right, text.TIEU_NGU, bold=True, align="center")
    _bottom_border(motto, text_width_mm(text.TIEU_NGU, 13, bold=True), HEADER_RIGHT_MM)

    number, place = table.rows[1].cells
    _para(number, text.number_line(doc), align="center", before=8)
    _para(place, text.place_and_date(doc), italic=True, align="center", before=8)
    if vv:
        cell = table.rows[2].cells[0]
        _para(cell, vv, size=12, align="center", before=4, after=6)
        table.rows[2].cells[1].add_paragraph()
    _para(word, "", size=6)


def _add_kinh_gui(word: DocxDocument, lines: list[str]) -> None:
    label = "Kính gửi:"
    label_mm = text_width_mm(label, 13) + 3
    list_mm = min(max(text_width_mm(line, 13) for line in lines) + 3, TEXT_WIDTH_MM - label_mm)
    table = _borderless(word, 1, [label_mm, list_mm])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    label_cell, list_cell = table.rows[0].cells
    _para(label_cell, label)
    for line in lines:
        _para(list_cell, line)
    _para(word, "", size=6, after=6)


def _add_block(word: DocxDocument, block: Block, width_mm: float) -> None:
    if isinstance(block, Heading):
        _body(word, block.text, bold=block.level < 3, italic=block.level == 3)
    elif isinstance(block, BulletList):
        for item in block.items:
            _body(word, f"- {item}")
    elif isinstance(block, Table):
        _add_grid(word, block, width_mm)
    else:
        _body(word, block.text, bold=block.bold, italic=block.italic)


def _add_grid(word: DocxDocument, block: Table, width_mm: float) -> None:
    table = word.add_table(rows=0, cols=block.columns)
    table.style = word.styles["Table Grid"]
    table.autofit = False
    widths = [Mm(width_mm * percent / 100) for percent in block.percent_widths]
    for row in block.header:
        _grid_row(table, row, widths, ["center"] * block.columns, bold=True, repeat=True)
    for row in block.rows:
        _grid_row(table, row, widths, block.alignments, bold=False, repeat=False)
    _para(word, "", after=6)


def _grid_row(
    table: DocxTable,
    values: Sequence[str],
    widths: Sequence[Length],
    aligns: Sequence[str],
    *,
    bold: bool,
    repeat: bool,
) -> None:
    row = table.add_row()  # type: ignore[no-untyped-call]
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    for cell, value, width, align in zip(row.cells, values, widths, aligns, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = _ALIGN[align]
        run = paragraph.add_run(value)
        run.font.size = Pt(12)
        run.bold = bold


def _add_closing(word: DocxDocument, doc: OfficialDocument) -> None:
    """Cells 7 and 9b: Nơi nhận on the left, level with the signature block on the right."""
    half = TEXT_WIDTH_MM / 2
    table = _borderless(word, 1, [half, half])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    lines = text.noi_nhan_lines(doc)
    if lines:
        _para(left, "Nơi nhận:", size=12, bold=True, italic=True)
        for line in lines:
            _para(left, line, size=11)
    else:
        left.add_paragraph()
    for title in doc.signature.title_lines:
        _para(right, title, bold=True, align="center")
    # Room for the signature and the seal.
    _para(right, doc.signature.signer, bold=True, align="center", before=Mm(28).pt)
