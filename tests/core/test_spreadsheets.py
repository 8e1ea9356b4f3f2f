"""Reading uploaded spreadsheets (XLSX and CSV, told apart by content) and writing templates."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.core.spreadsheet_files import PNG, csv_bytes, xlsx
from thuvien.core import spreadsheets
from thuvien.core.spreadsheets import (
    Column,
    SpreadsheetError,
    build_template,
    choice,
    parse_count,
    parse_date,
    parse_school_year,
    read_rows,
    read_table,
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted on their English source text, whatever the catalogue says."""
    with translation.override("en"):
        yield


COLUMNS = (
    Column("name", "Tên đơn vị", "The name.", required=True),
    Column("kind", "Loại", required=True),
    Column("phone", "Điện thoại", aliases=("SĐT",)),
)


def test_xlsx_rows_are_numbered_as_in_excel_and_blank_rows_skipped():
    data = xlsx(
        [
            ["Tên đơn vị", "Loại", "Ngày"],
            ["Trường A", "Trường", dt.datetime(2025, 9, 5)],
            [None, None, None],
            ["Trường B", 620.0, None],
        ]
    )
    sheet = read_rows(data)
    assert sheet.headers == ["Tên đơn vị", "Loại", "Ngày"]
    assert sheet.rows == [
        (2, {"Tên đơn vị": "Trường A", "Loại": "Trường", "Ngày": dt.date(2025, 9, 5)}),
        (4, {"Tên đơn vị": "Trường B", "Loại": "620", "Ngày": ""}),
    ]


@pytest.mark.parametrize("bom", [True, False])
def test_csv_in_utf8_with_or_without_bom(bom):
    data = csv_bytes([["Tên đơn vị", "Loại"], ["Trường Tiểu học Nguyễn Du", "Trường"]], bom=bom)
    sheet = read_rows(data)
    assert sheet.headers == ["Tên đơn vị", "Loại"]
    assert sheet.rows == [(2, {"Tên đơn vị": "Trường Tiểu học Nguyễn Du", "Loại": "Trường"})]


def test_csv_with_semicolons_as_excel_writes_it_in_some_locales():
    data = csv_bytes([["Tên đơn vị", "Loại"], ["Trường A, cơ sở 2", "Trường"]], delimiter=";")
    assert read_rows(data).rows == [(2, {"Tên đơn vị": "Trường A, cơ sở 2", "Loại": "Trường"})]


def test_csv_quoted_cells_may_hold_line_breaks_and_keep_record_numbers():
    data = 'Tên đơn vị,Loại\r\n"Trường A\r\ncơ sở 2",Trường\r\nTrường B,Trường\r\n'.encode()
    assert [number for number, _values in read_rows(data).rows] == [2, 3]


def test_csv_in_a_legacy_code_page_is_refused_with_advice():
    data = "Ten,Loai\r\nCafé Đà,Ông\r\n".encode("cp1258")
    with pytest.raises(SpreadsheetError, match="UTF-8"):
        read_rows(data)


def test_png_renamed_xlsx_is_refused():
    with pytest.raises(SpreadsheetError, match="neither an Excel workbook"):
        read_rows(PNG)


def test_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(SpreadsheetError, match="not a readable Excel workbook"):
        read_rows(out.getvalue())


