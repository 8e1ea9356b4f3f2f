"""Import of units from a spreadsheet: template, dry-run preview, all-or-nothing apply.

The tasks run at once here (ImmediateBackend); test_unit_import_worker.py runs them through the
database queue and its worker, as in production."""

import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from tests.core.spreadsheet_files import PNG, csv_bytes, upload, xlsx
from thuvien.access import Scope
from thuvien.core.import_batches import BatchError
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus
from thuvien.core.spreadsheets import SpreadsheetError
from thuvien.core.testing import make_user
from thuvien.organisations import services
from thuvien.organisations.importing import apply_unit_import, preview_unit_import
from thuvien.organisations.models import Membership, Role, SchoolYearStats, Unit, UnitKind
from thuvien.organisations.services import OrganisationError

IMPORT = reverse("organisations:unit_import")
TEMPLATE = reverse("organisations:unit_import_template")
HEADERS = [
    "Tên đơn vị",
    "Loại",
    "Mã đơn vị (Bộ GD&ĐT)",
    "Đơn vị quản lý (mã hoặc tên)",
    "Cấp học",
    "Địa chỉ",
    "Điện thoại",
    "Email",
    "Số học sinh",
    "Số giáo viên",
    "Năm học",
]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEPARTMENT = "Sở Giáo dục và Đào tạo Bến Tre"
OFFICE = "Phòng Văn hóa – Xã hội xã Tân Thạch"


def good_rows():
    return [
        HEADERS,
        [OFFICE, "Phòng", "", DEPARTMENT, "", "Xã Tân Thạch", "", "", "", "", ""],
        ["Trường Tiểu học Tân Thạch", "Trường", "83000301", OFFICE, "Tiểu học", "Ấp 2",
         "0275 3822 111", "thtanthach@example.edu.vn", 512, 24, "2025-2026"],
        ["Trường Tiểu học Nguyễn Du", "truong", "83000101", "", "Tiểu học, THCS",
         "12 Nguyễn Du", "", "", "", "", ""],
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def confirm_url(batch):
    return reverse("organisations:unit_import_confirm", args=[batch.pk])


def status_url(batch):
    return reverse("organisations:unit_import_status", kwargs={"batch_id": batch.pk})


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_file(client, content, name="don-vi.xlsx"):
    return client.post(IMPORT, {"file": upload(content, name)})


def scope_of(user):
    return Scope(membership=Membership.objects.get(user=user))


def test_form_page_links_the_template(world, client_for):
    response = client_for(world.dept_admin).get(IMPORT)
    assert response.status_code == 200
    assert TEMPLATE in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_template_downloads_with_guide_and_reimports_cleanly(world, client_for):
    client = client_for(world.dept_admin)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1] == "Hướng dẫn"
    # The governing body is the last column: files made from the earlier template still read.
    assert [cell.value for cell in workbook.worksheets[0][1]] == [*HEADERS, "Cơ quan chủ quản"]
    preview = post_file(client, response.content).context["preview"]
    assert preview.is_valid
    assert preview.counts["create"] == 2
    batch = ImportBatch.objects.get()
    client.post(confirm_url(batch))
    school = Unit.objects.get(name="Trường Tiểu học Mẫu")
    assert school.parent.name == "Phòng Văn hóa – Xã hội xã Mẫu"
    assert school.parent.parent == world.department
    assert school.has_primary and school.has_lower_secondary


def test_dry_run_shows_create_and_update_and_saves_nothing(world, client_for):
    before = list(Unit.objects.values_list("pk", "name", "address"))
    response = post_file(client_for(world.dept_admin), xlsx(good_rows()))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [(row.number, row.action) for row in preview.rows] == [
        (2, "create"),
        (3, "create"),
        (4, "update"),
    ]
    assert reverse("organisations:unit_import_confirm", args=[response.context["batch"].pk]) in (
        response.text
    )
    assert list(Unit.objects.values_list("pk", "name", "address")) == before
    batch = ImportBatch.objects.get()
    assert batch.kind == ImportKind.UNITS
    assert batch.created_by == world.dept_admin
    assert (batch.status, batch.applied_at) == (ImportStatus.PENDING, None)


