"""E-mail that reaches the right people and reads right: nobody deactivated receives anything, is
enrolled, invited, reminded or escalated about; every message is marked automatic and links to
SITE_URL (notifications, the password-reset e-mail, the staff invitation)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.training.conftest import PUBLISHED_ON, make_campaign
from thuvien.accounts.tasks import send_invitations
from thuvien.events.models import Event, Registration
from thuvien.events.services import EventError, organising, registrations
from thuvien.notifications import services
from thuvien.notifications.models import Notification
from thuvien.notifications.tasks import send_notification_emails
from thuvien.training import services as training
from thuvien.training.models import Enrolment
from thuvien.training.services.reminders import send_reminders

SITE = "https://thuvien.example.gov.vn"
D = dt.date


@pytest.fixture(autouse=True)
def _site(settings, world):
    settings.SITE_URL = SITE
    settings.LANGUAGE_CODE = "en"
    Notification.objects.all().delete()  # the world's campaign announced itself


def deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def links(text):
    return re.findall(r"https?://\S+", text)


# --- Deactivated accounts -----------------------------------------------------------------------


def test_a_deactivated_account_is_notified_of_nothing(world):
    deactivate(world.principal)
    written = services.notify(
        [world.librarian, world.principal], kind="t", subject="S", body="B", url="/", key="k"
    )
    assert written == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.librarian.pk]


def test_an_account_deactivated_after_the_notice_is_not_e_mailed(world):
    services.notify([world.librarian], kind="t", subject="S", body="B", url="/training/")
    deactivate(world.librarian)
    mail.outbox.clear()
    assert send_notification_emails.call() == 0
    assert mail.outbox == []


def test_a_deactivated_person_is_not_enrolled_in_a_new_campaign(world):
    deactivate(world.teacher_librarian)
    campaign = make_campaign(world)
    training.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    enrolled = set(Enrolment.objects.filter(campaign=campaign).values_list("user", flat=True))
    assert world.librarian.pk in enrolled
    assert world.teacher_librarian.pk not in enrolled


def test_a_deactivated_person_is_neither_reminded_nor_escalated_about(world):
    campaign = make_campaign(world)
    training.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    deactivate(world.teacher_librarian)
    send_reminders(today=D(2026, 4, 3))  # 7 days before the school deadline
    reminded = set(
        Notification.objects.filter(kind="training.report").values_list("recipient", flat=True)
    )
    assert world.librarian.pk in reminded and world.teacher_librarian.pk not in reminded
    send_reminders(today=D(2026, 4, 11))  # the deadline passed: the principal hears of the others
    overdue = Notification.objects.filter(
        kind="training.overdue",
        recipient=world.principal,
        key__startswith=f"training:{campaign.pk}:",
    )
    assert [row.subject for row in overdue] == [
        f"{world.librarian.full_name} has not submitted the self-training report"
    ]
    # ... and the deactivated person's record no longer counts: the first run marked it left.
    record = Enrolment.objects.get(campaign=campaign, user=world.teacher_librarian)
    assert record.left_on == D(2026, 4, 3)


def test_a_deactivated_person_is_not_invited_to_an_event(world):
    event = Event.objects.get(organiser=world.partner)
    with pytest.raises(EventError, match="deactivated"):
        deactivate(world.teacher_librarian)
        organising.invite_people(event, [world.teacher_librarian], by=world.trainer)
    assert organising.school_membership(world.teacher_librarian, D(2025, 11, 1)) is None
    assert world.teacher_librarian.pk not in organising.targeted_memberships(event, D(2025, 11, 1))
    with pytest.raises(EventError, match="deactivated"):
        registrations.nominate(event, world.teacher_librarian, by=world.principal)
    assert not Registration.objects.filter(event=event, user=world.teacher_librarian).exists()


# --- Automatic, and linked to SITE_URL ----------------------------------------------------------


def test_a_notification_e_mail_is_automatic_and_links_to_the_site(world):
    services.notify([world.librarian], kind="t", subject="Nhắc  việc\n", body="B", url="/training/")
    mail.outbox.clear()
    assert send_notification_emails.call() == 1
    [message] = mail.outbox
    assert message.subject == "Nhắc việc"
    assert message.message()["Auto-Submitted"] == "auto-generated"
    assert f"{SITE}/training/" in links(message.body)
    assert all(link.startswith(SITE) for link in links(message.body))


def test_the_password_reset_link_is_on_the_site_url_not_the_requests_host(client, world, settings):
    settings.ALLOWED_HOSTS = ["testserver", "thuvien.internal"]  # another name of the server
    mail.outbox.clear()
    response = client.post(
        reverse("accounts:password_reset"),
        {"email": world.librarian.email},
        HTTP_HOST="thuvien.internal",
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.message()["Auto-Submitted"] == "auto-generated"
    found = links(message.body)
    assert found and all(link.startswith(f"{SITE}/") for link in found)
    assert "thuvien.internal" not in message.body
    # The link works: it opens the page to choose a new password.
    path = found[0].removeprefix(SITE)
    assert client.get(path, follow=True).status_code == 200


def test_a_deactivated_account_gets_no_password_reset(client, world):
    deactivate(world.librarian)
    mail.outbox.clear()
    client.post(reverse("accounts:password_reset"), {"email": world.librarian.email})
    assert mail.outbox == []


def test_the_staff_invitation_is_automatic_and_on_the_site_url(world):
    world.librarian.set_unusable_password()
    world.librarian.save()
    mail.outbox.clear()
    assert send_invitations.call([world.librarian.pk]) == 1
    [message] = mail.outbox
    assert message.message()["Auto-Submitted"] == "auto-generated"
    assert links(message.body) and all(link.startswith(SITE) for link in links(message.body))


# --- The reminders read alike ---------------------------------------------------------------------


def test_the_7_day_and_the_1_day_reminder_name_step_date_and_days_left(world):
    campaign = make_campaign(world)
    training.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    send_reminders(today=D(2026, 4, 3))
    send_reminders(today=D(2026, 4, 9))
    rows = Notification.objects.filter(
        kind="training.report",
        recipient=world.librarian,
        key__startswith=f"training:{campaign.pk}:",
    ).order_by("created_at", "pk")
    week, day = rows
    assert week.subject == "Your self-training report is due on 10/04/2026 (7 days left)"
    assert day.subject == "Your self-training report is due on 10/04/2026 (1 day left)"
    step = "“Nộp bài thu hoạch”"  # the campaign's last milestone
    for notice, left in ((week, "7 days left"), (day, "1 day left")):
        assert step in notice.body and "10/04/2026" in notice.body and left in notice.body
    assert week.body.replace("7 days", "N") == day.body.replace("1 day", "N")


def test_on_the_day_itself_the_reminder_says_it_is_the_last_day(world):
    campaign = make_campaign(world, reminder_days="7,0")
    training.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    send_reminders(today=D(2026, 4, 10))
    notice = Notification.objects.filter(
        kind="training.report",
        recipient=world.librarian,
        key__startswith=f"training:{campaign.pk}:",
    ).get()
    assert (
        notice.subject == "Your self-training report is due on 10/04/2026 (today is the last day)"
    )