def test_truncated_workbook_is_refused():
    data = xlsx([["Tên đơn vị"], ["Trường A"]])
    with pytest.raises(SpreadsheetError, match="not a readable Excel workbook"):
        read_rows(data[: len(data) // 2])


def test_old_xls_format_is_refused_with_advice():
    with pytest.raises(SpreadsheetError, match=r"\.xls"):
        read_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_empty_file_is_refused():
    with pytest.raises(SpreadsheetError, match="empty"):
        read_rows(b"")


def test_file_over_the_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(SpreadsheetError, match="too large"):
        read_rows(csv_bytes([["Tên đơn vị"], ["x" * 200]]))


def test_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNZIPPED_BYTES", 1000)
    data = xlsx([["Tên đơn vị"], *[[f"Trường {n}"] for n in range(200)]])
    with pytest.raises(SpreadsheetError, match="too large once unpacked"):
        read_rows(data)


def test_too_many_rows_are_refused():
    data = csv_bytes([["Tên đơn vị"], ["A"], ["B"], ["C"], ["D"]])
    with pytest.raises(SpreadsheetError, match="too many rows"):
        read_rows(data, max_rows=3)
    assert len(read_rows(data, max_rows=4).rows) == 4


def test_blank_first_row_is_refused():
    with pytest.raises(SpreadsheetError, match="Row 1"):
        read_rows(csv_bytes([["", ""], ["Trường A", "Trường"]]))


def test_headers_match_without_diacritics_case_or_by_alias():
    data = csv_bytes(
        [["TEN DON VI", "loai", "SĐT", "Ghi chú"], ["Trường A", "Trường", "0275", "x"]]
    )
    assert read_table(data, COLUMNS) == [
        (2, {"name": "Trường A", "kind": "Trường", "phone": "0275"})
    ]


def test_missing_optional_column_reads_as_blank():
    data = csv_bytes([["Tên đơn vị", "Loại"], ["Trường A", "Trường"]])
    assert read_table(data, COLUMNS) == [(2, {"name": "Trường A", "kind": "Trường", "phone": ""})]


def test_missing_required_columns_are_named():
    data = csv_bytes([["Tên", "Điện thoại"], ["Trường A", "0275"]])
    with pytest.raises(SpreadsheetError, match="Missing columns") as error:
        read_table(data, COLUMNS)
    assert "“Tên đơn vị”" in str(error.value)
    assert "“Loại”" in str(error.value)


def test_a_column_given_twice_is_refused():
    data = csv_bytes([["Tên đơn vị", "Loại", "ten don vi"], ["A", "Trường", "B"]])
    with pytest.raises(SpreadsheetError, match="appears twice"):
        read_table(data, COLUMNS)


def test_headers_without_rows_are_refused():
    with pytest.raises(SpreadsheetError, match="no rows"):
        read_table(csv_bytes([["Tên đơn vị", "Loại"]]), COLUMNS)


def test_choice_accepts_folded_words_and_codes():
    words = {"school": "school", "truong": "school"}
    assert choice("Trường", words) == "school"
    assert choice("  TRUONG ", words) == "school"
    assert choice("school", words) == "school"
    assert choice("Phòng", words) is None
    assert choice("", words) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/09/2025", dt.date(2025, 9, 5)),
        ("5/9/2025", dt.date(2025, 9, 5)),
        ("05-09-2025", dt.date(2025, 9, 5)),
        ("2025-09-05", dt.date(2025, 9, 5)),
        (dt.date(2025, 9, 5), dt.date(2025, 9, 5)),
        ("31/02/2025", None),
        ("mùng 5", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("620", 620), ("0", 0), ("1 250", 1250), ("-3", None), ("12.5", None)]
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-2026", 2025), ("2025 – 2026", 2025), ("2025", 2025), ("2025-2027", None), ("x", None)],
)
def test_parse_school_year(value, expected):
    assert parse_school_year(value) == expected


def test_template_has_bold_headers_examples_and_a_guide_sheet():
    columns = (*COLUMNS, Column("from", "Từ ngày"))
    data = build_template(columns, [["Trường A", "Trường", "0275", dt.date(2025, 9, 5)]], "Đơn vị")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Đơn vị", "Hướng dẫn"]
    sheet = workbook["Đơn vị"]
    assert [cell.value for cell in sheet[1]] == ["Tên đơn vị", "Loại", "Điện thoại", "Từ ngày"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 20
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    guide = workbook["Hướng dẫn"]
    assert [row[0] for row in guide.iter_rows(min_row=2, values_only=True)] == [
        "Tên đơn vị",
        "Loại",
        "Điện thoại",
        "Từ ngày",
    ]
    assert guide["C2"].value == "The name."


def test_template_reads_back():
    data = build_template(COLUMNS, [["Trường A", "Trường", "0275 3822 000"]], "Đơn vị")
    assert read_table(data, COLUMNS) == [
        (2, {"name": "Trường A", "kind": "Trường", "phone": "0275 3822 000"})
    ]
