"""Submitting, returning and evaluating a report; lateness with and without an extension."""

from decimal import Decimal

import pytest

from tests.training.conftest import D, at, make_campaign
from thuvien.training import services
from thuvien.training.models import Enrolment, ReportStatus, Scale


@pytest.fixture
def chosen(record):
    services.choose_topic(record, record.campaign.topics.first(), on=D(2026, 1, 1))
    return record


def test_submit_records_the_time_and_is_on_time_on_the_deadline(chosen):
    services.submit_report(chosen, on=at(2026, 4, 10, 23))
    chosen.refresh_from_db()
    assert chosen.report_status == ReportStatus.SUBMITTED
    assert chosen.submitted_at == at(2026, 4, 10, 23)
    assert not chosen.is_late


def test_late_after_the_school_deadline(chosen):
    assert chosen.is_overdue(D(2026, 4, 11))
    assert not chosen.is_overdue(D(2026, 4, 10))
    services.submit_report(chosen, on=at(2026, 4, 11))
    chosen.refresh_from_db()
    assert chosen.is_late
    assert not chosen.is_overdue(D(2026, 4, 12))


def test_an_extension_moves_the_personal_deadline(world, chosen):
    services.grant_extension(chosen, until=D(2026, 4, 17), reason="Nghỉ ốm", by=world.principal)
    services.submit_report(chosen, on=at(2026, 4, 15))
    chosen.refresh_from_db()
    assert chosen.deadline == D(2026, 4, 17)
    assert not chosen.is_late
    assert chosen.extension_granted_by == world.principal
    chosen.submitted_at = at(2026, 4, 18)
    assert chosen.is_late


@pytest.mark.parametrize(
    ("until", "reason", "message"),
    [(D(2026, 4, 10), "Nghỉ ốm", "after the school deadline"), (D(2026, 4, 20), " ", "reason")],
)
def test_bad_extensions_are_refused(world, chosen, until, reason, message):
    with pytest.raises(services.TrainingError, match=message):
        services.grant_extension(chosen, until=until, reason=reason, by=world.principal)
    chosen.refresh_from_db()
    assert chosen.extended_until is None


def test_a_topic_is_needed_before_submitting(record):
    with pytest.raises(services.TrainingError, match="topic"):
        services.submit_report(record)


def test_submitting_twice_is_refused(chosen):
    services.submit_report(chosen, on=at(2026, 4, 1))
    with pytest.raises(services.TrainingError, match="Submitted"):
        services.submit_report(chosen, on=at(2026, 4, 2))
    chosen.refresh_from_db()
    assert chosen.submitted_at == at(2026, 4, 1)


def test_return_needs_a_comment_then_resubmit(world, chosen):
    services.submit_report(chosen, on=at(2026, 4, 1))
    with pytest.raises(services.TrainingError, match="revise"):
        services.return_report(chosen, by=world.principal, comment="  ")
    services.return_report(chosen, by=world.principal, comment="Bổ sung phần liên hệ thực tế.")
    chosen.refresh_from_db()
    assert (chosen.report_status, chosen.return_comment) == (
        ReportStatus.RETURNED,
        "Bổ sung phần liên hệ thực tế.",
    )
    services.submit_report(chosen, on=at(2026, 4, 5))
    chosen.refresh_from_db()
    assert chosen.report_status == ReportStatus.SUBMITTED
    statuses = [h.report_status for h in chosen.history.order_by("history_date")]
    assert statuses[-3:] == [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.SUBMITTED]
    assert chosen.history.filter(history_user=world.principal).exists()


def test_cannot_return_or_evaluate_a_report_not_submitted(world, chosen):
    with pytest.raises(services.TrainingError, match="Not started"):
        services.return_report(chosen, by=world.principal, comment="x")
    with pytest.raises(services.TrainingError):
        services.evaluate(chosen, by=world.principal, grade="good")
    chosen.refresh_from_db()
    assert chosen.report_status == ReportStatus.NOT_STARTED


