"""One person who has not submitted does not block a school forever, and the office's report follows
the same rule: after the deadline the package goes with the missing people listed as not
submitted, once the principal confirms it naming them; the office sends its report once it has
confirmed the schools that have not sent. The warning is on the page before the button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.training.conftest import D, at
from tests.training.test_unit_reports import hand_in, send_a1
from thuvien.training import services
from thuvien.training.models import (
    Enrolment,
    PackageStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)
from thuvien.training.services import reports, sending

AFTER = at(2026, 4, 11)  # the day after the school deadline (10/04/2026)


def url(name, *args):
    return reverse(f"training:{name}", args=args)


@pytest.fixture
def principal(client_for, world):
    client = client_for(world.principal)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def officer(client_for, world):
    client = client_for(world.office_officer)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def librarian_done(world, published):
    """The librarian submitted and was evaluated; the teacher-librarian never submitted."""
    hand_in(world, published, world.librarian, on=at(2026, 4, 1), grade="good")
    return Enrolment.objects.get(campaign=published, user=world.teacher_librarian)


def send(world, campaign, **kwargs):
    values = {"by": world.principal, "summary": "Tổng kết", "on": AFTER, **kwargs}
    return services.submit_school_package(campaign, world.school, **values)


def sent_packages(campaign):
    return SchoolPackage.objects.filter(campaign=campaign).exclude(status=PackageStatus.DRAFT)


# --- The rule, in the service --------------------------------------------------------------------


def test_before_the_deadline_someone_who_has_not_submitted_still_blocks(
    world, published, librarian_done
):
    with pytest.raises(
        services.TrainingError, match=r"still has time: Bùi Văn Kiêm \(10/04/2026\)"
    ):
        send(world, published, on=at(2026, 4, 10), not_submitted=[librarian_done.pk])
    assert not sent_packages(published).exists()


def test_after_the_deadline_the_package_needs_the_confirmation_naming_them(
    world, published, librarian_done
):
    with pytest.raises(sending.Unconfirmed, match="not submitted: Bùi Văn Kiêm"):
        send(world, published)
    assert not sent_packages(published).exists()
    package = send(world, published, not_submitted=[librarian_done.pk])
    package.refresh_from_db()
    assert (package.status, package.submitted_to) == (PackageStatus.SUBMITTED, world.office)
    assert package.is_late
    librarian_done.refresh_from_db()
    assert librarian_done.report_status == "not_started"  # listed as not submitted, untouched


def test_a_confirmation_that_misses_someone_is_refused(world, published):
    records = Enrolment.objects.filter(campaign=published, school=world.school)
    first = records.get(user=world.librarian)
    with pytest.raises(sending.Unconfirmed, match="Bùi Văn Kiêm, Đặng Thị Thư"):
        send(world, published, not_submitted=[first.pk])
    package = send(world, published, not_submitted=[r.pk for r in records])
    assert package.status == PackageStatus.SUBMITTED


def test_a_report_waiting_for_evaluation_blocks_even_when_confirmed(
    world, published, librarian_done
):
    hand_in(world, published, world.teacher_librarian, on=at(2026, 4, 2))
    with pytest.raises(services.TrainingError, match="not evaluated yet: Bùi Văn Kiêm"):
        send(world, published, not_submitted=[librarian_done.pk])
    assert not sent_packages(published).exists()


def test_a_person_with_an_extension_still_has_time(world, published, librarian_done):
    services.grant_extension(librarian_done, until=D(2026, 4, 20), reason="Ốm", by=world.principal)
    with pytest.raises(services.TrainingError, match=r"still has time: .*\(20/04/2026\)"):
        send(world, published, not_submitted=[librarian_done.pk])
    assert send(world, published, on=at(2026, 4, 21), not_submitted=[librarian_done.pk])


def test_a_deactivated_account_is_not_waited_for(world, published, librarian_done):
    world.teacher_librarian.is_active = False
    world.teacher_librarian.save(update_fields=["is_active"])
    assert send(world, published).status == PackageStatus.SUBMITTED


def test_the_package_page_of_the_office_lists_them_as_not_submitted(
    world, published, librarian_done, officer
):
    package = send(world, published, not_submitted=[librarian_done.pk])
    body = officer.get(url("package_detail", package.pk)).content.decode()
    warning = body.split('id="package-not-submitted"')[1].split("</div>")[0]
    assert "Sent with 1 person listed as not submitted" in warning
    assert "Bùi Văn Kiêm" in warning and "Đặng Thị Thư" not in warning


# --- The school page: the warning before the button -------------------------------------------


def test_the_school_page_names_them_and_asks_for_the_box_before_the_button(
    principal, published, librarian_done
):
    # Today is long after the deadline (10/04/2026).
    body = principal.get(url("school_page", published.pk)).content.decode()
    warning = body.index('id="package-not-submitted"')
    assert body.index("Bùi Văn Kiêm", warning) < body.index("Send the school package", warning)
    assert 'name="send-confirm"' in body and 'type="checkbox"' in body
    assert f'name="send-missing" value="{librarian_done.pk}"' in body
    # No dialog after the button is pressed: the warning is on the page.
    form = body[body.rindex("<form", 0, warning) : warning]
    assert "data-confirm" not in form


def test_without_the_box_the_package_stays_and_the_box_says_why(
    principal, published, librarian_done
):
    data = {"summary": "Tổng kết", "send-missing": [librarian_done.pk]}
    response = principal.post(url("school_package", published.pk), data)
    assert response.status_code == 422
    assert "Tick the box to confirm" in response.content.decode()
    assert not sent_packages(published).exists()


def test_with_the_box_the_package_goes(principal, published, librarian_done, world):
    data = {"summary": "Tổng kết", "send-missing": [librarian_done.pk], "send-confirm": "on"}
    assert principal.post(url("school_package", published.pk), data).status_code == 302
    package = SchoolPackage.objects.get(campaign=published, school=world.school)
    assert package.status == PackageStatus.SUBMITTED


def test_a_confirmation_of_an_old_list_is_refused_with_the_new_names(principal, published, world):
    records = Enrolment.objects.filter(campaign=published, school=world.school)
    first = records.get(user=world.librarian)
    data = {"summary": "Tổng kết", "send-missing": [first.pk], "send-confirm": "on"}
    response = principal.post(url("school_package", published.pk), data)
    assert response.status_code == 422
    assert "Bùi Văn Kiêm, Đặng Thị Thư" in response.content.decode()
    assert not sent_packages(published).exists()


def test_a_report_to_evaluate_hides_the_button_and_links_the_record(
    principal, published, librarian_done, world
):
    hand_in(world, published, world.teacher_librarian, on=at(2026, 4, 2))
    body = principal.get(url("school_page", published.pk)).content.decode()
    block = body.split('id="package-to-evaluate"')[1].split("</div>")[0]
    assert url("school_record", librarian_done.pk) in block
    assert url("school_package", published.pk) not in body


def test_a_person_with_time_left_is_named_with_their_deadline(
    principal, published, librarian_done, world
):
    services.grant_extension(librarian_done, until=D(2027, 6, 30), reason="Ốm", by=world.principal)
    body = principal.get(url("school_page", published.pk)).content.decode()
    block = body.split('id="package-not-due"')[1].split("</div>")[0]
    assert "Bùi Văn Kiêm" in block and "30/06/2027" in block
    assert url("school_package", published.pk) not in body


# --- The office's report: the same rule ----------------------------------------------------------


@pytest.fixture
def office_report(world, published):
    send_a1(world, published)  # A1 sent, A2 has not
    return reports.prepare_unit_report(published, world.office, by=world.office_officer)


def test_the_report_needs_the_confirmation_naming_the_schools(world, office_report):
    with pytest.raises(sending.Unconfirmed, match=world.school_a2.name):
        reports.submit_unit_report(office_report, by=world.office_officer, not_sent=[])
    assert UnitReport.objects.get(pk=office_report.pk).status == UnitReportStatus.DRAFT
    reports.submit_unit_report(
        office_report, by=world.office_officer, on=at(2026, 4, 18), not_sent=[world.school_a2.pk]
    )
    assert UnitReport.objects.get(pk=office_report.pk).status == UnitReportStatus.SUBMITTED


def test_the_report_page_names_the_schools_before_the_button(
    officer, world, published, office_report
):
    body = officer.get(url("unit_report", published.pk)).content.decode()
    warning = body.index('id="report-unsent-schools"')
    names = body[warning : body.index("Send the report to the supervising unit", warning)]
    assert world.school_a2.name in names and world.school.name not in names
    assert 'name="send-confirm"' in names
    form = body[body.rindex("<form", 0, warning) : warning]
    assert "data-confirm" not in form


def test_without_the_box_the_report_stays(officer, world, office_report):
    data = {"send-missing": [world.school_a2.pk]}
    response = officer.post(url("unit_report_send", office_report.pk), data)
    assert response.status_code == 422 and "Tick the box to confirm" in response.content.decode()
    assert UnitReport.objects.get(pk=office_report.pk).status == UnitReportStatus.DRAFT


def test_with_the_box_the_report_goes(officer, world, office_report):
    data = {"send-missing": [world.school_a2.pk], "send-confirm": "on"}
    assert officer.post(url("unit_report_send", office_report.pk), data).status_code == 302
    report = UnitReport.objects.get(pk=office_report.pk)
    assert (report.status, report.submitted_to) == (UnitReportStatus.SUBMITTED, world.department)


def test_when_every_school_has_sent_there_is_nothing_to_confirm(
    officer, world, published, office_report
):
    services.submit_school_package(
        published, world.school_a2, by=world.principal_a2, summary="x", on=at(2026, 4, 10)
    )
    body = officer.get(url("unit_report", published.pk)).content.decode()
    assert 'id="report-unsent-schools"' not in body
    assert officer.post(url("unit_report_send", office_report.pk)).status_code == 302
    assert UnitReport.objects.get(pk=office_report.pk).status == UnitReportStatus.SUBMITTED
