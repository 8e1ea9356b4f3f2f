"""Everyone is told at each hand-over: the principal of a submitted (or resubmitted) report, the
receiving office or the department of an arriving school package, the department of an arriving
office report, the sender of a returned or accepted package or report. In the app and by e-mail
(the real outbox), keyed: a retry sends nothing twice, a resubmission is told again."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.training.conftest import PUBLISHED_ON, D, at, make_campaign
from thuvien.notifications.models import Notification
from thuvien.notifications.tasks import send_notification_emails
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import Enrolment, SchoolPackage
from thuvien.training.services import notices, reports


@pytest.fixture(autouse=True)
def _notifications_in_english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://thuvien.example.gov.vn"


def record(campaign, user):
    return Enrolment.objects.get(campaign=campaign, user=user)


def hand_in(campaign, user, *, on, topic=0):
    enrolment = record(campaign, user)
    services.choose_topic(enrolment, campaign.topics.all()[topic], on=D(2026, 1, 1))
    return services.submit_report(enrolment, on=on)


def told(kind):
    """{(recipient username, subject)} of one kind of notification."""
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    return {(row.recipient.username, row.subject) for row in rows}


def who(kind):
    return sorted({username for username, _subject in told(kind)})


def send_a1_package(world, campaign, *, on=None):
    hand_in(campaign, world.librarian, on=at(2026, 4, 1))
    hand_in(campaign, world.teacher_librarian, on=at(2026, 4, 2), topic=1)
    for user in (world.librarian, world.teacher_librarian):
        services.evaluate(record(campaign, user), by=world.principal, grade="good")
    return services.submit_school_package(
        campaign, world.school, by=world.principal, summary="A1", on=on or at(2026, 4, 9)
    )


# --- A report reaches the principal -----------------------------------------------------------


def test_a_submitted_report_tells_the_schools_principal(world, published):
    enrolment = hand_in(published, world.librarian, on=at(2026, 4, 2))
    assert told("training.report_submitted") == {
        ("hieutruong", f"{world.librarian.full_name} submitted the self-training report")
    }
    notice = Notification.objects.get(kind="training.report_submitted")
    assert notice.url == f"/training/school/records/{enrolment.pk}/"
    assert "02/04/2026" in notice.body
    assert notice.key == f"report-submitted:{enrolment.pk}:{at(2026, 4, 2).isoformat()}"
    # The principal of another school hears nothing.
    assert not Notification.objects.filter(recipient=world.principal_a2).exists()


def test_a_resubmitted_report_tells_the_principal_again(world, published):
    enrolment = hand_in(published, world.librarian, on=at(2026, 4, 2))
    services.return_report(enrolment, by=world.principal, comment="Bổ sung kết luận")
    services.submit_report(record(published, world.librarian), on=at(2026, 4, 5))
    assert sorted(told("training.report_submitted")) == [
        ("hieutruong", f"{world.librarian.full_name} resubmitted the self-training report"),
        ("hieutruong", f"{world.librarian.full_name} submitted the self-training report"),
    ]


def test_the_same_hand_over_announced_twice_is_told_once(world, published):
    enrolment = hand_in(published, world.librarian, on=at(2026, 4, 2))
    notices.report_submitted(enrolment, again=False)  # a retry of the same hand-over
    assert Notification.objects.filter(kind="training.report_submitted").count() == 1


def test_a_principal_is_not_told_of_their_own_report(world):
    campaign = make_campaign(world, roles=[Role.LIBRARIAN, Role.PRINCIPAL])
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    hand_in(campaign, world.principal, on=at(2026, 4, 2))
    assert who("training.report_submitted") == []
    hand_in(campaign, world.librarian, on=at(2026, 4, 2))
    assert who("training.report_submitted") == [world.principal.username]


def test_a_refused_submission_tells_nobody(world, published):
    enrolment = record(published, world.librarian)  # no topic chosen: refused
    with pytest.raises(services.TrainingError):
        services.submit_report(enrolment, on=at(2026, 4, 2))
    assert who("training.report_submitted") == []


# --- A school package reaches its supervisor, and comes back ----------------------------------


def test_an_arriving_package_tells_the_receiving_office(world, published):
    package = send_a1_package(world, published)
    assert told("training.package_arrived") == {
        (world.office_officer.username, f"{world.school.name} sent its self-training package")
    }
    notice = Notification.objects.get(kind="training.package_arrived")
    assert notice.url == f"/training/packages/{package.pk}/"
    assert notice.key == f"package-arrived:{package.pk}:{at(2026, 4, 9).isoformat()}"
    assert "09/04/2026" in notice.body
    # The other office and the department are not told of office A's school.
    assert who("training.package_arrived") == [world.office_officer.username]


def test_a_package_of_a_school_under_the_department_tells_the_department(world, published):
    hand_in(published, world.thpt_librarian, on=at(2026, 4, 1))
    services.evaluate(record(published, world.thpt_librarian), by=world.dept_admin, grade="good")
    services.submit_school_package(
        published, world.thpt, by=world.dept_admin, summary="THPT", on=at(2026, 4, 9)
    )
    assert who("training.package_arrived") == sorted(
        [world.dept_admin.username, world.dept_officer.username]
    )


def test_a_returned_and_resent_package_arrives_again(world, published):
    package = send_a1_package(world, published)
    services.return_school_package(package, by=world.office_officer, comment="Thiếu tóm tắt")
    services.submit_school_package(
        published, world.school, by=world.principal, summary="A1 (bổ sung)", on=at(2026, 4, 12)
    )
    arrivals = Notification.objects.filter(kind="training.package_arrived")
    assert arrivals.count() == 2
    assert who("training.package_returned") == ["hieutruong"]


def test_an_accepted_package_tells_its_sender(world, published):
    package = send_a1_package(world, published)
    services.accept_school_package(package, by=world.office_officer)
    [notice] = Notification.objects.filter(kind="training.package_accepted")
    assert notice.recipient == world.principal
    assert world.office.name in notice.body
    assert notice.url == f"/training/school/{published.pk}/"


# --- An office report reaches the department, and comes back ----------------------------------


def office_report(world, campaign):
    send_a1_package(world, campaign)
    package = SchoolPackage.objects.get(campaign=campaign, school=world.school)
    services.accept_school_package(package, by=world.office_officer)
    return reports.prepare_unit_report(campaign, world.office, by=world.office_officer, number=12)


def test_an_arriving_office_report_tells_the_department(world, published):
    report = reports.submit_unit_report(
        office_report(world, published), by=world.office_officer, on=at(2026, 4, 18)
    )
    assert told("training.unit_report_arrived") == {
        (world.dept_admin.username, f"{world.office.name} sent its aggregate self-training report"),
        (
            world.dept_officer.username,
            f"{world.office.name} sent its aggregate self-training report",
        ),
    }
    notice = Notification.objects.filter(kind="training.unit_report_arrived").first()
    assert notice.url == f"/training/reports/{report.pk}/"
    assert notice.key == f"unit-report-arrived:{report.pk}:{at(2026, 4, 18).isoformat()}"


def test_a_returned_office_report_tells_its_sender_why(world, published):
    report = reports.submit_unit_report(
        office_report(world, published), by=world.office_officer, on=at(2026, 4, 18)
    )
    reports.return_unit_report(report, by=world.dept_officer, comment="Bổ sung số liệu.")
    [notice] = Notification.objects.filter(kind="training.unit_report_returned")
    assert notice.recipient == world.office_officer
    assert "Bổ sung số liệu." in notice.body
    assert notice.url == f"/training/campaigns/{published.pk}/report/"
    # Sent again, it arrives again; accepted, the sender is told.
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 19))
    assert Notification.objects.filter(kind="training.unit_report_arrived").count() == 4
    reports.accept_unit_report(report, by=world.dept_officer)
    assert who("training.unit_report_accepted") == [world.office_officer.username]


# --- By e-mail --------------------------------------------------------------------------------


def test_each_hand_over_is_e_mailed_once_marked_automatic_with_a_site_link(world, published):
    send_a1_package(world, published)
    mail.outbox.clear()
    send_notification_emails.call()
    to_office = [m for m in mail.outbox if m.to == [world.office_officer.email]]
    [message] = to_office
    assert message.subject == f"{world.school.name} sent its self-training package"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.message()["Auto-Submitted"] == "auto-generated"
    links = [line for line in message.body.splitlines() if "://" in line]
    site = "https://thuvien.example.gov.vn"
    assert f"{site}/training/packages/" in links[0]
    assert links and all(link == site or link.startswith(f"{site}/") for link in links)
    # A second run sends nothing again.
    mail.outbox.clear()
    assert send_notification_emails.call() == 0
    assert mail.outbox == []
