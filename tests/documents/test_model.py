"""The model refuses incomplete documents; the shared wording follows Phụ lục I to the character."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from thuvien.documents import (
    Appendix,
    Authority,
    CongVan,
    DocumentType,
    Heading,
    Signature,
    Table,
    layout,
    official_filename,
)
from thuvien.documents import text as wording

from .samples import VV, bao_cao, cong_van


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (datetime.date(2017, 12, 4), "ngày 04 tháng 12 năm 2017"),
        (datetime.date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (datetime.date(2018, 2, 28), "ngày 28 tháng 02 năm 2018"),
        (datetime.date(2020, 3, 15), "ngày 15 tháng 3 năm 2020"),
        (datetime.date(2021, 9, 9), "ngày 09 tháng 9 năm 2021"),
    ],
)
def test_dates_take_leading_zeros_for_days_under_10_and_months_1_and_2(day, words):
    assert wording.date_words(day) == words


def test_place_and_date_line():
    assert wording.place_and_date(cong_van()) == "Bến Tre, ngày 04 tháng 12 năm 2017"


def test_number_line_pads_numbers_under_10():
    assert wording.number_line(cong_van()) == "Số: 2458/SGDĐT-KHTC"
    assert wording.number_line(bao_cao()) == "Số: 07/BC-PGDĐT"


def test_a_draft_leaves_room_for_the_number():
    assert wording.number_line(cong_van(number=None)) == "Số: " + "\u00a0" * 6 + "/SGDĐT-KHTC"


def test_vv_line_is_prefixed_once():
    assert wording.vv_line(cong_van()) == f"V/v {VV}"
    assert wording.vv_line(cong_van(kind=CongVan(f"V/v {VV}"))) == f"V/v {VV}"


def test_one_recipient_stays_on_the_kinh_gui_line():
    assert wording.kinh_gui_lines(bao_cao()) == ["Sở Giáo dục và Đào tạo Bến Tre."]


def test_several_recipients_each_take_a_dash_line_ending_semicolon_then_full_stop():
    assert wording.kinh_gui_lines(cong_van(kinh_gui=["Phòng GD&ĐT Ba Tri;", "Trường A."])) == [
        "- Phòng GD&ĐT Ba Tri;",
        "- Trường A.",
    ]


def test_noi_nhan_ends_with_luu_and_the_drafting_unit():
    assert wording.noi_nhan_lines(cong_van()) == [
        "- Như trên;",
        "- Giám đốc, các PGĐ Sở (để biết);",
        "- Website Sở;",
        "- Lưu: VT, KHTC.",
    ]


def test_noi_nhan_without_drafting_unit_keeps_the_callers_lines():
    assert wording.noi_nhan_lines(bao_cao()) == ["- Như trên;", "- Lưu: VT."]


def test_noi_nhan_always_ends_with_the_archive_line():
    letter = dataclasses.replace(bao_cao(), noi_nhan=["Như trên"], drafting_unit="")
    assert wording.noi_nhan_lines(letter) == ["- Như trên;", "- Lưu: VT."]


def test_can_cu_lines_end_with_semicolons_and_a_full_stop():
    assert wording.punctuated(["Căn cứ A.", "Căn cứ B"]) == ["Căn cứ A;", "Căn cứ B."]


def test_appendix_attached_line_names_the_document_type_number_and_date():
    cv, bc = cong_van(), bao_cao()
    assert wording.attached_line(cv, cv.appendices[0]) == (
        "(Kèm theo Công văn số 2458/SGDĐT-KHTC ngày 04 tháng 12 năm 2017)"
    )
    assert wording.attached_line(bc, bc.appendices[0]) == (
        "(Kèm theo Báo cáo số 07/BC-PGDĐT ngày 05 tháng 02 năm 2018)"
    )


def test_appendix_attached_line_can_be_given():
    doc = cong_van(appendices=[Appendix("DANH SÁCH", attached_line="(Kèm theo văn bản khác)")])
    assert wording.appendix_views(doc)[0].attached == "(Kèm theo văn bản khác)"


def test_appendices_are_numbered_in_roman_only_when_there_are_several():
    assert [v.label for v in wording.appendix_views(cong_van())] == ["Phụ lục"]
    two = cong_van(appendices=[Appendix("A"), Appendix("B")])
    assert [v.label for v in wording.appendix_views(two)] == ["Phụ lục I", "Phụ lục II"]


def test_signature_titles_put_the_authority_first():
    kt = Signature("Phó Giám đốc", "Lê Văn C", Authority.KT, "Giám đốc")
    assert kt.title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert Signature("TRƯỞNG PHÒNG", "Lê Văn C").title_lines == ["TRƯỞNG PHÒNG"]


def test_official_filename_is_folded_ascii():
    assert official_filename(cong_van(), "pdf") == "2458-SGDDT-KHTC-2017-12-04.pdf"
    assert official_filename(bao_cao(), ".docx") == "07-BC-PGDDT-2018-02-05.docx"
    assert official_filename(cong_van(number=None), "pdf") == "du-thao-SGDDT-KHTC-2017-12-04.pdf"


# Bad input


@pytest.mark.parametrize("agency", ["", "   "])
def test_a_document_without_issuing_agency_is_refused(agency):
    with pytest.raises(ValueError, match="issuing agency"):
        cong_van(issuing_agency=agency)


def test_a_signature_without_signer_is_refused():
    with pytest.raises(ValueError, match="signer"):
        Signature("GIÁM ĐỐC", " ")


def test_a_document_without_signature_is_refused():
    with pytest.raises(ValueError, match="signer"):
        cong_van(signature=None)


def test_an_authority_needs_the_office_signed_for():
    with pytest.raises(ValueError, match=r"KT\."):
        Signature("PHÓ GIÁM ĐỐC", "Lê Văn C", Authority.KT)


@pytest.mark.parametrize("number", [0, -3])
def test_numbers_start_at_one(number):
    with pytest.raises(ValueError, match="starts at 1"):
        cong_van(number=number)


def test_a_typed_documents_symbol_starts_with_its_type_abbreviation():
    with pytest.raises(ValueError, match='"KH-"'):
        cong_van(kind=DocumentType("KẾ HOẠCH", "Tự bồi dưỡng"), symbol="SGDĐT-KHTC")
    cong_van(kind=DocumentType("KẾ HOẠCH", "Tự bồi dưỡng"), symbol="KH-SGDĐT")


def test_blank_recipients_are_refused():
    with pytest.raises(ValueError, match="blank"):
        cong_van(kinh_gui=["Trường A", ""])


@pytest.mark.parametrize(
    "table",
    [
        {"header": [["A", "B"]], "rows": [["1"]]},
        {"header": [], "rows": []},
        {"header": [["A", "B"]], "rows": [], "widths": (1,)},
        {"header": [["A", "B"]], "rows": [], "widths": (1, 0)},
        {"header": [["A", "B"]], "rows": [], "align": ("left",)},
    ],
)
def test_malformed_tables_are_refused(table):
    with pytest.raises(ValueError):
        Table(**table)


def test_headings_have_three_levels():
    with pytest.raises(ValueError, match="level"):
        Heading("x", level=4)  # type: ignore[arg-type]


def test_table_widths_become_percentages():
    table = Table(header=[["A", "B"]], rows=[["1", "2"]], widths=(1, 3), align=("center", "right"))
    assert table.percent_widths == [25.0, 75.0]
    assert table.aligned_rows == [[("1", "center"), ("2", "right")]]


LONG = "Trường Tiểu học Nguyễn Văn Trỗi, xã Phước Long, huyện Giồng Trôm, tỉnh Bến Tre"


def test_table_columns_share_the_width_by_weight_while_both_wrap():
    table = Table(header=[["A", "B"]], rows=[[LONG, LONG]], widths=(1, 3))
    assert table.widths_mm(100) == pytest.approx([25, 75])
    assert table.percents(100) == pytest.approx([25, 75])


def test_when_nothing_wraps_each_column_gets_its_line_and_the_rest_by_weight():
    table = Table(header=[["A", "B"]], rows=[["1", "22"]], widths=(1, 3))
    room = layout.cell_room_mm()
    one, two = (layout.text_width_mm(v, 12, bold=b) + room for v, b in (("A", True), ("22", False)))
    extra = (100 - one - two) / 4
    assert table.widths_mm(100) == pytest.approx([one + extra, two + 3 * extra])


def test_a_column_is_never_narrower_than_its_longest_word_and_the_others_give_way():
    # Weighted alone, "STT" would get 8.1 mm and the date 17.9 mm: too narrow for either.
    header = [["STT", "Trường", *[f"C{n}" for n in range(13)], "Ngày gửi"]]
    rows = [["120", LONG, *["9"] * 13, "09/04/2026"]]
    table = Table(header=header, rows=rows, widths=(1, 10, *[1.4] * 13, 2.2))
    widths = table.widths_mm(257)
    assert sum(widths) == pytest.approx(257)
    room = layout.cell_room_mm()
    # Held at their minimum; the counts at their one line; the school's name takes the rest.
    assert widths[0] == pytest.approx(layout.text_width_mm("STT", 12, bold=True) + room)
    assert widths[-1] == pytest.approx(layout.text_width_mm("09/04/2026", 12) + room)
    assert widths[2] == pytest.approx(layout.text_width_mm("C0", 12, bold=True) + room)
    assert widths[1] == pytest.approx(257 - sum(widths[:1] + widths[2:]))
    assert widths[1] < layout.text_width_mm(LONG, 12) + room  # it wraps, at 10 / 1.4 or more
    assert widths[1] > 10 / 1.4 * widths[2]


def test_a_blank_column_is_kept_by_its_weight_for_writing_in():
    table = Table(header=[["Đơn vị", "Ghi chú"]], rows=[[LONG, ""]], widths=(3, 1))
    assert table.widths_mm(100) == pytest.approx([75, 25])


def test_words_too_wide_for_the_page_share_it_by_their_widths():
    table = Table(header=[["Một-từ-rất-dài-không-thể-ngắt", "Hai"]], rows=[["x", "y"]])
    widths = table.widths_mm(20)
    assert sum(widths) == pytest.approx(20) and widths[0] > widths[1]
