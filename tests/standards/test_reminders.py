"""The self-assessment reminders: who is told on which days, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from thuvien.notifications.models import Notification
from thuvien.standards import services
from thuvien.standards.services.reminders import send_reminders

CLOSES = dt.date(2026, 5, 31)


@pytest.fixture
def window(world, tt16):
    window = services.open_window(
        world.department,
        framework_version=tt16,
        year=2025,
        title="Tự đánh giá thư viện 2025–2026",
        opens_on=dt.date(2026, 5, 1),
        closes_on=CLOSES,
    )
    during = timezone.make_aware(dt.datetime(2026, 5, 20, 9))
    a2 = services.start_assessment(window, world.school_a2)
    services.submit(a2, by=world.principal_a2, on=during)  # waits for the principal
    thpt = services.start_assessment(window, world.thpt)
    services.submit(thpt, by=world.thpt_librarian, on=during)
    services.approve(thpt, by=None, on=during)  # sent: nothing left for the school to do
    return window


def told(kind: str) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_week_before_the_close_each_school_hears_what_is_left_to_do(world, window):
    sent = send_reminders(today=CLOSES - dt.timedelta(days=7))
    assert told("standards.prepare_reminder") == {
        world.librarian.username,
        world.teacher_librarian.username,
        world.outsider.username,  # school X, office B: in the Sở's window too
    }
    assert told("standards.approve_reminder") == {world.principal_a2.username}
    assert sent["standards.prepare_reminder"] == 3 and sent["standards.approve_reminder"] == 1
    assert sum(send_reminders(today=CLOSES - dt.timedelta(days=7)).values()) == 0  # not twice


def test_other_days_send_nothing(world, window):
    for day in (CLOSES - dt.timedelta(days=5), CLOSES + dt.timedelta(days=1)):
        assert sum(send_reminders(today=day).values()) == 0


def test_the_command_runs_the_day(world, window, capsys):
    call_command("send_standards_reminders", date=(CLOSES - dt.timedelta(days=1)).isoformat())
    assert "Reminders sent (4 notifications)" in capsys.readouterr().out
