"""A person who moves to another targeted school during a campaign takes their record along, unless
it is finished at the first school (evaluated, or that school's package has been sent): then it
stays there, current, and counts there."""

from decimal import Decimal

import pytest

from tests.training.conftest import D, at, make_campaign
from thuvien.core.testing import make_user
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Membership, Role
from thuvien.training import services
from thuvien.training.models import Enrolment, PackageStatus, ReportStatus, SchoolPackage

MOVED_ON = D(2026, 2, 1)


def move(world, user, to, *, role=Role.LIBRARIAN, on=MOVED_ON):
    """End the person's membership at their school the day before `on`, appoint them at `to`."""
    membership = Membership.objects.get(user=user, valid_to__isnull=True)
    organisations.end_membership(membership, on=on - D.resolution)
    organisations.add_membership(user, to, role, valid_from=on)


def test_a_person_moved_to_another_targeted_school_takes_the_record_along(world, record):
    note = services.add_study_note(
        record, date=D(2026, 1, 10), content="Đọc chương 1", hours=Decimal(2)
    )
    services.choose_topic(record, record.campaign.topics.first(), on=D(2026, 1, 2))
    version = services.save_report_version(record, body="<p>Bản nháp</p>")
    move(world, world.librarian, world.school_a2, role=Role.TEACHER_LIBRARIAN)
    result = services.sync_enrolments(record.campaign, on=MOVED_ON, by=world.dept_admin)
    assert (result.enrolled, result.left, result.returned, result.moved) == (0, 0, 0, 1)
    record.refresh_from_db()
    assert (record.school, record.role, record.left_on) == (
        world.school_a2,
        Role.TEACHER_LIBRARIAN,
        None,
    )
    assert Enrolment.objects.filter(campaign=record.campaign, user=world.librarian).count() == 1
    assert list(record.notes.all()) == [note]
    assert list(record.report_versions.all()) == [version]
    assert (record.topic, record.report_status) == (record.campaign.topics.first(), "draft")
    latest = record.history.latest()
    assert (latest.school_id, latest.history_user) == (world.school_a2.pk, world.dept_admin)
    assert record.history.filter(school_id=world.school.pk).exists()  # the trail keeps the first
    # The record is open at the new school: the person carries on.
    services.add_study_note(record, date=MOVED_ON, content="Đọc chương 2", hours=Decimal(1))
    services.submit_report(record, on=at(2026, 4, 1))
    assert services.sync_enrolments(record.campaign, on=D(2026, 2, 2)).moved == 0


def test_the_new_schools_principal_evaluates_the_moved_record(world, record):
    services.choose_topic(record, record.campaign.topics.first(), on=D(2026, 1, 2))
    move(world, world.librarian, world.school_a2)
    services.sync_enrolments(record.campaign, on=MOVED_ON)
    a2 = Enrolment.objects.filter(campaign=record.campaign, school=world.school_a2).current()
    a1 = Enrolment.objects.filter(campaign=record.campaign, school=world.school).current()
    assert world.librarian in {row.user for row in a2}
    assert world.librarian not in {row.user for row in a1}
    services.submit_report(record, on=at(2026, 4, 1))
    services.evaluate(record, by=world.principal_a2, grade="good")
    services.submit_school_package(
        record.campaign, world.school_a2, by=world.principal_a2, summary="Xong", on=at(2026, 4, 9)
    )
    assert SchoolPackage.objects.get(school=world.school_a2).status == PackageStatus.SUBMITTED


def test_a_move_by_the_daily_run_is_audited_without_a_person(world, record):
    move(world, world.librarian, world.school_a2)
    services.sync_enrolments(record.campaign, on=MOVED_ON)
    record.refresh_from_db()
    assert record.school == world.school_a2
    assert record.history.latest().history_user is None


