"""Formula injection, end to end: text people typed (a name, a comment, a unit's name, a topic)
reaches every workbook the platform writes as text, never as a live formula.

Each workbook is downloaded as its reader downloads it and opened again with openpyxl keeping the
formulas (`data_only=False`, what a spreadsheet program sees): no cell of it may be a formula
(the platform writes none of its own), and the user's text must be there as a string, exactly."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.core.spreadsheet_files import upload
from tests.training.conftest import PUBLISHED_ON, make_campaign
from thuvien.access import Scope
from thuvien.accounts.importing import staff_template
from thuvien.accounts.models import User
from thuvien.core.models import ImportBatch
from thuvien.core.testing import make_user
from thuvien.events.models import Event, EventSession, Registration
from thuvien.organisations import importing as unit_importing
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Membership, Role, Unit
from thuvien.training import report_documents, services
from thuvien.training.figures import unit_figures

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]
# The staff import keeps a name as typed, without its surrounding blanks.
IMPORTABLE = [payload for payload in PAYLOADS if payload == payload.strip()]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STAFF_HEADERS = [
    "Họ và tên", "Tên đăng nhập", "Email", "Điện thoại", "Mã đơn vị", "Vai trò", "Từ ngày",
]  # fmt: skip
SINCE = dt.date(2025, 9, 1)  # appointed before the campaign is published


def formulas(content: bytes) -> list[tuple[str, str, Any]]:
    """Every formula cell of a workbook, as a spreadsheet program would read it."""
    book = load_workbook(io.BytesIO(content), data_only=False)
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def text_cells(content: bytes) -> dict[str, list[tuple[str, str]]]:
    """Each string found in the workbook → where it is (sheet, cell), for its text cells only."""
    book = load_workbook(io.BytesIO(content), data_only=False)
    found: dict[str, list[tuple[str, str]]] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str):
                    found.setdefault(cell.value, []).append((sheet.title, cell.coordinate))
    return found


def assert_text(content: bytes, *expected: str) -> None:
    assert formulas(content) == []
    strings = text_cells(content)
    missing = [value for value in expected if value not in strings]
    assert missing == [], f"not stored as text: {missing!r}"


def staff_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([STAFF_HEADERS, *rows])
    return out.getvalue().encode("utf-8-sig")


# --- (a) staff imported with a formula for a name → the campaign's progress workbook ----------


def test_an_imported_name_is_text_in_the_progress_workbook(world, client_for, settings):
    settings.TASKS = IMMEDIATE
    admin = client_for(world.dept_admin)
    school, role, since = world.school.code, "Nhân viên thư viện", f"{SINCE:%d/%m/%Y}"
    rows = [[name, "", "", "", school, role, since] for name in IMPORTABLE]
    preview = admin.post(
        reverse("accounts:staff_import"), {"file": upload(staff_csv(rows), "nhan-su.csv")}
    ).context["preview"]
    assert preview.is_valid, [(row.number, row.errors) for row in preview.bad_rows]
    batch = ImportBatch.objects.get()
    admin.post(reverse("accounts:staff_import_confirm", args=[batch.pk]))
    assert User.objects.filter(full_name__in=IMPORTABLE).count() == len(IMPORTABLE)
    # The names the import trims are given to people created directly.
    for number, name in enumerate(set(PAYLOADS) - set(IMPORTABLE)):
        person = make_user(f"blank{number}", name)
        organisations.add_membership(person, world.school, Role.LIBRARIAN, valid_from=SINCE)
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)

    url = reverse("training:progress_unit_xlsx", args=[campaign.pk, world.school.pk])
    response = client_for(world.dept_officer).get(url)
    assert response.status_code == 200
    assert_text(response.content, *PAYLOADS)
    book = load_workbook(io.BytesIO(response.content), data_only=False)
    names = {cell.value: cell for (cell,) in book.worksheets[0].iter_rows(min_row=4, max_col=1)}
    for payload in PAYLOADS:
        assert names[payload].data_type == "s"
    # Counts stay numbers: the person's "expected" figure is the number 1.
    assert book.worksheets[0].cell(names[PAYLOADS[0]].row, 2).value == 1


def test_a_unit_named_with_a_formula_is_text_in_the_department_workbook(world, client_for):
    Unit.objects.filter(pk=world.school.pk).update(name=PAYLOADS[1])
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    response = client_for(world.dept_admin).get(
        reverse("training:progress_unit_xlsx", args=[campaign.pk, world.office.pk])
    )
    assert response.status_code == 200
    assert_text(response.content, PAYLOADS[1])


# --- (b) a feedback comment with a formula → the event report workbook --------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_feedback_comment_is_text_in_the_event_report(world, client_for, payload):
    event = Event.objects.get(organiser=world.partner)
    registration = Registration.objects.get(event=event, user=world.librarian)
    session = EventSession.objects.filter(checkins__registration=registration).first()
    assert session is not None
    answer = {f"session_{session.pk}": "5", "comments": payload, "change_plan": payload}
    response = client_for(world.librarian).post(reverse("events:feedback", args=[event.pk]), answer)
    assert response.status_code == 302
    registration.feedback.refresh_from_db()
    assert registration.feedback.comments == payload.strip()

    report = client_for(world.trainer).get(reverse("events:report_xlsx", args=[event.pk]))
    assert report.status_code == 200
    assert_text(report.content, payload.strip())
    comments = load_workbook(io.BytesIO(report.content), data_only=False)["Ý kiến"]
    row = next(r for r in comments.iter_rows(min_row=3) if r[1].value == world.librarian.full_name)
    assert (row[3].data_type, row[3].value) == ("s", payload.strip())
    assert (row[4].data_type, row[4].value) == ("s", payload.strip())


# --- (c) the other workbooks: the office's report, the import templates -------------------------


def test_names_and_topics_are_text_in_the_office_report_workbook(world):
    Unit.objects.filter(pk=world.school.pk).update(name=PAYLOADS[0])
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    content = report_documents.workbook(unit_figures(campaign, world.office))
    assert_text(content, PAYLOADS[0])


def test_the_scope_unit_is_text_in_the_import_templates(world):
    Unit.objects.filter(pk=world.school.pk).update(name=PAYLOADS[7], code="")
    Unit.objects.filter(pk=world.department.pk).update(name=PAYLOADS[4], code="")
    principal = Scope(membership=Membership.objects.get(user=world.principal))
    assert_text(staff_template(principal), PAYLOADS[7])
    admin = Scope(membership=Membership.objects.get(user=world.dept_admin))
    assert_text(unit_importing.unit_template(admin), PAYLOADS[4])
