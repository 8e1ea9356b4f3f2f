"""The daily reminders: before milestones and deadlines to those who have not done it, escalations
after deadlines, each sent once however often the run happens.

The campaign is the 2458 letter of conftest: topics are chosen before 15/01/2026 (the optional
part starts), the report is due 10/04/2026 at school, the offices report by 20/04/2026; reminders
7 and 1 days before. It reaches the librarian and the teacher-librarian of school A1 (office A),
the THPT librarian (directly under the Sở) and the outsider (school X, office B)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.training.conftest import at
from thuvien.notifications.models import Notification
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Membership, Role
from thuvien.training import services
from thuvien.training.models import Enrolment, UnitReport, UnitReportStatus
from thuvien.training.services.reminders import send_reminders
from thuvien.training.tasks import send_training_reminders

D = dt.date


@pytest.fixture(autouse=True)
def _notifications_in_english(settings):
    """Notifications are written in the site's language; these tests read the English ids."""
    settings.LANGUAGE_CODE = "en"


EVERYONE = ["gvkiemnhiem", "ngoai", "thuvien", "thuvien_thpt"]


def sent(campaign, kind):
    """{(recipient username, subject)} of the campaign's notifications of one kind."""
    rows = Notification.objects.filter(key__startswith=f"training:{campaign.pk}:", kind=kind)
    return {(row.recipient.username, row.subject) for row in rows}


def who(campaign, kind):
    return sorted(username for username, _subject in sent(campaign, kind))


def of_campaign(campaign):
    return Notification.objects.filter(key__startswith=f"training:{campaign.pk}:")


def record(campaign, user):
    return Enrolment.objects.get(campaign=campaign, user=user)


def choose(campaign, user):
    services.choose_topic(record(campaign, user), campaign.topics.first(), on=D(2026, 1, 2))


def submit(campaign, user, on=None):
    choose(campaign, user)
    return services.submit_report(record(campaign, user), on=on or at(2026, 4, 2))


def test_before_the_topic_milestone_only_people_without_a_topic(world, published):
    choose(published, world.librarian)
    send_reminders(today=D(2026, 1, 8))  # 7 days before the optional part starts
    assert who(published, "training.topic") == ["gvkiemnhiem", "ngoai", "thuvien_thpt"]
    assert ("ngoai", "Choose your self-training topic before 15/01/2026 (7 days left)") in sent(
        published, "training.topic"
    )
    choose(published, world.teacher_librarian)
    send_reminders(today=D(2026, 1, 14))  # the 1-day reminder: the teacher-librarian chose
    topic = of_campaign(published).filter(kind="training.topic")
    assert sorted(
        topic.filter(key__endswith=":1").values_list("recipient__username", flat=True)
    ) == [
        "ngoai",
        "thuvien_thpt",
    ]


def test_before_a_study_milestone_only_people_without_a_note_in_it(world, published):
    services.add_study_note(
        record(published, world.librarian),
        date=D(2025, 12, 20),
        content="Đọc chương 1",
        hours=Decimal(2),
    )
    services.add_study_note(  # dated before the milestone: does not count
        record(published, world.thpt_librarian),
        date=D(2025, 12, 10),
        content="Đọc trước",
        hours=Decimal(1),
    )
    send_reminders(today=D(2026, 1, 7))  # month 1 ends 14/01/2026
    assert who(published, "training.notes") == ["gvkiemnhiem", "ngoai", "thuvien_thpt"]
    subjects = {subject for _user, subject in sent(published, "training.notes")}
    assert subjects == {
        "Milestone “Nghiên cứu nội dung phần chung” ends on 14/01/2026 (7 days left)"
    }


