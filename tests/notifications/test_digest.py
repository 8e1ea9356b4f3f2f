"""A person may choose one e-mail a day listing their notifications instead of one e-mail each:
ticked on the profile page, sent by `manage.py send_notification_digest`, at most once per person
and day, marked automatic, every link on SITE_URL."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from thuvien.notifications import services
from thuvien.notifications.models import Digest, Notification
from thuvien.notifications.tasks import send_notification_digest, send_notification_emails

SITE = "https://thuvien.example.gov.vn"


@pytest.fixture(autouse=True)
def _site(settings, world):
    settings.SITE_URL = SITE
    settings.LANGUAGE_CODE = "en"
    Notification.objects.all().delete()  # the world's campaign announced itself


@pytest.fixture
def digest_reader(world):
    world.librarian.email_digest = True
    world.librarian.save(update_fields=["email_digest"])
    return world.librarian


def tell(user, key, subject="Nhắc việc", url="/training/"):
    services.notify([user], kind="t", subject=subject, body="Nội dung", url=url, key=key)


def test_the_profile_page_offers_the_digest_and_saves_it(client_for, world):
    client = client_for(world.librarian)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'type="checkbox" name="email_digest"' in page
    data = {
        "full_name": world.librarian.full_name,
        "email": world.librarian.email,
        "phone": "",
        "qualification": world.librarian.qualification,
        "email_digest": "on",
    }
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    world.librarian.refresh_from_db()
    assert world.librarian.email_digest is True
    del data["email_digest"]
    client.post(reverse("accounts:profile"), data)
    world.librarian.refresh_from_db()
    assert world.librarian.email_digest is False


def test_a_digest_reader_gets_no_e_mail_per_notification(world, digest_reader):
    tell(digest_reader, "k:1")
    tell(world.principal, "k:1")
    mail.outbox.clear()
    assert send_notification_emails.call() == 1
    assert [message.to for message in mail.outbox] == [[world.principal.email]]
    # Still in the app at once.
    assert Notification.objects.filter(recipient=digest_reader).count() == 1


def test_the_digest_lists_every_waiting_notification_in_one_e_mail(world, digest_reader):
    tell(digest_reader, "k:1", subject="Hạn nộp bài thu hoạch")
    tell(digest_reader, "k:2", subject="Gói hồ sơ đã được tiếp nhận", url="/training/school/1/")
    tell(world.principal, "k:1")  # not a digest reader: not in anybody's digest
    mail.outbox.clear()
    assert send_notification_digest.call("2026-04-03") == 1
    [message] = mail.outbox
    assert message.to == [digest_reader.email]
    assert message.subject == "ThuVien: 2 notifications on 03/04/2026"
    assert message.message()["Auto-Submitted"] == "auto-generated"
    body = message.body
    assert body.index("Hạn nộp bài thu hoạch") < body.index("Gói hồ sơ đã được tiếp nhận")
    links = re.findall(r"https?://\S+", body)
    assert f"{SITE}/training/" in links and f"{SITE}/training/school/1/" in links
    assert f"{SITE}/notifications/" in links
    assert all(link == SITE or link.startswith(f"{SITE}/") for link in links)
    assert Digest.objects.get(recipient=digest_reader, day="2026-04-03").count == 2


def test_one_digest_a_day_however_often_it_runs(world, digest_reader):
    tell(digest_reader, "k:1")
    mail.outbox.clear()
    assert send_notification_digest.call("2026-04-03") == 1
    tell(digest_reader, "k:2")  # arrives later the same day
    assert send_notification_digest.call("2026-04-03") == 0
    assert len(mail.outbox) == 1
    # The next day's digest carries it, and only it.
    assert send_notification_digest.call("2026-04-04") == 1
    assert "1 notification on 04/04/2026" in mail.outbox[1].subject


def test_nothing_waiting_sends_no_digest_and_keeps_the_day_free(world, digest_reader):
    mail.outbox.clear()
    assert send_notification_digest.call("2026-04-03") == 0
    assert not Digest.objects.filter(recipient=digest_reader, day="2026-04-03").exists()
    tell(digest_reader, "k:1")
    assert send_notification_digest.call("2026-04-03") == 1


def test_a_deactivated_digest_reader_gets_no_digest(world, digest_reader):
    tell(digest_reader, "k:1")
    digest_reader.is_active = False
    digest_reader.save(update_fields=["is_active"])
    mail.outbox.clear()
    assert send_notification_digest.call("2026-04-03") == 0
    assert mail.outbox == []


def test_a_failed_digest_is_sent_again_by_the_next_run(world, digest_reader, settings):
    tell(digest_reader, "k:1")
    settings.EMAIL_BACKEND = "tests.notifications.test_digest.FailingBackend"
    with pytest.raises(OSError):
        send_notification_digest.call("2026-04-03")
    assert not Digest.objects.filter(day="2026-04-03").exists()
    assert Notification.objects.get(recipient=digest_reader).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert send_notification_digest.call("2026-04-03") == 1


def test_the_command_sends_the_digest(world, digest_reader):
    tell(digest_reader, "k:1")
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_notification_digest", "--date", "2026-04-03", stdout=out)
    assert len(mail.outbox) == 1 and "Digests sent: 1." in out.getvalue()
    call_command("send_notification_digest", "--date", "2026-04-03", stdout=out)
    assert len(mail.outbox) == 1


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")