def test_valid_file_applies_everything(world, client_for):
    client = english(client_for(world.dept_admin))
    post_file(client, xlsx(good_rows()))
    batch = ImportBatch.objects.get()
    response = client.post(confirm_url(batch))
    assert response.status_code == 302
    assert response.url == status_url(batch)
    page = client.get(response.url)
    assert "Import done: 2 units created, 1 updated." in page.text
    assert reverse("organisations:unit_list") in page.text
    assert "hx-trigger" not in page.text
    office = Unit.objects.get(name=OFFICE)
    assert (office.kind, office.parent, office.address) == (
        UnitKind.OFFICE,
        world.department,
        "Xã Tân Thạch",
    )
    school = Unit.objects.get(code="83000301")
    assert school.parent == office
    assert school.path.startswith(office.path)
    assert school.tiers == ["primary"]
    assert (school.phone, school.email) == ("0275 3822 111", "thtanthach@example.edu.vn")
    stats = SchoolYearStats.objects.get(school=school)
    assert (stats.year, stats.students, stats.teachers) == (2025, 512, 24)
    world.school.refresh_from_db()
    assert world.school.address == "12 Nguyễn Du"
    assert world.school.tiers == ["primary", "lower_secondary"]
    assert world.school.parent == world.office  # an update never moves the unit
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.applied_at is not None
    assert batch.finished_at == batch.applied_at
    assert batch.scope_membership_id == world.dept_admin.memberships.get().pk
    assert batch.summary == {"created": 2, "updated": 1}


def test_csv_without_diacritics_in_headers_and_values_is_understood(world, client_for):
    rows = [
        ["ten don vi", "loai", "ma don vi", "don vi quan ly", "cap hoc"],
        ["Trường THCS Mới", "truong", "", "phong van hoa – xa hoi phuong an hoi", "thcs"],
    ]
    client = client_for(world.dept_admin)
    response = post_file(client, csv_bytes(rows, delimiter=";"), name="don-vi.csv")
    assert response.context["preview"].is_valid
    client.post(confirm_url(ImportBatch.objects.get()))
    assert Unit.objects.get(name="Trường THCS Mới").parent == world.office


def test_two_bad_rows_are_both_reported_and_nothing_is_saved(world, client_for):
    rows = good_rows()
    rows.insert(2, ["Trường Sai Loại", "Bệnh viện", "", OFFICE, "Tiểu học"] + [""] * 6)
    rows.append(["Trường Thiếu Cấp", "Trường", "", OFFICE, "", "", "", "", -5, 10, ""])
    count = Unit.objects.count()
    response = post_file(english(client_for(world.dept_admin)), xlsx(rows))
    assert response.status_code == 422
    preview = response.context["preview"]
    bad = {row.number: [error.code for error in row.errors] for row in preview.bad_rows}
    assert bad == {3: ["kind_invalid"], 6: ["tier_required", "count_invalid"]}
    assert "Unknown kind “Bệnh viện”" in response.text
    assert "“-5” is not a whole number of 0 or more." in response.text
    assert 'data-code="tier_required"' in response.text
    assert "unit_import_confirm" not in response.text
    assert "/confirm/" not in response.text
    assert Unit.objects.count() == count
    assert not ImportBatch.objects.exists()


def test_in_file_mistakes_are_reported_by_row(world, client_for):
    rows = [
        HEADERS,
        ["Trường A", "Trường", "83000501", "Phòng Sau", "Tiểu học"] + [""] * 6,
        ["Phòng Sau", "Phòng", "", DEPARTMENT] + [""] * 7,
        ["Trường B", "Trường", "83000501", "Phòng Sau", "Tiểu học"] + [""] * 6,
        ["Phòng Lỗi", "Phòng", "", "Không có"] + [""] * 7,
        ["Trường C", "Trường", "", "Phòng Lỗi", "Tiểu học"] + [""] * 6,
        ["Trường D", "Trường", "", "", "Tiểu học", "", "", "không-phải-email"] + [""] * 3,
        ["Trường E", "Trường", "", world.school.name, "Tiểu học"] + [""] * 6,
        ["Phòng F", "Phòng", "", DEPARTMENT, "THPT", "", "", "", "", "", ""],
    ]
    preview = post_file(client_for(world.dept_admin), xlsx(rows)).context["preview"]
    bad = {row.number: [error.code for error in row.errors] for row in preview.bad_rows}
    assert bad == {
        2: ["parent_later"],
        4: ["code_repeated"],
        5: ["parent_not_found"],
        6: ["parent_row_invalid"],
        7: ["email_invalid", "parent_required"],
        8: ["parent_kind"],
        9: ["tier_not_school"],
    }