def test_before_the_deadline_only_those_who_have_not_submitted(world, published):
    submit(published, world.librarian)
    run = send_reminders(today=D(2026, 4, 3))
    assert who(published, "training.report") == ["gvkiemnhiem", "ngoai", "thuvien_thpt"]
    assert (
        "ngoai",
        "Your self-training report is due on 10/04/2026 (7 days left)",
    ) in sent(published, "training.report")
    assert run.sent["training.report"] >= 3  # the world's own campaign reminds too
    submit(published, world.thpt_librarian, on=at(2026, 4, 5))
    send_reminders(today=D(2026, 4, 9))
    last_day = of_campaign(published).filter(kind="training.report", key__endswith=":1")
    assert sorted(last_day.values_list("recipient__username", flat=True)) == [
        "gvkiemnhiem",
        "ngoai",
    ]


def test_a_rerun_sends_nothing_twice(world, published):
    send_reminders(today=D(2026, 4, 3))
    count = of_campaign(published).count()
    assert count > 0
    again = send_reminders(today=D(2026, 4, 3))
    later = send_reminders(today=D(2026, 4, 4))  # still the 7-day window: nothing new
    assert of_campaign(published).count() == count
    assert again.total == 0 and later.total == 0


def test_a_missed_day_is_caught_up_once(world, published):
    send_reminders(today=D(2026, 4, 5))  # the timer did not run on 03/04 and 04/04
    assert who(published, "training.report") == EVERYONE
    send_reminders(today=D(2026, 4, 6))
    assert of_campaign(published).filter(kind="training.report").count() == 4


def test_an_extension_moves_the_persons_reminders(world, published):
    services.grant_extension(
        record(published, world.teacher_librarian),
        until=D(2026, 4, 30),
        reason="Ốm",
        by=world.principal,
    )
    send_reminders(today=D(2026, 4, 3))
    assert "gvkiemnhiem" not in who(published, "training.report")
    send_reminders(today=D(2026, 4, 11))  # the school deadline passed: not for them
    assert "Đặng Thị Thư" in str(sent(published, "training.overdue"))
    assert "Bùi Văn Kiêm" not in str(sent(published, "training.overdue"))
    send_reminders(today=D(2026, 4, 23))
    assert (
        "gvkiemnhiem",
        "Your self-training report is due on 30/04/2026 (7 days left)",
    ) in sent(published, "training.report")
    send_reminders(today=D(2026, 5, 1))
    assert ("hieutruong", "Bùi Văn Kiêm has not submitted the self-training report") in sent(
        published, "training.overdue"
    )


def test_an_overdue_person_is_escalated_to_the_principal_once(world, published):
    submit(published, world.librarian)
    assert send_reminders(today=D(2026, 4, 10)).sent["training.overdue"] == 0  # not yet
    send_reminders(today=D(2026, 4, 11))
    send_reminders(today=D(2026, 4, 12))
    principal = of_campaign(published).filter(kind="training.overdue", recipient=world.principal)
    assert [row.subject for row in principal] == [
        "Bùi Văn Kiêm has not submitted the self-training report"
    ]
    assert principal.get().url == f"/training/school/{published.pk}/"
    # School X and the THPT school have no principal in the world: nobody else hears of it.
    assert who(published, "training.overdue") == ["hieutruong"]


def test_a_school_without_a_package_is_escalated_to_its_office_once(world, published):
    send_reminders(today=D(2026, 4, 10))
    assert who(published, "training.package_missing") == []
    send_reminders(today=D(2026, 4, 11))
    send_reminders(today=D(2026, 4, 12))
    rows = sent(published, "training.package_missing")
    assert (
        "phong_canbo",
        "Trường Tiểu học Nguyễn Du has not sent its self-training package",
    ) in rows
    assert ("phong_b", "Trường THCS Ngoaivi has not sent its self-training package") in rows
    by_officer = of_campaign(published).filter(recipient=world.office_officer)
    assert by_officer.filter(kind="training.package_missing").count() == 1  # school A2 has nobody


