"""An `OfficialDocument` as a Word file in the Nghị định 30 layout, built with python-docx.

Word has no "line as long as the text" box, so the tiêu ngữ line and the short lines under the
agency and the trích yếu are paragraph borders whose indents are computed from the text width,
measured with the vendored Liberation Serif (metric-compatible with Times New Roman).

Laid out as the PDF is, so that LibreOffice and Word give the same pages: every table carries its
real column grid (`w:tblGrid`, the total width, a fixed layout; the widths of `Table.widths_mm`),
the borderless layout tables have no cell margins (their text is measured to fit), and each line is
as high as the stylesheet's `line-height` says (an exact line height, not Word's "multiple" of
the font's own, which is higher). Section properties keep the schema's order, and the document's
properties name the unit and the document, not the template python-docx ships.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Length, Mm, Pt, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from . import text
from .layout import (
    CELL_PADDING_PT,
    LANDSCAPE_TEXT_MM,
    PORTRAIT_TEXT_MM,
    TABLE_FONT_PT,
    text_width_mm,
)
from .model import Block, BulletList, CongVan, DocumentType, Heading, OfficialDocument, Table

FONT = "Times New Roman"
APPLICATION = "ThuVien"
BODY_STYLE = "ND30 Body"
TEXT_WIDTH_MM = PORTRAIT_TEXT_MM
LANDSCAPE_TEXT_WIDTH_MM = LANDSCAPE_TEXT_MM
HEADER_LEFT_MM = TEXT_WIDTH_MM * 0.4
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
# Line heights of official.css: the page's text, the header and closing tables, table cells.
LINE = 1.3
TIGHT = 1.15
GRID_LINE = 1.2
# The tiêu ngữ's line is as long as the text; this little more keeps a renderer that measures
# the text a hair wider from wrapping it (it is about 0.2 % of the line).
MOTTO_SLACK_MM = 0.8
# Sequence of `w:sectPr` children in the schema (ECMA-376 Part 1, CT_SectPr), after the header
# and footer references.
SECTION_ORDER = (
    "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType",
    "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
    "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)  # fmt: skip


def render_docx(doc: OfficialDocument) -> bytes:
    word = Document()
    _set_styles(word)
    _set_properties(word, doc)
    section = word.sections[0]
    _set_page(section, landscape=False)
    _add_page_number_header(section)

    _add_header_block(word, doc)
    if isinstance(doc.kind, DocumentType):
        _para(word, doc.kind.name.upper(), size=14, bold=True, align="center", before=6)
        summary = _para(word, doc.kind.summary, size=14, bold=True, align="center")
        width = min(text_width_mm(doc.kind.summary, 14, bold=True), TEXT_WIDTH_MM)
        _short_rule(word, width * 0.4, TEXT_WIDTH_MM, before=4, after=12)
        summary.paragraph_format.keep_with_next = True
    if doc.kinh_gui:
        _add_kinh_gui(word, text.kinh_gui_lines(doc))
    for line in text.punctuated(doc.can_cu):
        _body(word, line, italic=True)
    for block in doc.body:
        _add_block(word, block, TEXT_WIDTH_MM)
    _spacer(word, 6)  # with the last paragraph's 6 pt, the closing table's 12 pt margin
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


def _set_properties(word: DocxDocument, doc: OfficialDocument) -> None:
    """The document's properties: its title and subject, the issuing unit as author, made now;
    and ThuVien as the application (python-docx's template says 2013 and another program)."""
    summary = text.vv_line(doc) if isinstance(doc.kind, CongVan) else doc.kind.summary
    now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    core = word.core_properties
    core.title = f"{doc.kind.label} {text.number_and_symbol(doc).strip()}: {summary}"
    core.subject = summary
    core.category = doc.kind.label
    core.author = core.last_modified_by = doc.issuing_agency
    core.comments = core.keywords = ""
    core.created = core.modified = now
    core.revision = 1
    core.language = "vi-VN"
    for rel in word.part.package.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES:
            rel.target_part._blob = _app_properties(doc)


def _app_properties(doc: OfficialDocument) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity>'
        f"<Company>{escape(doc.issuing_agency)}</Company></Properties>"
    ).encode()


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
    normal.paragraph_format.line_spacing = Pt(13 * LINE)
    body = word.styles.add_style(BODY_STYLE, 1)  # 1: a paragraph style
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(10)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = Pt(13 * LINE)


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
    """One `w:pgNumType` starting at 1, in its place among the section's properties (a new
    section is a copy of the one before, which may have its own already)."""
    properties = section._sectPr
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        later = SECTION_ORDER[SECTION_ORDER.index("pgNumType") + 1 :]
        properties.insert_element_before(numbering, *(f"w:{tag}" for tag in later))
    numbering.set(qn("w:start"), "1")


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
    line: float = LINE,
) -> DocxParagraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing = Pt(size * line)
    run = paragraph.add_run(value)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    return paragraph


def _body(word: DocxDocument, value: str, *, bold: bool = False, italic: bool = False) -> None:
    run = word.add_paragraph(style=BODY_STYLE).add_run(value)
    run.bold = bold
    run.italic = italic


def _spacer(container: DocxDocument | _Cell, height_pt: float) -> None:
    """An empty paragraph `height_pt` high: a margin of the stylesheet (Word also needs a
    paragraph between two tables and after the last one)."""
    paragraph = _para(container, "", size=1)
    paragraph.paragraph_format.line_spacing = Pt(height_pt)