def test_an_evaluated_record_stays_at_its_school_and_counts_there(world, record):
    services.choose_topic(record, record.campaign.topics.first(), on=D(2026, 1, 2))
    services.submit_report(record, on=at(2026, 1, 20))
    services.evaluate(record, by=world.principal, grade="good")
    move(world, world.librarian, world.school_a2)
    result = services.sync_enrolments(record.campaign, on=MOVED_ON)
    assert (result.left, result.moved) == (0, 0)
    record.refresh_from_db()
    assert (record.school, record.left_on, record.report_status, record.grade) == (
        world.school,
        None,
        ReportStatus.EVALUATED,
        "good",
    )
    current = Enrolment.objects.filter(campaign=record.campaign, school=world.school).current()
    assert record in current
    assert services.sync_enrolments(record.campaign, on=D(2026, 2, 2)) == result


@pytest.mark.parametrize("status", [PackageStatus.SUBMITTED, PackageStatus.ACCEPTED])
def test_a_record_stays_when_its_schools_package_has_been_sent(world, record, status):
    SchoolPackage.objects.create(
        campaign=record.campaign, school=world.school, status=status, submitted_to=world.office
    )
    move(world, world.librarian, world.school_a2)
    result = services.sync_enrolments(record.campaign, on=MOVED_ON)
    assert (result.left, result.moved) == (0, 0)
    record.refresh_from_db()
    assert (record.school, record.left_on) == (world.school, None)


def test_a_record_moves_once_the_package_came_back(world, record):
    """Another school's sent package, or its own returned package, does not hold it back."""
    SchoolPackage.objects.create(
        campaign=record.campaign,
        school=world.school,
        status=PackageStatus.RETURNED,
        submitted_to=world.office,
    )
    SchoolPackage.objects.create(
        campaign=record.campaign,
        school=world.thpt,
        status=PackageStatus.SUBMITTED,
        submitted_to=world.department,
    )
    move(world, world.librarian, world.school_a2)
    assert services.sync_enrolments(record.campaign, on=MOVED_ON).moved == 1
    record.refresh_from_db()
    assert record.school == world.school_a2


def test_a_person_who_left_then_is_appointed_elsewhere_is_current_there(world, record):
    membership = Membership.objects.get(user=world.librarian, role=Role.LIBRARIAN)
    organisations.end_membership(membership, on=D(2026, 1, 31))
    assert services.sync_enrolments(record.campaign, on=D(2026, 2, 1)).left == 1
    organisations.add_membership(
        world.librarian, world.school_a2, Role.LIBRARIAN, valid_from=D(2026, 3, 1)
    )
    result = services.sync_enrolments(record.campaign, on=D(2026, 3, 1))
    assert (result.left, result.returned, result.moved) == (0, 0, 1)
    record.refresh_from_db()
    assert (record.school, record.left_on) == (world.school_a2, None)
    services.add_study_note(record, date=D(2026, 3, 1), content="Tiếp tục", hours=Decimal(1))


def test_a_move_out_of_the_campaigns_reach_is_leaving(world):
    """Office A's campaign reaches schools A1 and A2, not school X of office B."""
    campaign = make_campaign(world, issuer=world.office)
    services.publish_campaign(campaign, by=world.office_officer, on=D(2025, 12, 4))
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    move(world, world.librarian, world.outsider_school)
    result = services.sync_enrolments(campaign, on=MOVED_ON)
    assert (result.left, result.moved) == (1, 0)
    record.refresh_from_db()
    assert (record.school, record.left_on) == (world.school, MOVED_ON)


def test_a_person_at_two_targeted_schools_keeps_the_record_where_it_is(world, published):
    """The record stays at its school while the person is still targeted there, even when
    another of their schools comes first."""
    # Which of the two comes first by path depends on the ids the database gave them
    # ("/97/98/99/" sorts after "/97/98/100/"): the person starts at the later one.
    first, later = sorted([world.school, world.school_a2], key=lambda unit: unit.path)
    person = make_user("thuvien_hai_truong", "Phan Thị Hai")
    organisations.add_membership(person, later, Role.LIBRARIAN, valid_from=D(2026, 1, 5))
    services.sync_enrolments(published, on=D(2026, 1, 5))
    organisations.add_membership(person, first, Role.LIBRARIAN, valid_from=D(2026, 1, 6))
    result = services.sync_enrolments(published, on=D(2026, 1, 6))
    assert (result.enrolled, result.left, result.moved) == (0, 0, 0)
    record = Enrolment.objects.get(campaign=published, user=person)
    assert (record.school, record.left_on) == (later, None)