def test_codes_of_other_units_and_kind_changes_are_refused(world):
    rows = [
        HEADERS,
        ["Trường Trùng Mã", "Trường", "83000999", world.office.name, "THCS"] + [""] * 6,
        ["Nguyễn Du", "Phòng", "83000101", "", ""] + [""] * 6,
        ["Nguyễn Du", "Trường", "83000101", world.department.name, ""] + [""] * 6,
    ]
    batch = ImportBatch(kind=ImportKind.UNITS, created_by=world.office_officer, content=xlsx(rows))
    preview = preview_unit_import(batch, scope_of(world.office_officer))
    bad = {row.number: [error.code for error in row.errors] for row in preview.bad_rows}
    # The outsider's school holds 83000999; an office officer does not see the department.
    assert bad == {
        2: ["code_taken"],
        3: ["kind_mismatch"],
        4: ["code_repeated", "parent_not_found"],
    }


def test_parent_outside_the_scope_is_refused(world):
    rows = [HEADERS, ["Trường Mới", "Trường", "", world.office_b.name, "THCS"] + [""] * 6]
    batch = ImportBatch(kind=ImportKind.UNITS, created_by=world.office_officer, content=xlsx(rows))
    preview = preview_unit_import(batch, scope_of(world.office_officer))
    assert [error.code for error in preview.rows[0].errors] == ["parent_not_found"]


def test_parent_in_another_department_is_refused(world, client_for):
    other = services.create_unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT Vĩnh Long", parent=None)
    rows = [HEADERS, ["Phòng Khác", "Phòng", "", other.name] + [""] * 7]
    response = post_file(client_for(world.dept_admin), xlsx(rows))
    assert response.status_code == 422
    assert [e.code for e in response.context["preview"].rows[0].errors] == ["parent_not_found"]


def test_moving_through_the_import_is_refused(world, client_for):
    rows = [HEADERS, [world.school.name, "Trường", world.school.code, world.department.name]]
    response = post_file(client_for(world.dept_admin), xlsx(rows))
    assert [e.code for e in response.context["preview"].rows[0].errors] == ["move_not_supported"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PNG, "don-vi.xlsx"),
        (b"", "don-vi.xlsx"),
        (b"PK\x03\x04 not really a zip", "don-vi.xlsx"),
        (xlsx([["Tên", "Ghi chú"], ["Trường A", "x"]]), "don-vi.xlsx"),
        (csv_bytes([HEADERS]), "don-vi.csv"),
    ],
    ids=["png", "empty", "broken-zip", "missing-columns", "no-rows"],
)
def test_unreadable_files_are_refused_with_a_message(world, client_for, content, name):
    response = post_file(english(client_for(world.dept_admin)), content, name)
    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    assert 'role="alert"' in response.text
    assert not ImportBatch.objects.exists()


def test_png_renamed_xlsx_gets_a_clear_message(world, client_for):
    response = post_file(english(client_for(world.dept_admin)), PNG)
    assert "neither an Excel workbook (.xlsx) nor a CSV file" in response.text


def test_oversized_file_is_refused(world, client_for, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = post_file(english(client_for(world.dept_admin)), xlsx(good_rows()))
    assert response.status_code == 422
    assert "The file is too large" in response.text
    assert not ImportBatch.objects.exists()


def test_second_confirm_changes_nothing(world, client_for):
    client = client_for(world.dept_admin)
    post_file(client, xlsx(good_rows()))
    batch = ImportBatch.objects.get()
    client.post(confirm_url(batch))
    count = Unit.objects.count()
    response = english(client).post(confirm_url(batch))
    assert response.status_code == 302
    assert response.url == status_url(batch)
    assert Unit.objects.count() == count
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "This import was already applied; nothing more was changed."
    )