def test_the_thpt_school_escalates_to_the_department(world, published):
    submit(published, world.librarian)
    send_reminders(today=D(2026, 4, 11))
    rows = sent(published, "training.package_missing")
    thpt = "Trường THPT Nguyễn Đình Chiểu has not sent its self-training package"
    assert {user for user, subject in rows if subject == thpt} == {"so_admin", "so_canbo"}
    assert not {subject for user, subject in rows if user == "phong_canbo"} - {
        "Trường Tiểu học Nguyễn Du has not sent its self-training package"
    }


def test_a_school_that_sent_its_package_is_not_escalated(world, published):
    submit(published, world.thpt_librarian)
    services.evaluate(record(published, world.thpt_librarian), by=world.dept_admin, grade="good")
    services.submit_school_package(
        published, world.thpt, by=world.thpt_librarian, summary="Đã xong", on=at(2026, 4, 9)
    )
    send_reminders(today=D(2026, 4, 11))
    assert (
        not of_campaign(published)
        .filter(kind="training.package_missing", recipient=world.dept_admin)
        .exists()
    )


def test_offices_are_reminded_of_their_report_until_it_is_sent(world, published):
    UnitReport.objects.create(
        campaign=published,
        unit=world.office_b,
        status=UnitReportStatus.SUBMITTED,
        submitted_to=world.department,
    )
    send_reminders(today=D(2026, 4, 13))  # 7 days before 20/04/2026
    assert sent(published, "training.office_report") == {
        ("phong_canbo", "The aggregate self-training report is due on 20/04/2026 (7 days left)")
    }
    send_reminders(today=D(2026, 4, 13))
    assert of_campaign(published).filter(kind="training.office_report").count() == 1


def test_a_closed_campaign_sends_nothing(world, published):
    services.close_campaign(published, by=world.dept_admin)
    before = of_campaign(published).count()  # the enrolment notices of publishing
    for day in (D(2026, 1, 8), D(2026, 4, 3), D(2026, 4, 11), D(2026, 4, 13)):
        send_reminders(today=day)
    assert of_campaign(published).count() == before


def test_a_person_who_left_hears_nothing(world, published):
    membership = Membership.objects.get(user=world.teacher_librarian, role=Role.TEACHER_LIBRARIAN)
    organisations.end_membership(membership, on=D(2026, 3, 31))
    send_reminders(today=D(2026, 4, 3))
    assert record(published, world.teacher_librarian).left_on == D(2026, 4, 3)
    assert "gvkiemnhiem" not in who(published, "training.report")
    send_reminders(today=D(2026, 4, 11))
    assert "Bùi Văn Kiêm" not in str(sent(published, "training.overdue"))


def test_publishing_tells_each_enrolled_person_once(world, campaign):
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 5))  # double click
    assert who(campaign, "training.enrolled") == EVERYONE
    notice = of_campaign(campaign).get(recipient=world.librarian)
    assert notice.url == f"/training/records/{record(campaign, world.librarian).pk}/"
    assert "10/04/2026" in notice.body


def test_people_appointed_later_are_enrolled_by_the_run_and_told(world, published):
    newcomer = organisations.add_membership(
        world.principal_a2, world.school_a2, Role.LIBRARIAN, valid_from=D(2026, 2, 1)
    ).user
    run = send_reminders(today=D(2026, 2, 2))
    assert record(published, newcomer).enrolled_on == D(2026, 2, 2)
    assert run.enrolled == 1
    assert "hieutruong_a2" in who(published, "training.enrolled")
    assert len(who(published, "training.enrolled")) == 5


def test_the_task_and_the_command_run_the_same_reminders(world, published, capsys):
    assert send_training_reminders.call("2026-04-03")["training.report"] >= 4
    call_command("send_training_reminders", "--date", "2026-04-03")
    assert "Reminders sent (0 notifications)" in capsys.readouterr().out
    assert who(published, "training.report") == EVERYONE


# --- Study notes are asked for in the study months only ------------------------------------------


