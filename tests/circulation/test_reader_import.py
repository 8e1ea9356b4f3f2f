"""The import of readers: an XLSX/CSV list (a vnEdu, SMAS or CSDL ngành export, or our template)
read through a column mapping, checked row by row (the dry run), applied by the task worker all
or nothing or its valid rows only; the screens, the template, and who may use them.

The screens' tasks run at once here (ImmediateBackend), as in the other import screens' tests;
one test runs the real database queue and worker."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.core.spreadsheet_files import PNG, csv_bytes, upload, xlsx
from thuvien.circulation import importing
from thuvien.circulation.importing import apply as applying
from thuvien.circulation.importing.columns import TEMPLATE_FIELDS
from thuvien.circulation.models import Reader, ReaderKind
from thuvien.core.import_batches import BatchError
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus
from thuvien.core.spreadsheets import SpreadsheetError
from thuvien.organisations.models import Membership, current_school_year

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
UPLOAD = reverse("circulation_import:upload")
TEMPLATE = reverse("circulation_import:template")
# A vnEdu class list: a name split in two columns, "Giới tính" (no field of ours), "STT".
VNEDU_HEADERS = ["STT", "Mã học sinh", "Họ và tên đệm", "Tên", "Ngày sinh", "Giới tính", "Lớp",
                 "Khối"]  # fmt: skip
VNEDU_MAPPING = {"Mã học sinh": "code", "Họ và tên đệm": "last_name", "Tên": "first_name",
                 "Ngày sinh": "birth_date", "Lớp": "class_name", "Khối": "grade"}  # fmt: skip


@pytest.fixture(autouse=True)
def _in_english_and_at_once(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path
    with translation.override("en"):
        yield


def vnedu_export(rows, *, headers=VNEDU_HEADERS, merge_header=None) -> bytes:
    """A vnEdu-like export: a 3-row title block (its titles merged across), headers on row 4."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO", None, None, None, "DANH SÁCH HỌC SINH"])
    sheet.append(["TRƯỜNG TH KIM ĐỒNG", None, None, None, "Năm học 2025-2026"])
    sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("E2:H2")
    if merge_header:
        sheet.merge_cells(merge_header)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Rows 5 to 12 of the export: two new students, one the school has, and five bad rows.
VNEDU_ROWS = [
    [1, "HS0101", "Phạm Thị", "Hoa", dt.datetime(2014, 5, 17), "Nữ", "6A2", None],
    [2, "HS0102", "Vũ  Văn", "Nam", "03/09/2013", "Nam", "7A1", 7],
    [3, "HS0001", "Nguyễn Văn", "An", "2014-03-02", "Nam", "7A1", None],
    [4, None, "Không", "Mã", "01/01/2014", "Nam", "6A1", None],
    [5, "HS0103", "Lê Thị", "Bé", "31/02/2014", "Nữ", "6A1", None],
    [6, "HS0101", "Trùng", "Mã", None, "Nữ", "6A3", None],
    [7, "HS 0104", "Đỗ Văn", "Khoa", None, "Nam", "6A1", None],
    [8, "HS0105", None, None, None, None, "6A1", None],
]
VNEDU_ERRORS = {
    8: ["code_required"],
    9: ["birth_date_invalid"],
    10: ["code_repeated"],
    11: ["code_invalid"],
    12: ["name_required"],
}


def batch_of(world, content, mapping=None, name="hoc-sinh.xlsx"):
    headers = [h for h in importing.read_sheet(content).headers if h]
    return ImportBatch.objects.create(
        kind=ImportKind.READERS,
        created_by=world.librarian,
        filename=name,
        content=content,
        summary={"headers": headers, "mapping": mapping or importing.guess_mapping(headers)},
    )


def apply(world, batch, *, valid_only=False):
    membership = Membership.objects.get(user=world.librarian, unit=world.school)
    assert batch.mark_queued(membership_id=membership.pk) and batch.mark_running()
    return importing.apply_readers(batch, world.school, by=world.librarian, valid_only=valid_only)


def errors_of(preview):
    return {row.number: [e.code for e in row.errors] for row in preview.rows if row.errors}


def readers_of(world):
    return dict(Reader.objects.filter(school=world.school).values_list("code", "full_name"))


def snapshot(world):
    """Every reader of the world's schools as the database holds it, and their history."""
    rows = Reader.objects.order_by("pk").values_list(
        "school_id", "code", "full_name", "birth_date", "class_name", "grade", "kind", "active"
    )
    return list(rows), Reader.history.count()


