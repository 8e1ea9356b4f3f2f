"""Every reminder reads alike at 7 days and at 1 day (issue 9): the topic, the study notes, the
report and the office's aggregate report each name the step, the date and the days left, the
two differing only in the count; and an inactive officer or principal hears of nothing (the
deactivated person's own reminders and escalations: tests/notifications/test_right_people.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from thuvien.notifications.models import Notification
from thuvien.training.services.reminders import send_reminders

D = dt.date


def notices(campaign, kind, user):
    rows = Notification.objects.filter(
        kind=kind, recipient=user, key__startswith=f"training:{campaign.pk}:"
    )
    return list(rows.order_by("created_at", "pk"))


def assert_alike(week, day, *, step, date):
    for notice, left in ((week, "7 days left"), (day, "1 day left")):
        assert step in notice.body and date in notice.body and left in notice.body
        assert date in notice.subject and left in notice.subject
    assert week.body.replace("7 days", "N") == day.body.replace("1 day", "N")
    assert week.subject.replace("7 days", "N") == day.subject.replace("1 day", "N")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # the run writes in the site's language: compare in English


def test_the_topic_reminders_read_alike(world, published):
    send_reminders(today=D(2026, 1, 8))  # the topic lock starts 15/01/2026
    send_reminders(today=D(2026, 1, 14))
    week, day = notices(published, "training.topic", world.librarian)
    assert_alike(week, day, step="“Nghiên cứu nội dung tự chọn”", date="15/01/2026")


def test_the_study_note_reminders_read_alike(world, published):
    send_reminders(today=D(2026, 1, 7))  # the first milestone ends 14/01/2026
    send_reminders(today=D(2026, 1, 13))
    week, day = notices(published, "training.notes", world.librarian)
    assert_alike(week, day, step="“Nghiên cứu nội dung phần chung”", date="14/01/2026")


def test_the_office_report_reminders_read_alike(world, published):
    send_reminders(today=D(2026, 4, 13))  # the office deadline is 20/04/2026
    send_reminders(today=D(2026, 4, 19))
    week, day = notices(published, "training.office_report", world.office_officer)
    assert_alike(week, day, step="aggregate report", date="20/04/2026")


def deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_an_inactive_officer_hears_nothing_and_the_active_one_does(world, published):
    deactivate(world.office_officer)
    send_reminders(today=D(2026, 4, 13))
    assert notices(published, "training.office_report", world.office_officer) == []
    send_reminders(today=D(2026, 4, 11))  # the school deadline has passed: escalations
    assert Notification.objects.filter(recipient=world.office_officer).count() == 0


def test_an_inactive_principal_is_sent_no_escalation(world, published):
    deactivate(world.principal)
    send_reminders(today=D(2026, 4, 11))  # the day after the school deadline
    assert Notification.objects.filter(recipient=world.principal).count() == 0