def test_notes_are_asked_for_the_study_milestones_the_topic_lock_one_included(world, published):
    """Months 1 and 2 are study (month 2, the optional part, locks the topic choice); months 3
    and 4 (the guidance, writing the report) are not: nobody is asked for notes then."""
    send_reminders(today=D(2026, 2, 7))  # 7 days before month 2 ends on 14/02/2026
    assert who(published, "training.notes") == EVERYONE
    assert {subject for _user, subject in sent(published, "training.notes")} == {
        "Milestone “Nghiên cứu nội dung tự chọn” ends on 14/02/2026 (7 days left)"
    }
    before = of_campaign(published).filter(kind="training.notes").count()
    for day in (D(2026, 3, 7), D(2026, 3, 13), D(2026, 3, 24), D(2026, 3, 30)):
        send_reminders(today=day)  # month 3 ends 14/03, month 4 ends 31/03
    assert of_campaign(published).filter(kind="training.notes").count() == before


def test_without_a_topic_lock_milestone_every_milestone_but_the_last_is_study(world):
    campaign = services.create_campaign(
        world.department, by=world.dept_admin, subject="Không có phần tự chọn", school_year=2025,
        roles=[Role.LIBRARIAN], school_deadline=D(2026, 4, 10),
    )  # fmt: skip
    services.add_milestone(campaign, name="Tháng 1", start=D(2026, 1, 1), end=D(2026, 1, 31))
    services.add_milestone(campaign, name="Tháng 2", start=D(2026, 2, 1), end=D(2026, 2, 28))
    services.add_milestone(campaign, name="Nộp bài", start=D(2026, 4, 1), end=D(2026, 4, 10))
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    for day in (D(2026, 1, 30), D(2026, 2, 27), D(2026, 4, 9)):
        send_reminders(today=day)
    assert {subject for _user, subject in sent(campaign, "training.notes")} == {
        "Milestone “Tháng 1” ends on 31/01/2026 (1 day left)",
        "Milestone “Tháng 2” ends on 28/02/2026 (1 day left)",
    }


# --- A returned report is not handed in -----------------------------------------------------------


def test_a_returned_report_is_reminded_and_escalated_until_resubmitted(world, published):
    submit(published, world.librarian, on=at(2026, 4, 1))
    services.return_report(
        record(published, world.librarian), by=world.principal, comment="Bổ sung kết luận."
    )
    send_reminders(today=D(2026, 4, 9))
    assert "thuvien" in who(published, "training.report")
    send_reminders(today=D(2026, 4, 11))
    assert ("hieutruong", "Đặng Thị Thư has not submitted the self-training report") in sent(
        published, "training.overdue"
    )


def test_a_resubmitted_report_is_not_escalated(world, published):
    submit(published, world.librarian, on=at(2026, 4, 1))
    services.return_report(
        record(published, world.librarian), by=world.principal, comment="Bổ sung kết luận."
    )
    services.submit_report(record(published, world.librarian), on=at(2026, 4, 8))
    send_reminders(today=D(2026, 4, 9))
    send_reminders(today=D(2026, 4, 11))
    assert "thuvien" not in who(published, "training.report")
    assert "Đặng Thị Thư" not in str(sent(published, "training.overdue"))


# --- A person who moved is reminded, and escalated, at the new school -----------------------------


def test_a_moved_person_is_escalated_to_the_new_schools_principal(world, published):
    membership = Membership.objects.get(user=world.librarian, role=Role.LIBRARIAN)
    organisations.end_membership(membership, on=D(2026, 1, 31))
    organisations.add_membership(
        world.librarian, world.school_a2, Role.LIBRARIAN, valid_from=D(2026, 2, 1)
    )
    send_reminders(today=D(2026, 4, 3))
    assert record(published, world.librarian).school == world.school_a2
    assert "thuvien" in who(published, "training.report")
    send_reminders(today=D(2026, 4, 11))
    overdue = sent(published, "training.overdue")
    assert ("hieutruong_a2", "Đặng Thị Thư has not submitted the self-training report") in overdue
    assert ("hieutruong", "Đặng Thị Thư has not submitted the self-training report") not in overdue