# --- The mapping ---------------------------------------------------------------------------------


def test_the_usual_headers_of_school_management_exports_are_guessed():
    assert importing.guess_mapping(VNEDU_HEADERS) == VNEDU_MAPPING
    # Folded (case and diacritics aside); a field once; the sorting "Tên" of SMAS left out when a
    # column holds the full name; "Giới tính" and "STT" are no field.
    assert importing.guess_mapping(
        ["MÃ ĐỊNH DANH", "Mã học sinh", "Ho va ten", "Tên", "ngày sinh", "Giới tính", "KHỐI",
         "Loại bạn đọc", "Năm học"]
    ) == {"MÃ ĐỊNH DANH": "code", "Ho va ten": "full_name", "ngày sinh": "birth_date",
          "KHỐI": "grade", "Loại bạn đọc": "kind", "Năm học": "school_year"}  # fmt: skip
    assert importing.guess_mapping(["Mã số", "Họ tên", "Lớp"]) == {
        "Mã số": "code",
        "Họ tên": "full_name",
        "Lớp": "class_name",
    }


@pytest.mark.parametrize(
    ("mapping", "problems"),
    [
        ({"A": "code", "B": "full_name"}, 0),
        ({"A": "code", "B": "last_name", "C": "first_name"}, 0),
        ({"B": "full_name"}, 1),  # no code
        ({"A": "code"}, 1),  # no name
        ({"A": "code", "B": "last_name"}, 1),  # half a name
        ({"A": "code", "B": "full_name", "C": "first_name"}, 1),  # the name twice over
        ({"A": "code", "B": "full_name", "C": "class_name", "D": "class_name"}, 1),
        ({"A": "code", "B": "full_name", "C": "shoe_size"}, 1),
        ({}, 2),
    ],
)
def test_a_mapping_needs_a_code_and_one_name(mapping, problems):
    assert len(importing.check_mapping(mapping)) == problems


# --- Reading the file ---------------------------------------------------------------------------


def test_the_header_row_is_found_below_a_title_block_and_rows_keep_their_excel_numbers():
    sheet = importing.read_sheet(vnedu_export(VNEDU_ROWS))
    assert sheet.headers == VNEDU_HEADERS
    assert [number for number, _values in sheet.rows] == list(range(5, 13))
    assert sheet.rows[0][1]["Ngày sinh"] == dt.date(2014, 5, 17)  # an Excel date stays a date
    # Our template, headers on row 1.
    assert importing.read_sheet(xlsx([["Mã bạn đọc", "Họ và tên"], ["A1", "B"]])).rows == [
        (2, {"Mã bạn đọc": "A1", "Họ và tên": "B"})
    ]


def test_merged_header_cells_are_refused_and_named():
    with pytest.raises(SpreadsheetError) as caught:
        importing.read_sheet(vnedu_export(VNEDU_ROWS, merge_header="C4:D4"))
    assert "C4:D4" in str(caught.value)
    # A two-row header (its merge reaching the header row) too.
    with pytest.raises(SpreadsheetError, match="B3:B4"):
        importing.read_sheet(vnedu_export(VNEDU_ROWS, merge_header="B3:B4"))


def test_a_file_whose_first_ten_rows_are_empty_is_refused():
    workbook = Workbook()
    workbook.active.cell(row=12, column=1, value="Mã học sinh")
    workbook.active.cell(row=13, column=1, value="HS1")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SpreadsheetError):
        importing.read_sheet(out.getvalue())


@pytest.mark.parametrize(
    "content",
    [
        PNG + b"\x00" * 50,
        b"\xd0\xcf\x11\xe0" + b"\x00" * 100,  # an old .xls
        b"PK\x03\x04not really a zip",
        b"",
        xlsx([["Mã học sinh", "Họ và tên"]]),  # headers, no rows
        "Mã;Tên\r\nHS1;Tô Hoài".encode("latin-1"),  # a legacy code page, not UTF-8
    ],
)
def test_wrong_or_empty_files_are_refused_by_content(content):
    with pytest.raises(SpreadsheetError):
        importing.read_sheet(content)


# --- The dry run --------------------------------------------------------------------------------


