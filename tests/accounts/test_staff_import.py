"""Import of staff: accounts created or matched, roles given, invitations sent, all or nothing.

The tasks run at once here (ImmediateBackend), except in the tests marked as running the
database queue and its worker, as in production."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tests.core.spreadsheet_files import PNG, csv_bytes, upload, xlsx
from tests.core.worker import DATABASE_TASKS, run_worker
from thuvien.access import Scope
from thuvien.accounts.importing import apply_staff_import, preview_staff_import
from thuvien.accounts.models import Qualification, User
from thuvien.accounts.tasks import send_invitations
from thuvien.core.import_batches import BatchError
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus
from thuvien.core.testing import make_user
from thuvien.organisations import services
from thuvien.organisations.models import Membership, ReaderCategory, Role, UnitKind

IMPORT = reverse("accounts:staff_import")
TEMPLATE = reverse("accounts:staff_import_template")
HEADERS = [
    "Họ và tên",
    "Tên đăng nhập",
    "Email",
    "Điện thoại",
    "Mã đơn vị",
    "Vai trò",
    "Loại bạn đọc",
    "Trình độ thư viện",
    "Từ ngày",
]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def good_rows(world):
    return [
        HEADERS,
        ["Lê Thị Lan", "", "lan.le@example.edu.vn", "0912 000 111", "83000101",
         "Nhân viên thư viện", "", "Trung cấp", dt.datetime(2025, 9, 5)],
        ["Lê Thị Lan", "", "LAN.LE@example.edu.vn", "", "83000102", "Giáo viên kiêm nhiệm",
         "", "", "05/09/2025"],
        ["Phạm Văn Bình", "", "", "", world.office.name, "can bo phong", "", "", ""],
        ["Đặng Thị Thư", "", "thuvien@example.edu.vn", "", "83000102", "teacher_librarian",
         "", "", ""],
        ["Hồ Văn Mới", "hovanmoi", "", "", "83000201", "Hiệu trưởng", "", "đại học",
         "1/10/2025"],
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def confirm_url(batch):
    return reverse("accounts:staff_import_confirm", args=[batch.pk])


def status_url(batch):
    return reverse("accounts:staff_import_status", kwargs={"batch_id": batch.pk})


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_file(client, content, name="nhan-su.xlsx"):
    return client.post(IMPORT, {"file": upload(content, name)})


def scope_of(user):
    return Scope(membership=Membership.objects.get(user=user))


def codes(preview):
    return {row.number: [error.code for error in row.errors] for row in preview.bad_rows}


def test_template_downloads_and_reimports_cleanly(world, client_for):
    client = client_for(world.dept_admin)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Nhân sự", "Hướng dẫn"]
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS
    preview = post_file(client, response.content).context["preview"]
    assert preview.is_valid
    client.post(confirm_url(ImportBatch.objects.get()))
    person = User.objects.get(full_name="Nguyễn Thị Mẫu")
    assert person.memberships.get().unit == world.school
    assert person.memberships.get().role == Role.LIBRARIAN
    assert person.qualification == Qualification.INTERMEDIATE
    reader = User.objects.get(full_name="Trần Văn Đọc").memberships.get()
    assert (reader.unit, reader.role) == (world.school, Role.READER)
    assert reader.reader_category == ReaderCategory.STUDENT
    guide = {row[0].value: row[2].value for row in workbook["Hướng dẫn"].iter_rows(min_row=2)}
    assert "Học sinh hoặc Giáo viên" in guide["Loại bạn đọc"]  # the guide is in Vietnamese


def test_dry_run_shows_new_and_existing_accounts_and_saves_nothing(world, client_for):
    users, memberships = User.objects.count(), Membership.objects.count()
    response = post_file(client_for(world.dept_admin), xlsx(good_rows(world)))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [(row.number, row.action) for row in preview.rows] == [
        (2, "new_account"),
        (3, "new_account"),
        (4, "new_account"),
        (5, "add_role"),
        (6, "new_account"),
    ]
    assert [row.cells[1] for row in preview.rows] == [
        "lan.le",
        "lan.le",
        "phamvanbinh",
        "thuvien",
        "hovanmoi",
    ]
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert ImportBatch.objects.get().kind == ImportKind.STAFF


def test_valid_file_creates_accounts_and_roles(world, client_for):
    client = english(client_for(world.dept_admin))
    users = User.objects.count()
    post_file(client, xlsx(good_rows(world)))
    batch = ImportBatch.objects.get()
    response = client.post(confirm_url(batch))
    assert response.url == status_url(batch)
    page = client.get(response.url)
    assert "Import done: 3 accounts created, 5 roles given." in page.text
    assert reverse("organisations:staff_list") in page.text
    assert "hx-trigger" not in page.text
    assert User.objects.count() == users + 3
    lan = User.objects.get(email="lan.le@example.edu.vn")
    assert (lan.username, lan.full_name, lan.phone) == ("lan.le", "Lê Thị Lan", "0912 000 111")
    assert lan.qualification == Qualification.INTERMEDIATE
    assert not lan.has_usable_password()
    assert sorted(lan.memberships.values_list("unit__code", "role", "valid_from")) == [
        ("83000101", Role.LIBRARIAN, dt.date(2025, 9, 5)),
        ("83000102", Role.TEACHER_LIBRARIAN, dt.date(2025, 9, 5)),
    ]
    binh = User.objects.get(username="phamvanbinh")
    assert binh.memberships.get().unit == world.office
    assert binh.qualification == Qualification.NONE
    new_principal = User.objects.get(username="hovanmoi")
    assert new_principal.memberships.get().unit == world.thpt
    assert new_principal.qualification == Qualification.UNIVERSITY
    assert world.librarian.memberships.filter(role=Role.TEACHER_LIBRARIAN).exists()
    world.librarian.refresh_from_db()
    assert world.librarian.has_usable_password()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.summary == {"users_created": 3, "memberships": 5}


def test_new_accounts_with_an_email_are_invited(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://thuvien.example.vn"
    client = client_for(world.dept_admin)
    post_file(client, xlsx(good_rows(world)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url(ImportBatch.objects.get()))
    # Only Lan is new and has an e-mail; the librarian already had an account.
    assert [message.to for message in mail.outbox] == [["lan.le@example.edu.vn"]]
    body = mail.outbox[0].body
    assert "lan.le" in body
    link = next(line for line in body.splitlines() if "/reset/" in line)
    assert link.startswith("https://thuvien.example.vn/accounts/reset/")
    response = client_for(world.dept_admin).get(link.removeprefix("https://thuvien.example.vn"))
    assert response.status_code == 302
    assert response.url.endswith("/set-password/")


def test_invitations_are_not_enqueued_when_the_import_fails(
    world, client_for, django_capture_on_commit_callbacks
):
    rows = good_rows(world)
    client = client_for(world.dept_admin)
    post_file(client, xlsx(rows))
    services.add_membership(world.librarian, world.school_a2, Role.TEACHER_LIBRARIAN)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(confirm_url(ImportBatch.objects.get()))
    assert callbacks == []
    assert mail.outbox == []
    assert not User.objects.filter(email="lan.le@example.edu.vn").exists()
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def test_invitation_task_skips_accounts_that_chose_a_password(world):
    fresh = User.objects.create_user(username="moi", email="moi@example.edu.vn", password=None)
    no_mail = User.objects.create_user(username="khongmail", email="", password=None)
    result = send_invitations.enqueue([fresh.pk, no_mail.pk, world.librarian.pk])
    assert result.return_value == 1
    assert [message.to for message in mail.outbox] == [["moi@example.edu.vn"]]


def test_bad_rows_are_reported_by_row_and_nothing_is_saved(world, client_for):
    rows = good_rows(world)
    rows += [
        ["Sai Vai Trò", "", "", "", world.office.name, "Hiệu trưởng", "", "", ""],
        ["Không Đơn Vị", "", "", "", "99999999", "Bạn đọc", "Học sinh", "", ""],
        ["Ngày Sai", "", "", "", "83000101", "Bạn đọc", "hoc sinh", "thạc sĩ", "32/13/2025"],
        [
            "Hai Người",
            "hieutruong",
            "so_canbo@example.edu.vn",
            "",
            "83000101",
            "Bạn đọc",
            "Giáo viên",
            "",
            "",
        ],
        ["Đã Có Vai", "", "thuvien@example.edu.vn", "", "83000101", "Thủ thư", "", "", ""],
        ["", "ten sai!", "không-phải-email", "", "83000101", "Bác sĩ", "", "", ""],
    ]
    users, memberships = User.objects.count(), Membership.objects.count()
    response = post_file(english(client_for(world.dept_admin)), xlsx(rows))
    assert response.status_code == 422
    assert codes(response.context["preview"]) == {
        7: ["role_unit_kind"],
        8: ["unit_not_found"],
        9: ["qualification_invalid", "date_invalid"],
        10: ["accounts_differ"],
        11: ["role_held"],
        12: ["full_name_required", "email_invalid", "role_invalid", "username_invalid"],
    }
    assert "is held in a unit of kind “School”" in response.text
    assert "/confirm/" not in response.text
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not ImportBatch.objects.exists()


def test_units_outside_the_scope_are_not_found(world):
    rows = [HEADERS, ["Người Ngoài", "", "", "", "83000999", "Bạn đọc", "Học sinh", "", ""]]
    batch = ImportBatch(kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(rows))
    office_scope = scope_of(world.office_officer)
    assert codes(preview_staff_import(batch, office_scope)) == {2: ["unit_not_found"]}
    assert preview_staff_import(batch, scope_of(world.dept_admin)).is_valid


def test_people_repeated_in_the_file_must_agree(world):
    rows = [
        HEADERS,
        ["An", "an1", "an@example.edu.vn", "", "83000101", "Bạn đọc", "Học sinh", "", ""],
        ["An", "an2", "an@example.edu.vn", "", "83000102", "Bạn đọc", "Học sinh", "", ""],
        ["Bình", "an1", "binh@example.edu.vn", "", "83000201", "Bạn đọc", "Học sinh", "", ""],
        ["An", "", "an@example.edu.vn", "", "83000101", "Bạn đọc", "Học sinh", "", ""],
    ]
    batch = ImportBatch(kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(rows))
    assert codes(preview_staff_import(batch, scope_of(world.dept_admin))) == {
        3: ["username_mismatch"],
        4: ["username_repeated"],
        5: ["role_held"],
    }


def test_derived_usernames_do_not_clash(world, client_for):
    make_user("tranvanan", "Trần Văn An (cũ)")
    rows = [
        HEADERS,
        ["Trần Văn An", "", "", "", "83000101", "Bạn đọc", "Học sinh", "", ""],
        ["Trần Văn An", "", "", "", "83000102", "Bạn đọc", "Giáo viên", "", ""],
    ]
    client = client_for(world.dept_admin)
    preview = post_file(client, csv_bytes(rows), "nhan-su.csv").context["preview"]
    assert [row.cells[1] for row in preview.rows] == ["tranvanan2", "tranvanan3"]
    client.post(confirm_url(ImportBatch.objects.get()))
    assert sorted(
        Membership.objects.filter(user__full_name="Trần Văn An").values_list(
            "unit__code", "reader_category"
        )
    ) == [("83000101", ReaderCategory.STUDENT), ("83000102", ReaderCategory.TEACHER)]


def test_wrong_file_type_is_refused(world, client_for):
    response = post_file(english(client_for(world.dept_admin)), PNG)
    assert response.status_code == 422
    assert "neither an Excel workbook (.xlsx) nor a CSV file" in response.text
    assert not ImportBatch.objects.exists()


def test_missing_columns_are_named(world, client_for):
    content = csv_bytes([["Họ và tên", "Email"], ["An", "an@example.edu.vn"]])
    response = post_file(english(client_for(world.dept_admin)), content, "nhan-su.csv")
    assert response.status_code == 422
    assert "Missing columns: “Mã đơn vị”, “Vai trò”." in response.text


def test_oversized_file_is_refused(world, client_for, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = post_file(english(client_for(world.dept_admin)), xlsx(good_rows(world)))
    assert response.status_code == 422
    assert "The file is too large" in response.text


def test_second_confirm_changes_nothing(world, client_for):
    client = english(client_for(world.dept_admin))
    post_file(client, xlsx(good_rows(world)))
    batch = ImportBatch.objects.get()
    client.post(confirm_url(batch))
    users, memberships = User.objects.count(), Membership.objects.count()
    response = client.post(confirm_url(batch))
    assert response.url == status_url(batch)
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "This import was already applied; nothing more was changed."
    )
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_service_refuses_an_applied_batch(world):
    batch = ImportBatch.objects.create(
        kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(good_rows(world)),
        status=ImportStatus.RUNNING,
    )  # fmt: skip
    apply_staff_import(batch, scope_of(world.dept_admin), by=world.dept_admin)
    with pytest.raises(BatchError):
        apply_staff_import(batch, scope_of(world.dept_admin), by=world.dept_admin)


def test_another_persons_batch_is_404(world, client_for):
    client_for(world.dept_admin).post(IMPORT, {"file": upload(xlsx(good_rows(world)))})
    colleague = make_user("so_admin_2", "Trần Văn Hai")
    services.add_membership(colleague, world.department, Role.DEPARTMENT_ADMIN)
    users = User.objects.count()
    batch = ImportBatch.objects.get()
    assert client_for(colleague).post(confirm_url(batch)).status_code == 404
    assert client_for(colleague).get(status_url(batch)).status_code == 404
    assert User.objects.count() == users
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING


def test_unit_batch_cannot_be_confirmed_as_staff(world, client_for):
    batch = ImportBatch.objects.create(
        kind=ImportKind.UNITS, created_by=world.dept_admin, content=xlsx(good_rows(world))
    )
    assert client_for(world.dept_admin).post(confirm_url(batch)).status_code == 404
    assert client_for(world.dept_admin).get(status_url(batch)).status_code == 404


@pytest.mark.parametrize("name", ["dept_officer", "office_officer", "principal", "outsider"])
def test_roles_without_manage_staff_get_403(world, client_for, name):
    user = getattr(world, name)
    client = client_for(user)
    batch = ImportBatch.objects.create(
        kind=ImportKind.STAFF, created_by=user, content=xlsx(good_rows(world))
    )
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert client.post(IMPORT, {"file": upload(xlsx(good_rows(world)))}).status_code == 403
    assert client.post(confirm_url(batch)).status_code == 403
    assert client.get(status_url(batch)).status_code == 403
    assert ImportBatch.objects.get().status == ImportStatus.PENDING


def test_anonymous_is_sent_to_login(world, client):
    batch = ImportBatch.objects.create(
        kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(good_rows(world))
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
        kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(good_rows(world))
    )
    assert client.get(confirm_url(batch)).status_code == 405
    assert client.post(status_url(batch)).status_code == 405
    assert client.post(TEMPLATE).status_code == 405
    assert client.put(IMPORT).status_code == 405
    assert ImportBatch.objects.get().status == ImportStatus.PENDING


def test_role_must_suit_the_unit_kind_even_for_partners(world):
    rows = [
        HEADERS,
        ["Giảng Viên", "", "", "", world.partner.name, "Giảng viên", "", "", ""],
        ["Thủ Thư", "", "", "", world.partner.name, "Nhân viên thư viện", "", "", ""],
    ]
    assert world.partner.kind == UnitKind.PARTNER
    batch = ImportBatch(kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(rows))
    assert codes(preview_staff_import(batch, scope_of(world.dept_admin))) == {3: ["role_unit_kind"]}


def test_reader_category_is_required_for_readers_and_refused_for_others(world):
    rows = [
        HEADERS,
        ["Học Sinh", "", "", "", "83000101", "Bạn đọc", "HỌC SINH", "", ""],
        ["Cô Giáo", "", "", "", "83000101", "reader", "teacher", "", ""],
        ["Không Loại", "", "", "", "83000101", "Bạn đọc", "", "", ""],
        ["Loại Lạ", "", "", "", "83000101", "Bạn đọc", "phụ huynh", "", ""],
        ["Thủ Thư", "", "", "", "83000101", "Nhân viên thư viện", "Giáo viên", "", ""],
        ["Vai Lạ", "", "", "", "83000101", "Bác sĩ", "Học sinh", "", ""],
    ]
    batch = ImportBatch(kind=ImportKind.STAFF, created_by=world.dept_admin, content=xlsx(rows))
    preview = preview_staff_import(batch, scope_of(world.dept_admin))
    assert codes(preview) == {
        4: ["reader_category_required"],
        5: ["reader_category_invalid"],
        6: ["reader_category_not_reader"],
        7: ["role_invalid"],
    }
    assert [row.data["reader_category"] for row in preview.rows[:2]] == [
        ReaderCategory.STUDENT,
        ReaderCategory.TEACHER,
    ]


def test_reader_category_errors_are_explained(world, client_for):
    rows = [HEADERS, ["Không Loại", "", "", "", "83000101", "Bạn đọc", "", "", ""]]
    response = post_file(english(client_for(world.dept_admin)), xlsx(rows))
    assert response.status_code == 422
    assert "A reader needs a reader category (Loại bạn đọc)" in response.text


def test_old_files_without_the_reader_category_column_still_import_staff(world, client_for):
    headers = [header for header in HEADERS if header != "Loại bạn đọc"]
    rows = [headers, ["Thủ Thư Mới", "", "", "", "83000101", "Nhân viên thư viện", "", ""]]
    client = client_for(world.dept_admin)
    assert post_file(client, xlsx(rows)).context["preview"].is_valid
    client.post(confirm_url(ImportBatch.objects.get()))
    membership = User.objects.get(full_name="Thủ Thư Mới").memberships.get()
    assert (membership.role, membership.reader_category) == (Role.LIBRARIAN, "")


def test_database_queue_applies_on_the_worker_and_then_invites(
    world, client_for, settings, transactional_db
):
    """As in production: confirm only queues; the worker applies the file, then sends the
    invitation it queued once the import was committed."""
    settings.TASKS = DATABASE_TASKS
    mail.outbox.clear()  # the world's campaign e-mailed its enrolled people while it was built
    client = english(client_for(world.dept_admin))
    users = User.objects.count()
    post_file(client, xlsx(good_rows(world)))
    batch = ImportBatch.objects.get()
    assert client.post(confirm_url(batch)).url == status_url(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    assert User.objects.count() == users
    page = client.get(status_url(batch), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in page.text
    assert "<html" not in page.text
    unchanged = client.get(status_url(batch), {"since": "queued"}, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.summary) == (
        ImportStatus.DONE,
        {"users_created": 3, "memberships": 5},
    )
    assert User.objects.count() == users + 3
    assert [message.to for message in mail.outbox] == [["lan.le@example.edu.vn"]]
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("thuvien.accounts.tasks.apply_staff_batch", "SUCCESSFUL"),
        ("thuvien.accounts.tasks.send_invitations", "SUCCESSFUL"),
    ]
    page = client.get(status_url(batch))
    assert "Import done: 3 accounts created, 5 roles given." in page.text