def _short_rule(
    container: DocxDocument | _Cell,
    width_mm: float,
    space_mm: float,
    *,
    before: float = 0,
    after: float = 0,
) -> None:
    """A tiny empty paragraph whose bottom border, centred in `space_mm`, is `width_mm` long."""
    paragraph = _para(container, "", size=2, before=before, after=after, line=1)
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


def _fixed_table(
    word: DocxDocument,
    widths_mm: Sequence[float],
    *,
    rows: int = 0,
    across_pt: float = 0,
    down_pt: float = 0,
) -> DocxTable:
    """A table of fixed layout whose grid holds the real column widths (LibreOffice lays out by
    the grid, not by the cells' widths) and whose cells have `across_pt` margins left and right,
    `down_pt` top and bottom."""
    twips = [round(Mm(width).twips) for width in widths_mm]
    table: DocxTable = word.add_table(rows=0, cols=len(widths_mm))
    table.autofit = False  # w:tblLayout fixed
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
        column.w = Twips(width)
    properties = table._tbl.tblPr
    total = properties.find(qn("w:tblW"))
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(twips)))
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", down_pt), ("left", across_pt), ("bottom", down_pt)):
        _twips_element(margins, side, value)
    _twips_element(margins, "right", across_pt)
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for _ in range(rows):
        for cell in table.add_row().cells:  # type: ignore[no-untyped-call]
            # python-docx creates each cell with one empty paragraph; we add our own.
            cell._tc.remove(cell.paragraphs[0]._p)
    return table


def _twips_element(parent: BaseOxmlElement, tag: str, points: float) -> None:
    element = OxmlElement(f"w:{tag}")
    element.set(qn("w:w"), str(round(points * 20)))
    element.set(qn("w:type"), "dxa")
    parent.append(element)


def _borderless(word: DocxDocument, rows: int, widths_mm: Sequence[float]) -> DocxTable:
    return _fixed_table(word, widths_mm, rows=rows)


def _add_header_block(word: DocxDocument, doc: OfficialDocument) -> None:
    """Cells 1–4 (and 5b): agencies | Quốc hiệu, number | place and date, V/v."""
    vv = text.vv_line(doc) if isinstance(doc.kind, CongVan) else ""
    table = _borderless(word, 3 if vv else 2, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    left, right = table.rows[0].cells
    if doc.parent_agency:
        _para(left, doc.parent_agency.upper(), size=12, align="center", line=TIGHT)
    agency = doc.issuing_agency.upper()
    _para(left, agency, size=12, bold=True, align="center", line=TIGHT)
    agency_width = min(text_width_mm(agency, 12, bold=True), HEADER_LEFT_MM)
    _short_rule(left, agency_width * 0.4, HEADER_LEFT_MM, before=2)
    _para(right, text.QUOC_HIEU, size=12, bold=True, align="center", line=TIGHT)
    motto = _para(right, text.TIEU_NGU, bold=True, align="center", line=TIGHT)
    motto_mm = text_width_mm(text.TIEU_NGU, 13, bold=True) + MOTTO_SLACK_MM
    _bottom_border(motto, motto_mm, HEADER_RIGHT_MM)

    number, place = table.rows[1].cells
    _para(number, text.number_line(doc), align="center", before=10, line=TIGHT)
    _para(place, text.place_and_date(doc), italic=True, align="center", before=10, line=TIGHT)
    if vv:
        cell = table.rows[2].cells[0]
        _para(cell, vv, size=12, align="center", before=4, after=6, line=TIGHT)
        _spacer(table.rows[2].cells[1], 1)
    _spacer(word, 12)


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
    _spacer(word, 12)


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
    widths_mm = block.widths_mm(width_mm)  # the PDF's widths: each column fits its longest word
    table = _fixed_table(word, widths_mm, across_pt=CELL_PADDING_PT, down_pt=2)
    table.style = word.styles["Table Grid"]
    widths = [Mm(width) for width in widths_mm]
    for row in block.header:
        _grid_row(table, row, widths, ["center"] * block.columns, bold=True, repeat=True)
    for row in block.rows:
        _grid_row(table, row, widths, block.alignments, bold=False, repeat=False)
    _spacer(word, 12)


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
        if repeat:  # a header cell, centred both ways as in official.css
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = _ALIGN[align]
        paragraph.paragraph_format.line_spacing = Pt(TABLE_FONT_PT * GRID_LINE)
        run = paragraph.add_run(value)
        run.font.size = Pt(TABLE_FONT_PT)
        run.bold = bold


def _add_closing(word: DocxDocument, doc: OfficialDocument) -> None:
    """Cells 7 and 9b: Nơi nhận on the left, level with the signature block on the right."""
    half = TEXT_WIDTH_MM / 2
    table = _borderless(word, 1, [half, half])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    lines = text.noi_nhan_lines(doc)
    if lines:
        _para(left, "Nơi nhận:", size=12, bold=True, italic=True, line=TIGHT)
        for line in lines:
            _para(left, line, size=11, line=TIGHT)
    else:
        _spacer(left, 1)
    for title in doc.signature.title_lines:
        _para(right, title, bold=True, align="center", line=TIGHT)
    # Room for the signature and the seal (official.css: .signature-space).
    _para(right, doc.signature.signer, bold=True, align="center", before=Mm(25).pt, line=TIGHT)