def test_the_dry_run_reports_each_bad_row_by_its_number_and_writes_nothing(world):
    before = snapshot(world)
    batch = batch_of(world, vnedu_export(VNEDU_ROWS))
    assert batch.summary["mapping"] == VNEDU_MAPPING
    preview = importing.preview_readers(batch, world.school)
    assert errors_of(preview) == VNEDU_ERRORS
    repeated = preview.rows[5].errors[0].message  # row 10 repeats the code of row 5
    assert "HS0101" in repeated and re.search(r"\b5\b", repeated)
    assert "HS 0104" in preview.rows[6].errors[0].message
    good = {row.number: row for row in preview.rows if not row.errors}
    assert {n: row.action for n, row in good.items()} == {5: "create", 6: "create", 7: "update"}
    assert good[5].action_label != good[7].action_label  # new ("thêm mới") or updated
    assert good[5].cells == ["HS0101", "Phạm Thị Hoa", "17/05/2014", "6A2", "6", "Student"]
    assert good[6].cells[:2] == ["HS0102", "Vũ Văn Nam"]  # the name's spaces tidied
    assert (preview.count("create"), preview.count("update")) == (2, 1)
    assert snapshot(world) == before


def test_all_or_nothing_a_file_with_errors_is_not_applied(world):
    before = snapshot(world)
    batch = batch_of(world, vnedu_export(VNEDU_ROWS))
    with pytest.raises(BatchError):
        apply(world, batch)
    assert snapshot(world) == before


def test_valid_only_adds_the_new_readers_and_updates_the_known_one(world):
    outsiders = list(Reader.objects.filter(school=world.outsider_school).values())
    batch = batch_of(world, vnedu_export(VNEDU_ROWS))
    summary = apply(world, batch, valid_only=True)
    assert (summary["created"], summary["updated"], summary["rows"]) == (2, 1, 3)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.summary["created"] == 2
    hoa = Reader.objects.get(school=world.school, code="HS0101")
    assert (hoa.full_name, hoa.folded_name, hoa.birth_date, hoa.class_name, hoa.grade) == (
        "Phạm Thị Hoa", "pham thi hoa", dt.date(2014, 5, 17), "6A2", 6,
    )  # fmt: skip
    assert (hoa.kind, hoa.active, hoa.school_year) == (
        ReaderKind.STUDENT,
        True,
        current_school_year(),
    )
    nam = Reader.objects.get(school=world.school, code="HS0102")
    assert (nam.full_name, nam.birth_date, nam.grade) == ("Vũ Văn Nam", dt.date(2013, 9, 3), 7)
    an = Reader.objects.get(school=world.school, code="HS0001")
    assert (an.class_name, an.grade, an.birth_date) == ("7A1", 7, dt.date(2014, 3, 2))
    # None of the bad rows' readers, and the outsider school's HS0001 untouched.
    assert set(readers_of(world)) == {"HS0001", "HS0002", "GV0001", "HS0101", "HS0102"}
    assert list(Reader.objects.filter(school=world.school_a2).values()) == []
    assert list(Reader.objects.filter(school=world.outsider_school).values()) == outsiders
    # One history row each, by the importer.
    made = Reader.history.filter(code="HS0101").get()
    assert (made.history_type, made.history_user) == ("+", world.librarian)
    changed = Reader.history.filter(id=an.pk).order_by("-history_id").first()
    assert (changed.history_type, changed.history_user, changed.class_name) == (
        "~", world.librarian, "7A1",
    )  # fmt: skip


def test_a_known_reader_is_active_again_and_keeps_what_the_file_leaves_empty(world):
    Reader.objects.filter(school=world.school, code="HS0002").update(
        active=False, left_on=dt.date(2025, 6, 1)
    )
    content = xlsx([
        ["Mã số", "Họ và tên", "Ngày sinh", "Lớp"],
        ["HS0001", "Nguyễn Văn An", "", ""],
        ["HS0002", "Trần Thị Đường", "", "7A2"],
        ["GV0001", "Lê Thị Cúc", "", ""],
    ])  # fmt: skip
    batch = batch_of(world, content)
    preview = importing.preview_readers(batch, world.school)
    assert preview.is_valid, errors_of(preview)
    assert [row.action for row in preview.rows] == ["update", "update", "update"]
    apply(world, batch)
    an = Reader.objects.get(school=world.school, code="HS0001")
    assert (an.birth_date, an.class_name, an.grade) == (dt.date(2014, 3, 2), "6A1", 6)
    duong = Reader.objects.get(school=world.school, code="HS0002")
    assert (duong.active, duong.left_on, duong.class_name, duong.grade) == (True, None, "7A2", 7)
    teacher = Reader.objects.get(school=world.school, code="GV0001")
    assert (teacher.kind, teacher.grade) == (ReaderKind.TEACHER, None)  # no type given: kept
    assert teacher.user == world.librarian  # the link to the account kept


