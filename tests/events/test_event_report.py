"""The event report: attendance by school and office (schools directly under the department under
the department), the schools of the audience that sent nobody, feedback averages; XLSX and PDF;
a fixed number of queries; for the organiser and the department only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from thuvien.access import Scope, resolve_scope
from thuvien.core.testing import make_user
from thuvien.events import letters, reports
from thuvien.events.models import Event, Registration, RegistrationStatus
from thuvien.organisations import services
from thuvien.organisations.models import Role, UnitKind


@pytest.fixture
def audience(world: Any, event: Event) -> Event:
    """School A1: the librarian attended, the teacher-librarian waits; school A2 sent nobody;
    the THPT school's librarian (directly under the department) was nominated, registered."""
    Registration.objects.create(
        event=event, user=world.teacher_librarian, school=world.school,
        status=RegistrationStatus.WAITLISTED,
    )  # fmt: skip
    Registration.objects.create(
        event=event, user=world.principal_a2, school=world.school_a2,
        status=RegistrationStatus.INVITED,
    )  # fmt: skip
    Registration.objects.create(
        event=event, user=world.thpt_librarian, school=world.thpt,
        status=RegistrationStatus.REGISTERED,
    )  # fmt: skip
    return event


def organiser(world: Any) -> Scope:
    """The report is made for its reader: here the organiser (who sees every answer)."""
    return resolve_scope(world.trainer, None)


def counts(line: Any) -> tuple[int, int, int, int]:
    c = line.counts
    return (c.invited, c.registered, c.waitlisted, c.attended)


def test_attendance_by_school_and_office(world, audience):
    report = reports.event_report(audience, organiser(world))
    by_school = {line.school.name: (line.group.name, counts(line)) for line in report.schools}
    assert by_school == {
        world.school.name: (world.office.name, (2, 1, 1, 1)),
        world.school_a2.name: (world.office.name, (1, 0, 0, 0)),
        world.thpt.name: (world.department.name, (1, 1, 0, 0)),
    }
    groups = [(g.unit.name, g.schools, g.sent_nobody, counts(g)) for g in report.groups]
    assert groups == [
        (world.department.name, 1, 0, (1, 1, 0, 0)),  # nominated, not of the audience
        (world.office.name, 2, 1, (3, 1, 1, 1)),
    ]
    totals = report.totals
    assert (totals.invited, totals.registered, totals.waitlisted, totals.attended) == (4, 2, 1, 1)


def test_the_school_that_sent_nobody_is_listed(world, audience):
    report = reports.event_report(audience, organiser(world))
    assert [line.school for line in report.sent_nobody] == [world.school_a2]


def test_before_the_event_a_school_without_registrations_sent_nobody(world, audience):
    before = audience.starts_on.replace(year=audience.starts_on.year - 1)
    report = reports.event_report(audience, organiser(world), today=before)
    assert not report.started
    assert [line.school for line in report.sent_nobody] == [world.school_a2]


def test_the_audience_by_tier(world, event):
    Event.objects.filter(pk=event.pk).update(target=world.department, target_upper_secondary=True)
    event.refresh_from_db()
    assert set(reports.targeted_schools(event)) == {world.thpt}


def test_the_report_reads_a_fixed_number_of_queries(world, audience):
    with CaptureQueriesContext(connection) as small:
        reports.event_report(audience, organiser(world))
    for n in range(5):
        school = services.create_unit(
            kind=UnitKind.SCHOOL, name=f"Trường Tiểu học số {n}", parent=world.office,
            has_primary=True,
        )  # fmt: skip
        person = make_user(f"tv{n}", f"Thủ thư {n}")
        services.add_membership(person, school, Role.LIBRARIAN)
        Registration.objects.create(
            event=audience, user=person, school=school, status=RegistrationStatus.REGISTERED
        )
    with CaptureQueriesContext(connection) as large:
        report = reports.event_report(audience, organiser(world))
    assert len(report.schools) == 8
    assert len(large) == len(small)


def test_the_xlsx_holds_every_table(world, client_for, audience):
    response = client_for(world.trainer).get(reverse("events:report_xlsx", args=[audience.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Theo đơn vị", "Theo trường", "Không cử người", "Đánh giá phiên", "Đánh giá chủ đề",
        "Ý kiến",
    ]  # fmt: skip
    schools = [row for row in book["Theo trường"].iter_rows(min_row=3, values_only=True)]
    assert (1, world.school_a2.name, world.office.name, 1, 0, 0, 0) in schools
    assert (None, "Tổng cộng", None, 4, 2, 1, 1) in schools
    nobody = [row[1] for row in book["Không cử người"].iter_rows(min_row=3, values_only=True)]
    assert nobody == [world.school_a2.name]
    comments = [row[3] for row in book["Ý kiến"].iter_rows(min_row=3, values_only=True)]
    assert comments == ["Rất bổ ích."]


def test_the_pdf_is_an_official_report(world, client_for, audience):
    response = client_for(world.dept_officer).get(reverse("events:report_pdf", args=[audience.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao-BC-')
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "BÁO CÁO" in text
    assert world.school_a2.name in text
    assert "tham dự: 1" in text
    # The partner's governing body above its name; its head signs by hand, not the downloader.
    assert "TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG THƯ VIỆN TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG" in text
    assert f"GIÁM ĐỐC THƯ VIỆN {letters.BLANK_NAME}" in text
    assert world.dept_officer.display_name not in text


def test_the_report_of_the_departments_event_names_its_province(world, audience):
    Event.objects.filter(pk=audience.pk).update(organiser=world.department)
    document = reports.report_document(reports.event_report(audience, organiser(world)))
    # The province is not repeated under its committee; the symbol is the unit's own.
    assert (document.parent_agency, document.issuing_agency, document.symbol) == (
        "UBND TỈNH BẾN TRE", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "BC-SGDĐT"
    )  # fmt: skip
    assert document.place == "Bến Tre"
    assert (document.signature.position, document.signature.signer) == (
        "GIÁM ĐỐC", letters.BLANK_NAME
    )  # fmt: skip
    Event.objects.filter(pk=audience.pk).update(place="TP. Bến Tre")
    assert (
        reports.report_document(reports.event_report(audience, organiser(world))).place
        == "TP. Bến Tre"
    )


def test_the_reports_symbol_is_the_organisers_own(world, audience):
    report = reports.event_report(audience, organiser(world))
    assert reports.report_document(report).symbol == "BC-TVTĐHTĐT"
    services.update_unit(world.partner, symbol="TVĐH")
    report = reports.event_report(Event.objects.get(pk=audience.pk), organiser(world))
    assert reports.report_document(report).symbol == "BC-TVĐH"


def test_the_report_page_for_the_organiser_and_the_department(world, client_for, audience):
    url = reverse("events:report", args=[audience.pk])
    for user in (world.trainer, world.dept_admin, world.dept_officer):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert world.school_a2.name in response.content.decode()
    for user in (world.office_officer, world.principal, world.librarian):
        assert client_for(user).get(url).status_code == 403
    for name in ("report", "report_xlsx", "report_pdf"):
        assert client_for(world.outsider).get(
            reverse(f"events:{name}", args=[audience.pk])
        ).status_code in (403, 404)
        assert (
            client_for(world.office_b_officer)
            .get(reverse(f"events:{name}", args=[audience.pk]))
            .status_code
            == 404
        )
    fragment = client_for(world.trainer).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and world.school_a2.name in fragment
    assert client_for(world.trainer).post(url).status_code == 405
