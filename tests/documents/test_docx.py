"""The Word file has the same structure as the PDF: A4, the decree's margins, Times New Roman."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from thuvien.documents import Appendix, render_docx
from thuvien.documents.docx import SECTION_ORDER
from thuvien.documents.layout import text_width_mm
from thuvien.documents.text import TIEU_NGU

from .samples import SIGNER, VV, bao_cao, cong_van, schools_table


def mm(length: int | None) -> float:
    assert length is not None
    return round(length / Mm(1), 1)


def cell_texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


@pytest.fixture(scope="module")
def word():
    return Document(io.BytesIO(render_docx(cong_van())))


def test_page_is_a4_portrait_with_the_decrees_margins(word):
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)


def test_header_block_is_a_borderless_two_column_table(word):
    header = word.tables[0]
    assert header.style is None or header.style.name != "Table Grid"
    agencies, national = header.rows[0].cells
    assert cell_texts(agencies) == ["UBND TỈNH BẾN TRE", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    assert cell_texts(national) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number, place = header.rows[1].cells
    assert cell_texts(number) == ["Số: 2458/SGDĐT-KHTC"]
    assert cell_texts(place) == ["Bến Tre, ngày 04 tháng 12 năm 2017"]
    assert place.paragraphs[0].runs[0].italic
    assert cell_texts(header.rows[2].cells[0]) == [f"V/v {VV}"]


def test_tieu_ngu_has_a_line_as_long_as_the_text_not_an_underline(word):
    motto = word.tables[0].rows[0].cells[1].paragraphs[1]
    assert not motto.runs[0].underline
    assert motto._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    # Indents leave a 56 mm wide paragraph (the text width) centred in the 99 mm column.
    width = 99 - 2 * mm(motto.paragraph_format.left_indent)
    assert width == pytest.approx(56.1, abs=1)
    assert motto.paragraph_format.left_indent == motto.paragraph_format.right_indent


def test_issuing_agency_line_is_a_third_to_a_half_of_its_name(word):
    rule = word.tables[0].rows[0].cells[0].paragraphs[2]
    assert rule.text == ""
    assert rule._p.pPr.find(qn("w:pBdr")) is not None
    width = 66 - 2 * mm(rule.paragraph_format.left_indent)
    assert 56.1 / 3 <= width <= 56.1 / 2


def test_kinh_gui_lists_each_recipient(word):
    label, recipients = word.tables[1].rows[0].cells
    assert cell_texts(label) == ["Kính gửi:"]
    assert cell_texts(recipients) == [
        "- Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố;",
        "- Hiệu trưởng các trường trung học phổ thông.",
    ]


def test_body_paragraphs_are_justified_with_a_first_line_indent(word):
    body = [p for p in word.paragraphs if p.style.name == "ND30 Body"]
    texts = [p.text for p in body]
    assert texts[0].startswith("Nhằm nâng cao năng lực chuyên môn")
    assert "1. Nội dung tự bồi dưỡng" in texts
    assert "- Ứng dụng công nghệ thông tin trong quản lý thư viện trường học." in texts
    style = word.styles["ND30 Body"].paragraph_format
    assert style.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert mm(style.first_line_indent) == 10
    assert style.space_after == Pt(6)
    heading = body[texts.index("1. Nội dung tự bồi dưỡng")]
    assert heading.runs[0].bold


def test_font_is_times_new_roman_13_for_every_script(word):
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(13)
    fonts = normal.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attribute)) == "Times New Roman"
    defaults = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert defaults.get(qn("w:asciiTheme")) is None


def test_page_numbers_are_in_the_header_from_page_two(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(not p.text for p in section.first_page_header.paragraphs)
    assert "PAGE" not in section.first_page_header._element.xml


def test_noi_nhan_and_signature_share_one_row(word):
    closing = word.tables[2]
    noi_nhan, signature = closing.rows[0].cells
    assert cell_texts(noi_nhan) == [
        "Nơi nhận:",
        "- Như trên;",
        "- Giám đốc, các PGĐ Sở (để biết);",
        "- Website Sở;",
        "- Lưu: VT, KHTC.",
    ]
    label = noi_nhan.paragraphs[0].runs[0]
    assert (label.bold, label.italic, label.font.size) == (True, True, Pt(12))
    assert noi_nhan.paragraphs[1].runs[0].font.size == Pt(11)
    assert cell_texts(signature) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", SIGNER]
    assert all(p.runs[0].bold for p in signature.paragraphs)


def test_appendix_starts_a_new_section_restarting_page_numbers(word):
    assert len(word.sections) == 2
    appendix = word.sections[1]
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    texts = [p.text for p in word.paragraphs]
    start = texts.index("Phụ lục")
    assert texts[start + 1] == "KẾT QUẢ TỰ BỒI DƯỠNG CỦA NHÂN VIÊN THƯ VIỆN"
    attached = word.paragraphs[start + 2]
    assert attached.text == "(Kèm theo Công văn số 2458/SGDĐT-KHTC ngày 04 tháng 12 năm 2017)"
    assert attached.runs[0].italic


def test_appendix_table_repeats_its_header_row(word):
    table = word.tables[3]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Đơn vị",
        "Số người tham gia",
        "Hoàn thành",
        "Ghi chú",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert len(table.rows) == 13
    assert table.rows[12].cells[1].text == "Trường THPT số 12 huyện Châu Thành"


def test_a_typed_document_has_its_type_name_and_summary_and_a_landscape_appendix():
    word = Document(io.BytesIO(render_docx(bao_cao(rows=100))))
    texts = [p.text for p in word.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == "Tổng hợp kết quả tự bồi dưỡng của nhân viên thư viện"
    assert word.paragraphs[title].runs[0].bold
    assert "Căn cứ Công văn số 2458/SGDĐT-KHTC" in texts[texts.index("I. KẾT QUẢ THỰC HIỆN") - 1]
    assert [c.text for c in word.tables[0].rows[1].cells] == [
        "Số: 07/BC-PGDĐT",
        "Châu Thành, ngày 05 tháng 02 năm 2018",
    ]
    assert len(word.tables[0].rows) == 2  # no V/v row
    landscape = word.sections[1]
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(landscape.page_width), mm(landscape.page_height)) == (297, 210)
    assert len(word.tables[-1].rows) == 101


# --- What LibreOffice and Word read besides the text ---------------------------------------------


def seven_appendices():
    return bao_cao(
        appendices=[
            Appendix(f"BẢNG {n}", blocks=[schools_table(3)], landscape=n % 2 == 0) for n in range(7)
        ]
    )


def test_every_section_keeps_the_schemas_order_with_one_page_number_element():
    word = Document(io.BytesIO(render_docx(seven_appendices())))
    assert len(word.sections) == 8
    for index, section in enumerate(word.sections):
        tags = [child.tag.split("}")[1] for child in section._sectPr]
        references = [tag for tag in tags if tag in ("headerReference", "footerReference")]
        assert tags[: len(references)] == references  # the references come first
        rest = tags[len(references) :]
        assert rest == sorted(rest, key=SECTION_ORDER.index), rest
        assert len(rest) == len(set(rest)), rest
        assert "titlePg" in rest  # no number on a section's first page
        numbering = section._sectPr.findall(qn("w:pgNumType"))
        if index == 0:
            assert numbering == []  # the letter starts at 1
        else:
            assert [n.get(qn("w:start")) for n in numbering] == ["1"]  # each appendix restarts


def test_page_number_is_one_centred_page_field_in_the_header_only():
    word = Document(io.BytesIO(render_docx(seven_appendices())))
    header = word.sections[0].header
    assert header._element.xml.count("PAGE") == 1
    for section in word.sections[1:]:
        assert section.header.is_linked_to_previous  # the appendices inherit it


def test_tables_carry_their_real_column_grid_with_a_fixed_layout(word):
    table = cong_van().appendices[0].blocks[0]
    grid = word.tables[3]._tbl
    expected = [round(Mm(width).twips) for width in table.widths_mm(165)]
    widths = [int(col.get(qn("w:w"))) for col in grid.tblGrid.findall(qn("w:gridCol"))]
    assert widths == expected
    assert len(set(widths)) > 2  # not equal columns
    assert grid.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    total = grid.tblPr.find(qn("w:tblW"))
    assert (total.get(qn("w:type")), int(total.get(qn("w:w")))) == ("dxa", sum(expected))
    assert sum(expected) == pytest.approx(Mm(165).twips, abs=5)
    first_row = grid.findall(qn("w:tr"))[1]
    cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in first_row.tc_lst]
    assert cells == pytest.approx(expected, abs=2)


def test_header_table_is_the_two_header_columns_without_cell_margins(word):
    grid = word.tables[0]._tbl
    widths = [int(col.get(qn("w:w"))) for col in grid.tblGrid.findall(qn("w:gridCol"))]
    assert widths == [round(Mm(66).twips), round(Mm(99).twips)]
    margins = grid.tblPr.find(qn("w:tblCellMar"))
    assert {child.get(qn("w:w")) for child in margins} == {"0"}
    # The tiêu ngữ's paragraph is its text's width, and the column holds it: one line.
    motto = word.tables[0].rows[0].cells[1].paragraphs[1]
    room = 99 - 2 * mm(motto.paragraph_format.left_indent)
    assert text_width_mm(TIEU_NGU, 13, bold=True) < room < 99


def test_properties_name_the_unit_and_the_document_made_now():
    before = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    content = render_docx(bao_cao())
    core = Document(io.BytesIO(content)).core_properties
    summary = "Tổng hợp kết quả tự bồi dưỡng của nhân viên thư viện"
    assert core.title == f"Báo cáo 07/BC-PGDĐT: {summary}"
    assert core.subject == summary and core.category == "Báo cáo"
    assert core.author == core.last_modified_by == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    assert core.comments == "" and core.language == "vi-VN"
    assert before <= core.created == core.modified <= dt.datetime.now(tz=dt.UTC)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        app = package.read("docProps/app.xml").decode()
        everything = b"".join(package.read(name) for name in package.namelist())
    assert "<Application>ThuVien</Application>" in app
    assert "<Company>PHÒNG GIÁO DỤC VÀ ĐÀO TẠO</Company>" in app
    for stale in (b"python-docx", b"Macintosh", b"2013-12-23"):
        assert stale not in everything


def test_a_cong_van_is_titled_by_its_v_v_line(word):
    assert word.core_properties.title == f"Công văn 2458/SGDĐT-KHTC: V/v {VV}"