def test_a_csv_with_a_title_line_reader_types_grades_and_school_years(world):
    content = csv_bytes(
        [
            ["DANH SÁCH CÁN BỘ, GIÁO VIÊN VÀ HỌC SINH", "", "", "", "", "", ""],
            ["Mã số", "Họ tên", "Ngày sinh", "Lớp", "Khối", "Loại bạn đọc", "Năm học"],
            ["GV0002", "Hoàng Thị Lan", "15/08/1980", "", "", "Giáo viên", ""],
            ["HS0201", "Ngô Minh Khang", "2013-01-09", "8A3", "Khối 8", "học sinh", "2024-2025"],
            ["NV0001", "Phan Văn Tâm", "", "", "", "Nhân viên", ""],
            ["HS0202", "Lý Gia Hân", "1.1.2015", "6A1", "13", "bạn đọc", "2025"],
            ["HS0203", "Mai Anh", "20/10/2099", "6A1", "", "", "năm nay"],
        ],
        delimiter=";",
        bom=True,
    )
    batch = batch_of(world, content, name="ban-doc.csv")
    preview = importing.preview_readers(batch, world.school)
    assert errors_of(preview) == {
        6: ["kind_invalid", "grade_invalid"],
        7: ["birth_date_invalid", "school_year_invalid"],
    }
    apply(world, batch, valid_only=True)
    found = {
        r.code: (r.kind, r.birth_date, r.class_name, r.grade, r.school_year)
        for r in Reader.objects.filter(school=world.school, code__in=["GV0002", "HS0201", "NV0001"])
    }
    assert found == {
        "GV0002": (ReaderKind.TEACHER, dt.date(1980, 8, 15), "", None, current_school_year()),
        "HS0201": (ReaderKind.STUDENT, dt.date(2013, 1, 9), "8A3", 8, 2024),
        "NV0001": (ReaderKind.STAFF, None, "", None, current_school_year()),
    }
    assert not Reader.objects.filter(code__in=["HS0202", "HS0203"]).exists()


def test_a_failure_while_applying_leaves_nothing_half_written(world, monkeypatch):
    before = snapshot(world)
    content = xlsx([["Mã học sinh", "Họ và tên", "Lớp"], ["HS0301", "Mới", "6A1"],
                    ["HS0001", "Nguyễn Văn An", "9A9"]])  # fmt: skip
    batch = batch_of(world, content)

    def broken(*args, **kwargs):  # the readers are inserted, then the update fails
        raise IntegrityError("one_reader_a_code")

    monkeypatch.setattr(applying, "bulk_update_with_history", broken)
    membership = Membership.objects.get(user=world.librarian, unit=world.school)
    from thuvien.circulation import tasks

    batch.summary = {**batch.summary, "valid_only": False}
    batch.save()
    batch.mark_queued(membership_id=membership.pk)
    assert tasks.apply_reader_batch.call(str(batch.pk), "en") == ImportStatus.FAILED
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "nothing was saved" in batch.error
    assert snapshot(world) == before
    assert not Reader.history.filter(code="HS0301").exists()


def test_two_thousand_rows_apply_in_a_few_queries_and_seconds(world, django_assert_max_num_queries):
    rows = [["Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp"]]
    rows += [
        [f"HS{n:05d}", f"Học sinh Số {n}", dt.date(2014, 1, 1 + n % 28), f"{6 + n % 4}A{n % 9}"]
        for n in range(2000)
    ]
    rows += [["HS0001", "Nguyễn Văn An", "", "7A1"]]
    batch = batch_of(world, xlsx(rows))
    started = time.monotonic()
    # Inserts of a few hundred rows each (SQLite's 999 parameters a query), never one a row.
    with django_assert_max_num_queries(120):
        summary = apply(world, batch)
    assert time.monotonic() - started < 10
    assert (summary["created"], summary["updated"]) == (2000, 1)
    assert Reader.objects.filter(school=world.school).count() == 2003
    assert Reader.history.filter(code__startswith="HS0").count() >= 2001
    assert Reader.objects.get(school=world.school, code="HS01999").folded_name == (
        "hoc sinh so 1999"
    )