def test_stale_preview_is_rechecked_and_nothing_is_saved(world, client_for):
    client = english(client_for(world.dept_admin))
    post_file(client, xlsx(good_rows()))
    services.create_unit(
        kind=UnitKind.SCHOOL, name="Trường Nhanh Tay", parent=world.office_b, code="83000301",
        has_primary=True,
    )  # fmt: skip
    count = Unit.objects.count()
    batch = ImportBatch.objects.get()
    response = client.post(confirm_url(batch))
    assert response.url == status_url(batch)
    assert Unit.objects.count() == count
    assert not Unit.objects.filter(name=OFFICE).exists()
    batch.refresh_from_db()
    assert (batch.status, batch.applied_at) == (ImportStatus.FAILED, None)
    assert batch.finished_at is not None
    assert batch.error.startswith("The file no longer passes the checks")
    page = client.get(status_url(batch))
    assert "The file no longer passes the checks" in page.text
    assert IMPORT in page.text  # upload it again
    assert "hx-trigger" not in page.text


def test_confirming_a_failed_import_again_changes_nothing(world, client_for):
    client = english(client_for(world.dept_admin))
    post_file(client, xlsx(good_rows()))
    batch = ImportBatch.objects.get()
    batch.status, batch.error = ImportStatus.FAILED, "Earlier failure."
    batch.save()
    response = client.post(confirm_url(batch))
    assert response.url == status_url(batch)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This import failed; nothing more was changed. Upload the file again."
    ]
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (ImportStatus.FAILED, "Earlier failure.")
    assert not Unit.objects.filter(name=OFFICE).exists()


def running_batch(user, content):
    """A batch as the worker holds it once claimed: the only state the service applies."""
    return ImportBatch.objects.create(
        kind=ImportKind.UNITS, created_by=user, content=content, status=ImportStatus.RUNNING
    )


def test_service_applies_only_a_batch_claimed_by_the_worker(world):
    for status in (ImportStatus.PENDING, ImportStatus.QUEUED):
        batch = ImportBatch.objects.create(
            kind=ImportKind.UNITS, created_by=world.dept_admin, content=xlsx(good_rows()),
            status=status,
        )  # fmt: skip
        with pytest.raises(BatchError):
            apply_unit_import(batch, scope_of(world.dept_admin), by=world.dept_admin)
    batch = running_batch(world.dept_admin, xlsx(good_rows()))
    apply_unit_import(batch, scope_of(world.dept_admin), by=world.dept_admin)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    count = Unit.objects.count()
    with pytest.raises(BatchError):
        apply_unit_import(batch, scope_of(world.dept_admin), by=world.dept_admin)
    assert Unit.objects.count() == count


def test_service_rolls_back_every_row_when_one_fails(world, monkeypatch):
    batch = running_batch(world.dept_admin, xlsx(good_rows()))
    original = services.set_year_stats

    def failing(*args, **kwargs):
        original(*args, **kwargs)
        raise OrganisationError("boom")

    monkeypatch.setattr(services, "set_year_stats", failing)
    count = Unit.objects.count()
    with pytest.raises(OrganisationError, match="boom"):
        apply_unit_import(batch, scope_of(world.dept_admin), by=world.dept_admin)
    assert Unit.objects.count() == count
    batch.refresh_from_db()
    assert (batch.status, batch.applied_at) == (ImportStatus.RUNNING, None)


def test_service_applies_only_the_uploaders_batch(world):
    batch = running_batch(world.office_officer, xlsx(good_rows()))
    count = Unit.objects.count()
    with pytest.raises(BatchError):
        apply_unit_import(batch, scope_of(world.dept_admin), by=world.dept_admin)
    assert Unit.objects.count() == count


def test_another_persons_batch_is_404(world, client_for):
    client_for(world.dept_admin).post(IMPORT, {"file": upload(xlsx(good_rows()))})
    colleague = make_user("so_admin_2", "Trần Văn Hai")
    services.add_membership(colleague, world.department, Role.DEPARTMENT_ADMIN)
    count = Unit.objects.count()
    batch = ImportBatch.objects.get()
    assert client_for(colleague).post(confirm_url(batch)).status_code == 404
    assert client_for(colleague).get(status_url(batch)).status_code == 404
    assert Unit.objects.count() == count
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING


def test_staff_batch_cannot_be_confirmed_as_units(world, client_for):
    batch = ImportBatch.objects.create(
        kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(good_rows())
    )
    assert client_for(world.dept_admin).post(confirm_url(batch)).status_code == 404
    assert client_for(world.dept_admin).get(status_url(batch)).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING


def test_preview_refuses_a_batch_of_another_kind(world):
    batch = ImportBatch(kind=ImportKind.STAFF, created_by=world.dept_admin, content=b"")
    with pytest.raises(OrganisationError):
        preview_unit_import(batch, scope_of(world.dept_admin))


def test_unreadable_content_raises_spreadsheet_error(world):
    batch = ImportBatch(kind=ImportKind.UNITS, created_by=world.dept_admin, content=PNG)
    with pytest.raises(SpreadsheetError):
        preview_unit_import(batch, scope_of(world.dept_admin))


@pytest.mark.parametrize("name", ["office_officer", "principal", "librarian", "outsider"])
def test_roles_without_manage_units_get_403(world, client_for, name):
    client = client_for(getattr(world, name))
    batch = ImportBatch.objects.create(
        kind=ImportKind.UNITS, created_by=getattr(world, name), content=xlsx(good_rows())
    )
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert client.post(IMPORT, {"file": upload(xlsx(good_rows()))}).status_code == 403
    assert client.post(confirm_url(batch)).status_code == 403
    assert client.get(status_url(batch)).status_code == 403
    assert ImportBatch.objects.get().status == ImportStatus.PENDING


def test_anonymous_is_sent_to_login(world, client):
    batch = ImportBatch.objects.create(
        kind=ImportKind.UNITS, created_by=world.dept_admin, content=xlsx(good_rows())
    )
    responses = (
        client.get(IMPORT),
        client.get(TEMPLATE),
        client.post(confirm_url(batch)),
        client.get(status_url(batch)),
    )
    for response in responses:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_wrong_methods_get_405(world, client_for):
    client = client_for(world.dept_admin)
    batch = ImportBatch.objects.create(
        kind=ImportKind.UNITS, created_by=world.dept_admin, content=xlsx(good_rows())
    )
    assert client.get(confirm_url(batch)).status_code == 405
    assert client.post(status_url(batch)).status_code == 405
    assert client.post(TEMPLATE).status_code == 405
    assert client.delete(IMPORT).status_code == 405
    assert ImportBatch.objects.get().status == ImportStatus.PENDING


def test_bad_rows_are_explained_in_vietnamese_by_default(world, client_for):
    rows = good_rows()
    rows[2][1] = "Thư viện"  # not a kind of unit
    rows[3][8], rows[3][9] = "nhiều", 20  # not a number of students
    response = post_file(client_for(world.dept_admin), xlsx(rows))
    assert response.status_code == 422
    text = response.text
    assert "Loại “Thư viện” không hợp lệ: hãy ghi Trường, Phòng, Sở hoặc Đối tác." in text
    assert "“nhiều” không phải là số nguyên từ 0 trở lên." in text
    assert "Dòng" in text
    assert ImportBatch.objects.count() == 0


def test_wrong_file_type_is_explained_in_vietnamese(world, client_for):
    response = post_file(client_for(world.dept_admin), PNG, name="don-vi.xlsx")
    assert response.status_code == 422
    assert "không phải là sổ tính Excel (.xlsx) hay tệp CSV" in response.text


def test_the_governing_body_column_fills_the_units_field(world, client_for):
    rows = [
        [*HEADERS, "Cơ quan chủ quản"],
        [OFFICE, "Phòng", "", DEPARTMENT, "", "", "", "", "", "", "", "UBND xã Tân Thạch"],
    ]
    client = client_for(world.dept_admin)
    preview = post_file(client, xlsx(rows)).context["preview"]
    assert preview.is_valid, preview.rows
    batch = ImportBatch.objects.get()
    client.post(confirm_url(batch))
    assert Unit.objects.get(name=OFFICE).governing_body == "UBND xã Tân Thạch"
