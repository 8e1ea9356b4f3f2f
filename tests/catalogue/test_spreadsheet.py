"""The catalogue spreadsheet: XLSX/CSV read through a column mapping, checked row by row (the
dry run), applied all or nothing or its valid rows only; the template and the export."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.core.spreadsheet_files import PNG, csv_bytes, xlsx
from thuvien.catalogue import spreadsheet
from thuvien.catalogue.models import Copy, Record, RecordIsbn, Sequence
from thuvien.core.import_batches import BatchError
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus
from thuvien.core.spreadsheets import SpreadsheetError
from thuvien.organisations.models import Membership

# An Excel list as schools keep them: their own headers, in their own order.
HEADERS = ["STT", "Tên sách", "Tác giả", "NXB", "Năm XB", "ISBN", "Số ĐKCB", "Giá", "Số lượng",
           "Môn loại", "Loại"]  # fmt: skip


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def batch_of(world, content, mapping=None, name="sach.xlsx"):
    headers = [h for h in spreadsheet.read_sheet(content).headers if h]
    return ImportBatch.objects.create(
        kind=ImportKind.CATALOGUE_SHEET,
        created_by=world.librarian,
        filename=name,
        content=content,
        summary={"headers": headers, "mapping": mapping or spreadsheet.guess_mapping(headers)},
    )


def apply(world, batch, *, valid_only=False):
    membership = Membership.objects.get(user=world.librarian, unit=world.school)
    assert batch.mark_queued(membership_id=membership.pk) and batch.mark_running()
    return spreadsheet.apply_sheet(batch, world.school, by=world.librarian, valid_only=valid_only)


def errors_of(preview):
    return {row.number: [e.code for e in row.errors] for row in preview.rows if row.errors}


def test_usual_headers_are_guessed_and_unknown_ones_left_out():
    assert spreadsheet.guess_mapping(HEADERS) == {
        "Tên sách": "title",
        "Tác giả": "author",
        "NXB": "publisher",
        "Năm XB": "year",
        "ISBN": "isbn",
        "Số ĐKCB": "registration_number",
        "Giá": "price",
        "Số lượng": "copies",
        "Môn loại": "classification",
        "Loại": "doc_type",
    }
    # Folded: case and diacritics do not matter; a field is guessed once.
    assert spreadsheet.guess_mapping(["NHAN ĐỀ", "nhan de", "Ký hiệu phân loại"]) == {
        "NHAN ĐỀ": "title",
        "Ký hiệu phân loại": "classification",
    }


def test_a_mapping_without_title_or_with_a_field_twice_is_refused():
    assert spreadsheet.check_mapping({"A": "author"}) == ["Choose the column that holds the title."]
    problems = spreadsheet.check_mapping({"A": "title", "B": "year", "C": "year"})
    assert len(problems) == 1 and "“Year of publication”" in problems[0]


def test_xlsx_list_imports_records_and_copies(world):
    content = xlsx([
        HEADERS,
        [1, "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2020, "978-604-2-12345-7",
         "STN.000101", "45.000", "", "895.9223", "STN"],
        [2, "Tiếng Việt 1", "Bùi Mạnh Hùng", "Giáo dục Việt Nam", 2025, "9786040351630",
         "", 23000, 4, "372.6", "SGK"],
    ])  # fmt: skip
    batch = batch_of(world, content)
    preview = spreadsheet.preview_sheet(batch, world.school)
    assert preview.is_valid, errors_of(preview)
    assert [row.action for row in preview.rows] == ["create", "match"]  # row 3: the world's SGK
    records_before = Record.objects.count()
    summary = apply(world, batch)
    assert summary["records_created"] == 1 and summary["records_matched"] == 1
    assert summary["copies_created"] == 5
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.summary["copies_created"] == 5
    assert Record.objects.count() == records_before + 1
    de_men = Record.objects.get(title="Dế Mèn phiêu lưu ký")
    assert (de_men.author, de_men.publisher, de_men.year, de_men.doc_type) == (
        "Tô Hoài", "Kim Đồng", 2020, "stn",
    )  # fmt: skip
    assert de_men.catalogued_by == world.school
    assert list(de_men.isbns.values_list("isbn13", flat=True)) == ["9786042123457"]
    copy = Copy.objects.get(record=de_men)
    assert (copy.registration_number, copy.barcode, copy.price_vnd) == (
        "STN.000101", "STN.000101", 45000,
    )  # fmt: skip
    # The number given in the file is the sequence's own: it goes on after it.
    assert Sequence.objects.get(school=world.school, prefix="STN.").last_number == 101
    textbook = Record.objects.get(title="Tiếng Việt 1")
    made = Copy.objects.filter(record=textbook, school=world.school).order_by("number")
    assert [c.registration_number for c in made][-4:] == [
        "SGK.000004", "SGK.000005", "SGK.000006", "SGK.000007",
    ]  # fmt: skip
    assert "hoai" in set(de_men_terms(de_men))  # indexed: staff search finds it


def de_men_terms(record):
    from thuvien.catalogue.models import RecordTerm

    return RecordTerm.objects.filter(record=record).values_list("term", flat=True)


def test_csv_with_bom_and_semicolons_and_a_chosen_mapping(world):
    content = csv_bytes(
        [
            ["Nhan đề", "Người viết", "Năm", "Ghi chú"],
            ["Toán 6", "Hà Huy Khoái", "2021", "Kho lớp 6"],
        ],
        delimiter=";",
        bom=True,
    )
    mapping = {"Nhan đề": "title", "Người viết": "author", "Năm": "year", "Ghi chú": "notes"}
    batch = batch_of(world, content, mapping, name="sach.csv")
    preview = spreadsheet.preview_sheet(batch, world.school)
    assert preview.is_valid, errors_of(preview)
    assert preview.rows[0].cells[:3] == ["Toán 6", "Hà Huy Khoái", "2021"]
    apply(world, batch)
    record = Record.objects.get(title="Toán 6")
    assert (record.author, record.year) == ("Hà Huy Khoái", 2021)
    assert Copy.objects.get(record=record).notes == "Kho lớp 6"


def test_merged_header_cells_are_named_in_the_error():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Danh mục sách", None, None, "Năm"])
    sheet.append(["Dế Mèn", "Tô Hoài", "Kim Đồng", 2020])
    sheet.merge_cells("A1:C1")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SpreadsheetError) as caught:
        spreadsheet.read_sheet(out.getvalue())
    assert str(caught.value) == (
        "The header cells A1:C1 are merged: unmerge them and upload the file again."
    )


def test_merged_cells_below_the_header_are_not_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nhan đề", "Tác giả"])
    sheet.append(["Dế Mèn", "Tô Hoài"])
    sheet.append(["", ""])
    sheet.merge_cells("A3:B3")
    out = io.BytesIO()
    workbook.save(out)
    assert len(spreadsheet.read_sheet(out.getvalue()).rows) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG + b"\x00" * 50, "neither an Excel workbook"),
        (b"PK\x03\x04not really a zip", "not a readable Excel workbook"),
        (b"", "The file is empty."),
        (xlsx([["Nhan đề", "Tác giả"]]), "no rows to import"),
    ],
)
def test_wrong_or_empty_files_are_refused_by_content(content, message):
    with pytest.raises(SpreadsheetError, match=message):
        spreadsheet.read_sheet(content)


def test_duplicate_registration_numbers_in_the_file_or_the_school_are_row_errors(world):
    taken = Copy.objects.filter(school=world.school).order_by("pk").first().registration_number
    content = xlsx([
        ["Nhan đề", "Số ĐKCB"],
        ["Sách A", "STK.000900"],
        ["Sách B", "STK.000900"],
        ["Sách C", taken],
        ["Sách D", "STK.000901"],
    ])  # fmt: skip
    batch = batch_of(world, content)
    preview = spreadsheet.preview_sheet(batch, world.school)
    assert errors_of(preview) == {3: ["number_repeated"], 4: ["number_taken"]}
    messages = {row.number: row.errors[0].message for row in preview.bad_rows}
    assert messages[3] == "STK.000900 is already on row 2 of this file."
    assert taken in messages[4]
    with pytest.raises(BatchError):  # all or nothing: a file with errors is not applied
        apply(world, batch)
    assert not Record.objects.filter(title__in=["Sách A", "Sách D"]).exists()


def test_valid_only_applies_the_good_rows_and_leaves_out_the_others(world):
    content = xlsx([
        ["Nhan đề", "Năm XB", "Số ĐKCB"],
        ["Sách A", "2020", "STK.000900"],
        ["Sách B", "năm 2020", ""],
        ["Sách C", "2021", "STK.000900"],
    ])  # fmt: skip
    batch = batch_of(world, content)
    assert errors_of(spreadsheet.preview_sheet(batch, world.school)) == {
        3: ["year_invalid"],
        4: ["number_repeated"],
    }
    summary = apply(world, batch, valid_only=True)
    assert (summary["records_created"], summary["copies_created"]) == (1, 1)
    assert set(
        Record.objects.filter(title__startswith="Sách ").values_list("title", flat=True)
    ) == {"Sách A"}


def test_invalid_isbn_is_a_warning_and_kept_out_of_the_index(world):
    content = xlsx([["Nhan đề", "ISBN"], ["Sách lạ", "978-604-0-00000-1; 0-306-40615-2"]])
    batch = batch_of(world, content)
    preview = spreadsheet.preview_sheet(batch, world.school)
    assert preview.is_valid
    [row] = preview.rows
    assert row.warnings == [
        "“978-604-0-00000-1” is not a valid ISBN: check its digits (10 or 13 digits, the last one "
        "is a check digit). It is left out."
    ]
    apply(world, batch)
    record = Record.objects.get(title="Sách lạ")
    assert list(RecordIsbn.objects.filter(record=record).values_list("isbn13", flat=True)) == [
        "9780306406157"
    ]


def test_each_bad_value_is_its_own_row_error(world):
    content = xlsx([
        ["Nhan đề", "Năm", "Lớp", "Loại tài liệu", "Giá", "Số lượng", "Nguồn", "Kho"],
        ["", "2020", "", "", "", "", "", ""],
        ["Sách", "MMXX", "13", "Truyện tranh", "rẻ", "nhiều", "Nhặt được", "XYZ"],
        ["Sách tặng", "", "", "STK", "", "2", "Tặng", ""],
    ])  # fmt: skip
    preview = spreadsheet.preview_sheet(batch_of(world, content), world.school)
    assert errors_of(preview) == {
        2: ["title_required"],
        3: ["year_invalid", "doc_type_invalid", "grade_invalid", "copies_invalid",
            "price_invalid", "source_invalid", "collection_unknown"],
        4: ["donor_required"],
    }  # fmt: skip


def test_the_same_book_twice_in_the_file_makes_one_record(world):
    content = xlsx([
        ["Nhan đề", "Tác giả", "Năm XB", "Số ĐKCB"],
        ["Lão Hạc", "Nam Cao", 2019, "STK.000500"],
        ["Lão Hạc", "Nam Cao", 2019, "STK.000501"],
    ])  # fmt: skip
    batch = batch_of(world, content)
    assert [r.action for r in spreadsheet.preview_sheet(batch, world.school).rows] == [
        "create",
        "match",
    ]
    summary = apply(world, batch)
    assert (summary["records_created"], summary["copies_created"]) == (1, 2)
    assert Record.objects.get(title="Lão Hạc").copies.count() == 2


def test_applied_once_only(world):
    batch = batch_of(world, xlsx([["Nhan đề"], ["Sách một lần"]]))
    apply(world, batch)
    with pytest.raises(BatchError):
        spreadsheet.apply_sheet(batch, world.school, by=world.librarian, valid_only=False)
    assert Record.objects.filter(title="Sách một lần").count() == 1


def test_template_has_our_headers_an_example_and_imports_cleanly(world):
    content = spreadsheet.template_bytes()
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Danh mục sách", "Hướng dẫn"]
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == [column.header for column in spreadsheet.FIELDS]
    assert spreadsheet.guess_mapping(headers) == {c.header: c.key for c in spreadsheet.FIELDS}
    preview = spreadsheet.preview_sheet(batch_of(world, content), world.school)
    assert preview.is_valid, errors_of(preview)
    # The example textbook is of another year than the world's: a new record, not a duplicate.
    assert [row.action for row in preview.rows] == ["create", "create"]


def test_export_of_the_school_imports_back_into_another_school(world):
    mine = Copy.objects.filter(school=world.school).select_related("record", "collection")
    content = spreadsheet.export_bytes(mine.order_by("pk"))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + mine.count()
    assert rows[1][0] == "Tiếng Việt 1" and rows[1][15] == "SGK.000001"
    assert sheet.cell(row=2, column=16).data_type == "s"
    # Into the same school: every registration number is taken.
    preview = spreadsheet.preview_sheet(batch_of(world, content), world.school)
    assert {code for row in preview.bad_rows for code in [e.code for e in row.errors]} == {
        "number_taken",
        "barcode_taken",
    }
    assert len(preview.bad_rows) == mine.count()
    # Into another school (whose collections are not set up yet): every row is valid.
    elsewhere = spreadsheet.preview_sheet(batch_of(world, content), world.school_a2)
    assert elsewhere.is_valid, errors_of(elsewhere)
    assert {row.action for row in elsewhere.rows} == {"match"}


def test_a_new_record_from_the_sheet_takes_the_provinces_call_number_rule(world):
    from thuvien.catalogue.models import CallNumberRule, CatalogueSettings

    CatalogueSettings.objects.create(
        department=world.department, call_number_rule=CallNumberRule.CLASS_MARK1
    )
    content = xlsx([
        HEADERS,
        [1, "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2020, "", "", "", 1, "895.9223", "STN"],
    ])  # fmt: skip
    apply(world, batch_of(world, content))
    assert Record.objects.get(title="Dế Mèn phiêu lưu ký").call_number == "895.9223 T"