def test_applied_once_only(world):
    batch = batch_of(world, xlsx([["Mã học sinh", "Họ và tên"], ["HS0401", "Một Lần"]]))
    apply(world, batch)
    with pytest.raises(BatchError):
        importing.apply_readers(batch, world.school, by=world.librarian, valid_only=False)
    assert Reader.objects.filter(code="HS0401").count() == 1


def test_the_template_has_our_headers_a_guide_and_imports_cleanly(world):
    content = importing.template_bytes()
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Danh sách bạn đọc", "Hướng dẫn"]
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == [column.header for column in TEMPLATE_FIELDS]
    assert importing.guess_mapping(headers) == {c.header: c.key for c in TEMPLATE_FIELDS}
    preview = importing.preview_readers(batch_of(world, content), world.school)
    assert preview.is_valid, errors_of(preview)
    assert [row.action for row in preview.rows] == ["create", "create"]


# --- The screens --------------------------------------------------------------------------------


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, batch):
    return reverse(f"circulation_import:{name}", kwargs={"batch_id": batch.pk})


def uploaded(client, content, name="hoc-sinh.xlsx"):
    response = client.post(UPLOAD, {"file": upload(content, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get(kind=ImportKind.READERS)
    assert response.url == url("columns", batch)
    return batch


def mapping_post(batch, mapping):
    headers = batch.summary["headers"]
    return {f"column_{i}": mapping.get(header, "") for i, header in enumerate(headers)}


def test_upload_columns_preview_confirm_status(world, client_for):
    client = english(client_for(world.librarian))
    before = snapshot(world)
    batch = uploaded(client, vnedu_export(VNEDU_ROWS))
    page = client.get(url("columns", batch))
    assert page.status_code == 200
    form = page.context["form"]
    assert [form[f"column_{i}"].initial for i in range(8)] == [
        "", "code", "last_name", "first_name", "birth_date", "", "class_name", "grade",
    ]  # fmt: skip
    assert "Phạm Thị" in page.text  # the first rows beside the selects
    preview = client.post(url("columns", batch), mapping_post(batch, VNEDU_MAPPING))
    assert preview.status_code == 200
    shown = preview.context["preview"]
    assert errors_of(shown) == VNEDU_ERRORS and preview.context["valid"] == 3
    assert 'name="valid_only" value="1"' in preview.text
    assert snapshot(world) == before  # a dry run
    response = client.post(url("confirm", batch), {"valid_only": "1"})
    assert response.status_code == 302 and response.url == url("status", batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    assert (batch.summary["created"], batch.summary["updated"]) == (2, 1)
    status = client.get(response.url)
    assert status.status_code == 200 and 'data-status="done"' in status.text
    assert {"HS0101", "HS0102"} <= set(readers_of(world))
    # Applied once only: a second confirm changes nothing.
    client.post(url("confirm", batch))
    assert Reader.objects.filter(school=world.school).count() == 5


def test_a_mapping_without_a_code_is_refused(world, client_for):
    client = english(client_for(world.librarian))
    batch = uploaded(client, xlsx([["Cột A", "Cột B"], ["x", "y"]]))
    response = client.post(url("columns", batch), mapping_post(batch, {"Cột B": "full_name"}))
    assert response.status_code == 422
    assert len(response.context["form"].non_field_errors()) == 1


def test_a_file_without_a_valid_row_cannot_be_confirmed(world, client_for):
    client = english(client_for(world.librarian))
    batch = uploaded(client, xlsx([["Mã học sinh", "Họ và tên"], ["", "Không Mã"]]))
    chosen = {"Mã học sinh": "code", "Họ và tên": "full_name"}
    response = client.post(url("columns", batch), mapping_post(batch, chosen))
    assert response.status_code == 422 and response.context["valid"] == 0
    assert url("confirm", batch) not in response.text


def test_confirming_all_of_a_file_with_errors_saves_nothing(world, client_for):
    client = english(client_for(world.librarian))
    before = snapshot(world)
    batch = uploaded(client, vnedu_export(VNEDU_ROWS))
    client.post(url("columns", batch), mapping_post(batch, VNEDU_MAPPING))
    client.post(url("confirm", batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.error
    assert snapshot(world) == before


def test_merged_header_cells_are_refused_on_upload(world, client_for):
    client = english(client_for(world.librarian))
    content = vnedu_export(VNEDU_ROWS, merge_header="C4:D4")
    response = client.post(UPLOAD, {"file": upload(content)})
    assert response.status_code == 422
    [error] = response.context["form"].errors["file"]
    assert "C4:D4" in error
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [(PNG + b"\x00" * 64, "anh.xlsx"), (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "cu.xls")],
)
def test_a_wrong_file_type_is_refused(world, client_for, content, name):
    response = client_for(world.librarian).post(UPLOAD, {"file": upload(content, name)})
    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_the_template_downloads(world, client_for):
    response = client_for(world.librarian).get(TEMPLATE)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[1] == "Hướng dẫn"


def test_the_reader_list_links_to_the_import_for_the_desk_only(world, client_for):
    link = f'href="{UPLOAD}"'
    assert link in client_for(world.librarian).get(reverse("circulation:reader_list")).text
    assert link not in client_for(world.principal).get(reverse("circulation:reader_list")).text


def test_the_status_page_polls_while_queued(world, client_for):
    client = english(client_for(world.librarian))
    batch = uploaded(client, xlsx([["Mã học sinh", "Họ và tên"], ["HS0501", "Chờ"]]))
    membership = Membership.objects.get(user=world.librarian, unit=world.school)
    batch.mark_queued(membership_id=membership.pk)
    page = client.get(url("status", batch))
    assert 'hx-trigger="every 2s"' in page.text
    unchanged = client.get(url("status", batch), {"since": "queued"}, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    fragment = client.get(url("status", batch), {"since": "pending"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    # Once confirmed, the columns page sends to the status.
    assert client.get(url("columns", batch)).url == url("status", batch)


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [UPLOAD, TEMPLATE])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("who", ["principal", "dept_admin", "reader"])
@pytest.mark.parametrize("path", [UPLOAD, TEMPLATE])
def test_who_does_not_lend_may_not_import(world, client_for, who, path):
    assert client_for(getattr(world, who)).get(path).status_code == 403


def test_the_outsider_and_a_colleague_cannot_see_or_confirm_the_batch(world, client_for):
    mine = uploaded(client_for(world.librarian), vnedu_export(VNEDU_ROWS))
    for other in (world.outsider, world.teacher_librarian):  # another school; not the uploader
        client = client_for(other)
        for name in ("columns", "status"):
            assert client.get(url(name, mine)).status_code == 404
        assert client.post(url("columns", mine), mapping_post(mine, {})).status_code == 404
        assert client.post(url("confirm", mine), {"valid_only": "1"}).status_code == 404
    mine.refresh_from_db()
    assert mine.status == ImportStatus.PENDING and mine.summary["mapping"] == VNEDU_MAPPING


def test_a_batch_of_another_kind_is_404(world, client_for):
    other = ImportBatch.objects.create(
        kind=ImportKind.CATALOGUE_SHEET, created_by=world.librarian, filename="sach.xlsx",
        content=xlsx([["Nhan đề"], ["Sách"]]), summary={"headers": ["Nhan đề"], "mapping": {}},
    )  # fmt: skip
    client = client_for(world.librarian)
    for name in ("columns", "status"):
        assert client.get(url(name, other)).status_code == 404
    assert client.post(url("confirm", other)).status_code == 404
    other.refresh_from_db()
    assert other.status == ImportStatus.PENDING


def test_wrong_methods(world, client_for):
    client = client_for(world.librarian)
    assert client.post(TEMPLATE).status_code == 405
    batch = uploaded(client, xlsx([["Mã học sinh", "Họ và tên"], ["HS0601", "Sai"]]))
    assert client.get(url("confirm", batch)).status_code == 405
    assert client.post(url("status", batch)).status_code == 405
    assert client.put(UPLOAD).status_code == 405


# --- The real queue and worker ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_applies_a_confirmed_reader_list(world, client_for, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.core.worker import DATABASE_TASKS, run_worker

    settings.TASKS = DATABASE_TASKS
    DBTaskResult.objects.all().delete()
    client = english(client_for(world.librarian))
    batch = uploaded(client, vnedu_export(VNEDU_ROWS[:3]))
    client.post(url("columns", batch), mapping_post(batch, VNEDU_MAPPING))
    client.post(url("confirm", batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED  # the web request only queued it
    assert not Reader.objects.filter(code="HS0101").exists()
    task = DBTaskResult.objects.get()
    assert task.task_path == "thuvien.circulation.tasks.apply_reader_batch"
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    assert (batch.summary["created"], batch.summary["updated"]) == (2, 1)
    assert Reader.objects.get(school=world.school, code="HS0001").class_name == "7A1"
    done = client.get(url("status", batch), {"since": "queued"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "hx-trigger" not in done.text
