"""A school's package: refused until every record is evaluated, routed by the tree on the day."""

import pytest

from tests.training.conftest import D, at
from thuvien.organisations import services as organisations
from thuvien.training import services
from thuvien.training.models import Enrolment, PackageStatus, ReportStatus, SchoolPackage


def evaluate_all(world, campaign, school):
    for record in Enrolment.objects.filter(campaign=campaign, school=school):
        services.choose_topic(record, campaign.topics.first(), on=D(2026, 1, 1))
        services.submit_report(record, on=at(2026, 4, 1))
        services.evaluate(record, by=world.principal, grade="good")


def test_package_refused_until_every_record_is_evaluated(world, published):
    # Before the deadline (10/04), people who have not submitted still have time.
    before = at(2026, 4, 9)
    with pytest.raises(services.TrainingError, match="2 people have not submitted yet"):
        services.submit_school_package(
            published, world.school, by=world.principal, summary="x", on=before
        )
    for user in (world.librarian, world.teacher_librarian):
        record = Enrolment.objects.get(campaign=published, user=user)
        services.choose_topic(record, published.topics.first(), on=D(2026, 1, 1))
        services.submit_report(record, on=at(2026, 4, 1))
    services.evaluate(record, by=world.principal, grade="good")
    # A submitted report waits for the principal's evaluation, whatever the day.
    with pytest.raises(services.TrainingError, match="1 person's report is not evaluated"):
        services.submit_school_package(published, world.school, by=world.principal, summary="x")
    assert not SchoolPackage.objects.exclude(status=PackageStatus.DRAFT).exists()


def test_people_who_left_are_not_waited_for(world, published):
    evaluate_all(world, published, world.school)
    Enrolment.objects.create(
        campaign=published,
        user=world.reader,
        school=world.school,
        role="librarian",
        enrolled_on=D(2025, 12, 4),
        left_on=D(2026, 1, 1),
    )
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="x", on=at(2026, 4, 9)
    )
    assert package.status == PackageStatus.SUBMITTED


def test_school_a1_package_goes_to_office_a(world, published):
    evaluate_all(world, published, world.school)
    package = services.submit_school_package(
        published,
        world.school,
        by=world.principal,
        summary=" Hoàn thành kế hoạch. ",
        on=at(2026, 4, 9),
    )
    package.refresh_from_db()
    assert (package.status, package.submitted_to, package.submitted_by, package.summary) == (
        PackageStatus.SUBMITTED,
        world.office,
        world.principal,
        "Hoàn thành kế hoạch.",
    )
    assert not package.is_late
    assert package.history.filter(history_user=world.principal).exists()


def test_thpt_package_goes_straight_to_the_department(world, published):
    evaluate_all(world, published, world.thpt)
    package = services.submit_school_package(
        published, world.thpt, by=world.thpt_librarian, summary="x", on=at(2026, 4, 12)
    )
    assert package.submitted_to == world.department
    assert package.is_late


def test_a_school_moved_mid_campaign_goes_to_its_new_office(world, published):
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 3, 1))
    evaluate_all(world, published, world.school)
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="x", on=at(2026, 4, 9)
    )
    assert package.submitted_to == world.office_b


def test_a_package_keeps_its_route_when_the_school_moves_later(world, published):
    evaluate_all(world, published, world.school)
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="x", on=at(2026, 4, 9)
    )
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 5, 1))
    package.refresh_from_db()
    assert package.submitted_to == world.office


def test_return_then_resubmit(world, published):
    evaluate_all(world, published, world.school)
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="x", on=at(2026, 4, 9)
    )
    with pytest.raises(services.TrainingError, match="revise"):
        services.return_school_package(package, by=world.office_officer, comment="")
    services.return_school_package(package, by=world.office_officer, comment="Thiếu nhận xét.")
    package.refresh_from_db()
    assert (package.status, package.return_comment, package.reviewed_by) == (
        PackageStatus.RETURNED,
        "Thiếu nhận xét.",
        world.office_officer,
    )
    record = Enrolment.objects.get(campaign=published, user=world.librarian)
    services.evaluate(record, by=world.principal, grade="fair", comment="Đã bổ sung nhận xét.")
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="Đã bổ sung.", on=at(2026, 4, 10)
    )
    assert (package.status, package.return_comment) == (PackageStatus.SUBMITTED, "")
    services.accept_school_package(package, by=world.office_officer)
    package.refresh_from_db()
    assert package.status == PackageStatus.ACCEPTED


def test_a_sent_package_locks_evaluations_and_itself(world, published):
    evaluate_all(world, published, world.school)
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="x", on=at(2026, 4, 9)
    )
    record = Enrolment.objects.get(campaign=published, user=world.librarian)
    with pytest.raises(services.TrainingError, match="package has been sent"):
        services.evaluate(record, by=world.principal, grade="fail")
    with pytest.raises(services.TrainingError, match="package has been sent"):
        services.return_report(record, by=world.principal, comment="x")
    with pytest.raises(services.TrainingError):
        services.submit_school_package(published, world.school, by=world.principal, summary="x")
    with pytest.raises(services.TrainingError, match="no longer be changed"):
        services.prepare_school_package(published, world.school, summary="y")
    services.accept_school_package(package, by=world.office_officer)
    with pytest.raises(services.TrainingError):
        services.return_school_package(package, by=world.office_officer, comment="x")
    record.refresh_from_db()
    assert (record.report_status, record.grade) == (ReportStatus.EVALUATED, "good")


def test_draft_package_cannot_be_returned_or_accepted(world, published):
    package = services.prepare_school_package(published, world.school, summary="Nháp")
    with pytest.raises(services.TrainingError, match="Not sent"):
        services.return_school_package(package, by=world.office_officer, comment="x")
    with pytest.raises(services.TrainingError, match="Not sent"):
        services.accept_school_package(package, by=world.office_officer)


def test_only_schools_send_packages(world, published):
    with pytest.raises(services.TrainingError, match="school"):
        services.submit_school_package(
            published, world.office, by=world.office_officer, summary="x"
        )


def test_a_closed_campaign_takes_no_packages(world, published):
    evaluate_all(world, published, world.school)
    services.close_campaign(published, by=world.dept_admin)
    with pytest.raises(services.TrainingError, match="not open"):
        services.submit_school_package(published, world.school, by=world.principal, summary="x")


def test_scoping_of_records_and_packages(world, published):
    from thuvien.access import resolve_scope

    services.prepare_school_package(published, world.school)
    services.prepare_school_package(published, world.thpt)

    def seen(user, model):
        return set(
            model.objects.visible_to(resolve_scope(user, None)).values_list("school", flat=True)
        )

    assert seen(world.principal, Enrolment) == {world.school.pk}
    assert seen(world.office_officer, Enrolment) == {world.school.pk}
    assert seen(world.dept_admin, Enrolment) == {
        world.school.pk,
        world.thpt.pk,
        world.outsider_school.pk,
    }
    assert seen(world.outsider, SchoolPackage) == set()
    assert seen(world.office_officer, SchoolPackage) == {world.school.pk}
