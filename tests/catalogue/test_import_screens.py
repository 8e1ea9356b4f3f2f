"""The catalogue's import screens: upload → preview (dry run) → confirm → the worker → status,
for MARC files and spreadsheets (with the column mapping), the template and the export.

The tasks run at once here (ImmediateBackend), as in the other import screens' tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.core.spreadsheet_files import PNG, upload, xlsx
from thuvien.catalogue import import_progress
from thuvien.catalogue.models import Copy, Record
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus

SAMPLES = Path(django_settings.BASE_DIR).parent / "shared" / "marc_samples"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
INDEX = reverse("catalogue_imports:index")
MARC = reverse("catalogue_imports:marc_upload")
SHEET = reverse("catalogue_imports:sheet_upload")
TEMPLATE = reverse("catalogue_imports:template")
EXPORT = reverse("catalogue_imports:export")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, batch):
    return reverse(f"catalogue_imports:{name}", kwargs={"batch_id": batch.pk})


def sheet_batch(client, content, name="sach.xlsx"):
    response = client.post(SHEET, {"file": upload(content, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get(kind=ImportKind.CATALOGUE_SHEET)
    assert response.url == url("sheet_columns", batch)
    return batch


def mapping_post(batch, mapping):
    headers = batch.summary["headers"]
    return {f"column_{i}": mapping.get(header, "") for i, header in enumerate(headers)}


# --- Spreadsheet ---------------------------------------------------------------------------


def test_spreadsheet_upload_mapping_preview_confirm_status(world, client_for):
    client = english(client_for(world.librarian))
    content = xlsx([
        ["STT", "Tên sách", "Người viết", "NXB", "Năm XB", "Số lượng"],
        [1, "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2020, 2],
    ])  # fmt: skip
    batch = sheet_batch(client, content)
    page = client.get(url("sheet_columns", batch))
    assert page.status_code == 200
    # Guessed: "Tên sách" is the title, "NXB" the publisher; "Người viết" is not known.
    form = page.context["form"]
    assert [form[f"column_{i}"].initial for i in range(6)] == [
        "", "title", "", "publisher", "year", "copies",
    ]  # fmt: skip
    assert "Kim Đồng" in page.text  # the first rows shown beside the selects
    chosen = {"Tên sách": "title", "Người viết": "author", "NXB": "publisher",
              "Năm XB": "year", "Số lượng": "copies"}  # fmt: skip
    preview = client.post(url("sheet_columns", batch), mapping_post(batch, chosen))
    assert preview.status_code == 200
    assert url("sheet_confirm", batch) in preview.text
    assert not Record.objects.filter(title="Dế Mèn phiêu lưu ký").exists()  # a dry run
    batch.refresh_from_db()
    assert batch.summary["mapping"]["Người viết"] == "author"
    response = client.post(url("sheet_confirm", batch))
    assert response.status_code == 302 and response.url == url("sheet_status", batch)
    status = client.get(response.url)
    assert "Import done: 1 new records, 0 already in the catalogue, 2 copies added." in status.text
    record = Record.objects.get(title="Dế Mèn phiêu lưu ký")
    assert record.author == "Tô Hoài"
    assert Copy.objects.filter(record=record, school=world.school).count() == 2
    # Applied once only: a second confirm changes nothing.
    again = client.post(url("sheet_confirm", batch), follow=True)
    assert "already applied" in again.text
    assert Copy.objects.filter(record=record).count() == 2


def test_mapping_without_a_title_is_refused(world, client_for):
    client = english(client_for(world.librarian))
    batch = sheet_batch(client, xlsx([["Cột A", "Cột B"], ["x", "y"]]))
    response = client.post(url("sheet_columns", batch), mapping_post(batch, {"Cột B": "author"}))
    assert response.status_code == 422
    assert "Choose the column that holds the title." in response.text


def test_rows_with_errors_offer_valid_only(world, client_for):
    client = english(client_for(world.librarian))
    content = xlsx([["Nhan đề", "Năm XB"], ["Sách tốt", "2020"], ["Sách xấu", "hai nghìn"]])
    batch = sheet_batch(client, content)
    chosen = {"Nhan đề": "title", "Năm XB": "year"}
    preview = client.post(url("sheet_columns", batch), mapping_post(batch, chosen))
    assert preview.status_code == 200
    assert "“hai nghìn” is not a year of publication such as 2024." in preview.text
    assert 'name="valid_only" value="1"' in preview.text
    client.post(url("sheet_confirm", batch), {"valid_only": "1"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.summary["records_created"] == 1
    assert Record.objects.filter(title="Sách tốt").exists()
    assert not Record.objects.filter(title="Sách xấu").exists()


def test_confirming_all_of_a_file_with_errors_saves_nothing(world, client_for):
    client = english(client_for(world.librarian))
    content = xlsx([["Nhan đề", "Năm XB"], ["Sách tốt", "2020"], ["Sách xấu", "hai nghìn"]])
    batch = sheet_batch(client, content)
    client.post(
        url("sheet_columns", batch), mapping_post(batch, {"Nhan đề": "title", "Năm XB": "year"})
    )
    client.post(url("sheet_confirm", batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "no longer passes the checks" in batch.error
    assert not Record.objects.filter(title="Sách tốt").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG + b"\x00" * 64, "anh.xlsx", "Tệp không phải là sổ tính Excel (.xlsx) hay tệp CSV."),
        (b"", "rong.xlsx", "The submitted file is empty."),
    ],
)
def test_wrong_file_type_and_empty_file_are_refused(world, client_for, content, name, message):
    client = client_for(world.librarian)
    if "submitted" in message:
        english(client)
    response = client.post(SHEET, {"file": upload(content, name)})
    assert response.status_code == 422
    assert message in response.text
    assert not ImportBatch.objects.exists()


def test_merged_header_cells_are_refused_in_vietnamese(world, client_for):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Danh mục", None, None])
    workbook.active.append(["a", "b", "c"])
    workbook.active.merge_cells("A1:C1")
    out = io.BytesIO()
    workbook.save(out)
    client = english(client_for(world.librarian))  # Vietnamese once /tmp/po/E.py is merged
    response = client.post(SHEET, {"file": upload(out.getvalue())})
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "The header cells A1:C1 are merged: unmerge them and upload the file again."
    ]


def test_template_and_export_download(world, client_for):
    client = client_for(world.librarian)
    template = client.get(TEMPLATE)
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert load_workbook(io.BytesIO(template.content)).sheetnames[1] == "Hướng dẫn"
    export = client.get(EXPORT)
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    numbers = sorted(row[15] for row in rows[1:])
    mine = Copy.objects.filter(school=world.school).values_list("registration_number", flat=True)
    assert numbers == sorted(mine)  # the school's copies, and no other school's
    assert len(numbers) == 5  # not the outsider school's copy of the shared novel


# --- Access ----------------------------------------------------------------------------------


ALL_URLS = ["index", "marc_upload", "sheet_upload", "template", "export"]


@pytest.mark.parametrize("name", ALL_URLS)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(f"catalogue_imports:{name}"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", ["index", "marc_upload", "sheet_upload", "template"])
def test_a_reader_may_not_import(world, client_for, name):
    assert client_for(world.reader).get(reverse(f"catalogue_imports:{name}")).status_code == 403


def test_an_administrator_of_the_department_is_told_to_act_as_a_school(world, client_for):
    client = english(client_for(world.dept_admin))
    for name in ("marc_upload", "sheet_upload", "export"):
        response = client.get(reverse(f"catalogue_imports:{name}"))
        assert response.status_code == 403
        assert "act as the librarian of that school" in response.text


def test_another_persons_batch_is_404(world, client_for):
    mine = sheet_batch(client_for(world.librarian), xlsx([["Nhan đề"], ["Sách"]]))
    outsider = client_for(world.outsider)
    for name in ("sheet_columns", "sheet_status"):
        assert outsider.get(url(name, mine)).status_code == 404
    assert outsider.post(url("sheet_confirm", mine)).status_code == 404
    colleague = client_for(world.teacher_librarian)  # same school, not the uploader
    assert colleague.get(url("sheet_status", mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.status == ImportStatus.PENDING


def test_a_batch_of_the_other_kind_is_404(world, client_for):
    client = client_for(world.librarian)
    batch = sheet_batch(client, xlsx([["Nhan đề"], ["Sách"]]))
    assert client.get(url("marc_status", batch)).status_code == 404
    assert client.post(url("marc_confirm", batch)).status_code == 404


def test_wrong_methods(world, client_for):
    client = client_for(world.librarian)
    assert client.post(TEMPLATE).status_code == 405
    assert client.post(EXPORT).status_code == 405
    batch = sheet_batch(client, xlsx([["Nhan đề"], ["Sách"]]))
    assert client.get(url("sheet_confirm", batch)).status_code == 405


# --- Status and progress ---------------------------------------------------------------------


def test_status_page_shows_progress_and_polls_while_running(world, client_for):
    client = english(client_for(world.librarian))
    batch = sheet_batch(client, xlsx([["Nhan đề"], ["Sách"]]))
    from thuvien.organisations.models import Membership

    membership = Membership.objects.get(user=world.librarian, unit=world.school)
    batch.mark_queued(membership_id=membership.pk)
    batch.mark_running()
    import_progress.reporter(batch.pk, every=0)(1200, 5000)
    page = client.get(url("sheet_status", batch))
    assert '<progress id="import-progress" value="1200" max="5000">' in page.text
    assert "1200 of 5000 records" in page.text
    assert 'hx-trigger="every 2s"' in page.text
    since = page.context["state"]
    unchanged = client.get(url("sheet_status", batch), {"since": since}, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    import_progress.reporter(batch.pk, every=0)(2400, 5000)
    moved = client.get(url("sheet_status", batch), {"since": since}, HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and 'value="2400"' in moved.text
    assert "<html" not in moved.text  # only the partial


# --- MARC ------------------------------------------------------------------------------------


def test_marc_bad_records_are_listed_then_valid_only_imports_the_good_ones(world, client_for):
    client = english(client_for(world.librarian))
    content = (SAMPLES / "pymarc" / "bad_records.mrc").read_bytes()
    before = Record.objects.count()
    response = client.post(MARC, {"file": upload(content, "bad_records.mrc")})
    assert response.status_code == 200
    report = response.context["report"]
    positions = [position for position, _reason in report["rejected"]]
    # pymarc finds 9 records, the 9th truncated; records 1 and 8 are the same book.
    assert {2, 3, 4, 5, 6, 7} <= set(positions) <= {2, 3, 4, 5, 6, 7, 9}
    assert report["total"] - len(positions) == 2
    assert all(reason for _position, reason in report["rejected"])
    assert 'name="valid_only" value="1"' in response.text
    assert Record.objects.count() == before  # a dry run
    batch = ImportBatch.objects.get(kind=ImportKind.CATALOGUE_MARC)
    done = client.post(url("marc_confirm", batch), {"valid_only": "1"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    assert f"{len(positions)} rejected records were left out." in done.text
    assert Record.objects.filter(title__startswith="The pragmatic programmer").count() == 1
    assert Record.objects.count() == before + 1
    assert not (Path(django_settings.VAR_DIR) / "import-progress" / f"{batch.pk}.json").exists()


def test_marc_all_or_nothing_when_not_valid_only(world, client_for):
    client = english(client_for(world.librarian))
    content = (SAMPLES / "pymarc" / "bad_records.mrc").read_bytes()
    client.post(MARC, {"file": upload(content, "bad_records.mrc")})
    batch = ImportBatch.objects.get(kind=ImportKind.CATALOGUE_MARC)
    before = Record.objects.count()
    client.post(url("marc_confirm", batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "nothing was saved" in batch.error
    assert Record.objects.count() == before


def test_marc_clean_file_imports_once(world, client_for):
    client = english(client_for(world.librarian))
    content = (SAMPLES / "pymarc" / "test.dat").read_bytes()
    response = client.post(MARC, {"file": upload(content, "test.dat")})
    assert response.status_code == 200 and not response.context["report"]["rejected"]
    batch = ImportBatch.objects.get(kind=ImportKind.CATALOGUE_MARC)
    client.post(url("marc_confirm", batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    count = Record.objects.count()
    again = client.post(url("marc_confirm", batch), follow=True)
    assert "already applied" in again.text
    assert Record.objects.count() == count


def test_a_file_that_is_not_marc_is_refused(world, client_for):
    response = client_for(world.librarian).post(MARC, {"file": upload(PNG * 20, "anh.mrc")})
    assert response.status_code == 422
    assert not ImportBatch.objects.exists()


# --- The real queue and worker ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_applies_a_confirmed_spreadsheet(world, client_for, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.core.worker import DATABASE_TASKS, run_worker

    settings.TASKS = DATABASE_TASKS
    DBTaskResult.objects.all().delete()
    client = english(client_for(world.librarian))
    batch = sheet_batch(client, xlsx([["Nhan đề", "Số lượng"], ["Sách của hàng đợi", 3]]))
    client.post(
        url("sheet_columns", batch), mapping_post(batch, {"Nhan đề": "title", "Số lượng": "copies"})
    )
    client.post(url("sheet_confirm", batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED  # the web request only queued it
    assert not Record.objects.filter(title="Sách của hàng đợi").exists()
    task = DBTaskResult.objects.get()
    assert task.task_path == "thuvien.catalogue.tasks.apply_sheet_batch"
    page = client.get(url("sheet_status", batch))
    assert "Waiting for its turn" in page.text and 'hx-trigger="every 2s"' in page.text
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    assert Record.objects.get(title="Sách của hàng đợi").copies.count() == 3
    done = client.get(url("sheet_status", batch), {"since": "queued:"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "3 copies added" in done.text
    assert "hx-trigger" not in done.text