def test_a_person_who_left_cannot_submit(world, chosen):
    Enrolment.objects.filter(pk=chosen.pk).update(left_on=D(2026, 3, 1))
    with pytest.raises(services.TrainingError, match="no longer"):
        services.submit_report(chosen)


@pytest.mark.parametrize(
    ("scale", "grade", "stored", "mark", "passed"),
    [
        (Scale.GOOD_FAIR_PASS_FAIL, "good", "good", None, True),
        (Scale.GOOD_FAIR_PASS_FAIL, "pass", "pass", None, True),
        (Scale.GOOD_FAIR_PASS_FAIL, "fail", "fail", None, False),
        (Scale.COMPLETE_INCOMPLETE, "complete", "complete", None, True),
        (Scale.COMPLETE_INCOMPLETE, "incomplete", "incomplete", None, False),
        (Scale.MARKS_10, "7,5", "7.5", Decimal("7.5"), True),
        (Scale.MARKS_10, Decimal("5"), "5.0", Decimal("5.0"), True),
        (Scale.MARKS_10, "4.9", "4.9", Decimal("4.9"), False),
        (Scale.MARKS_10, "10", "10.0", Decimal("10.0"), True),
        (Scale.MARKS_10, "0", "0.0", Decimal("0.0"), False),
    ],
)
def test_evaluation_on_each_preset_scale(world, scale, grade, stored, mark, passed):
    record = _record_submitted(world, scale)
    services.evaluate(record, by=world.principal, grade=grade, comment="Tốt, có liên hệ.")
    record.refresh_from_db()
    assert (record.report_status, record.grade, record.mark, record.passed) == (
        ReportStatus.EVALUATED,
        stored,
        mark,
        passed,
    )
    assert (record.evaluated_by, record.evaluation_comment) == (world.principal, "Tốt, có liên hệ.")
    assert record.evaluated_at is not None


@pytest.mark.parametrize(
    ("scale", "grade"),
    [
        (Scale.GOOD_FAIR_PASS_FAIL, "excellent"),
        (Scale.GOOD_FAIR_PASS_FAIL, "complete"),
        (Scale.COMPLETE_INCOMPLETE, "good"),
        (Scale.MARKS_10, "10.5"),
        (Scale.MARKS_10, "-1"),
        (Scale.MARKS_10, "7.25"),
        (Scale.MARKS_10, "bảy"),
        (Scale.MARKS_10, "NaN"),
        (Scale.MARKS_10, ""),
    ],
)
def test_bad_grades_are_rejected(world, scale, grade):
    record = _record_submitted(world, scale)
    with pytest.raises(services.TrainingError, match=r"grade|mark"):
        services.evaluate(record, by=world.principal, grade=grade)
    record.refresh_from_db()
    assert (record.report_status, record.grade, record.mark) == (ReportStatus.SUBMITTED, "", None)


def test_custom_scale(world):
    campaign = make_campaign(world, issuer=world.office)
    services.set_custom_scale(
        campaign, levels=[("Xuất sắc", True), ("Hoàn thành", True), ("Chưa hoàn thành", False)]
    )
    record = _record_submitted(world, campaign=campaign)
    with pytest.raises(services.TrainingError, match="Xuất sắc, Hoàn thành, Chưa hoàn thành"):
        services.evaluate(record, by=world.principal, grade="good")
    services.evaluate(record, by=world.principal, grade="Chưa hoàn thành")
    record.refresh_from_db()
    assert (record.grade, record.passed) == ("Chưa hoàn thành", False)


@pytest.mark.parametrize(
    "levels",
    [
        [("Đạt", True)],
        [("A", True), ("A", False)],
        [("A", False), ("B", True)],
        [("", True), ("B", False)],
    ],
)
def test_bad_custom_scales_are_refused(world, levels):
    campaign = make_campaign(world, issuer=world.office)
    with pytest.raises(services.TrainingError):
        services.set_custom_scale(campaign, levels=levels)
    campaign.refresh_from_db()
    assert (campaign.scale, campaign.scale_levels.count()) == (Scale.GOOD_FAIR_PASS_FAIL, 0)


def test_regrade_and_return_after_evaluation(world):
    record = _record_submitted(world, Scale.GOOD_FAIR_PASS_FAIL)
    services.evaluate(record, by=world.principal, grade="fair")
    services.evaluate(record, by=world.principal, grade="good")
    services.return_report(record, by=world.principal, comment="Viết lại kết luận.")
    record.refresh_from_db()
    assert (record.report_status, record.grade, record.passed) == (ReportStatus.RETURNED, "", None)
    services.submit_report(record, on=at(2026, 4, 3))
    services.evaluate(record, by=world.principal, grade="good")
    with pytest.raises(services.TrainingError, match="already evaluated"):
        services.grant_extension(record, until=D(2026, 5, 1), reason="x", by=world.principal)


def _record_submitted(world, scale=None, campaign=None):
    campaign = campaign or make_campaign(world, issuer=world.office, scale=scale)
    services.publish_campaign(campaign, by=world.office_officer, on=D(2025, 12, 4))
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.choose_topic(record, campaign.topics.first(), on=D(2026, 1, 1))
    services.submit_report(record, on=at(2026, 4, 1))
    return record


# --- A returned report is no longer submitted ---------------------------------------------------


def test_a_returned_report_is_not_submitted_any_more(world, chosen):
    services.submit_report(chosen, on=at(2026, 4, 1))
    services.return_report(chosen, by=world.principal, comment="Bổ sung kết luận.")
    chosen.refresh_from_db()
    assert (chosen.report_status, chosen.submitted_at) == (ReportStatus.RETURNED, None)
    assert not chosen.is_late
    assert not chosen.is_overdue(D(2026, 4, 10))
    assert chosen.is_overdue(D(2026, 4, 11))  # never resubmitted: overdue like any missing report
    # The trail keeps the first submission's time.
    assert chosen.history.filter(submitted_at=at(2026, 4, 1)).exists()


def test_the_resubmissions_time_decides_lateness(world, chosen):
    services.submit_report(chosen, on=at(2026, 4, 1))
    services.return_report(chosen, by=world.principal, comment="Viết lại phần hai.")
    services.submit_report(chosen, on=at(2026, 4, 12))
    chosen.refresh_from_db()
    assert chosen.submitted_at == at(2026, 4, 12)
    assert chosen.is_late
    assert not chosen.is_overdue(D(2026, 4, 13))


def test_an_extension_granted_when_returning_late_keeps_the_resubmission_on_time(world, chosen):
    services.submit_report(chosen, on=at(2026, 4, 9))
    services.return_report(chosen, by=world.principal, comment="Bổ sung minh chứng.")
    services.grant_extension(
        chosen, until=D(2026, 4, 20), reason="Trả lại muộn", by=world.principal
    )
    chosen.refresh_from_db()
    assert not chosen.is_overdue(D(2026, 4, 15))
    services.submit_report(chosen, on=at(2026, 4, 18))
    chosen.refresh_from_db()
    assert not chosen.is_late


def test_lateness_reads_the_status_not_only_the_time(world, chosen):
    """A report returned before this rule kept its old time: it is still neither late nor
    handed in."""
    services.submit_report(chosen, on=at(2026, 4, 12))
    services.return_report(chosen, by=world.principal, comment="Sửa lỗi chính tả.")
    Enrolment.objects.filter(pk=chosen.pk).update(submitted_at=at(2026, 4, 12))
    chosen.refresh_from_db()
    assert chosen.report_status == ReportStatus.RETURNED
    assert not chosen.is_late
    assert chosen.is_overdue(D(2026, 4, 13))
