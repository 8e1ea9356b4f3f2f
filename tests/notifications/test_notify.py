"""notify: one row per (recipient, key), e-mailed once by the task, nothing on rollback."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from thuvien.notifications import services
from thuvien.notifications.models import Notification
from thuvien.notifications.tasks import send_notification_emails

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, world):
    settings.TASKS = IMMEDIATE
    Notification.objects.all().delete()  # the world's campaign announced itself


def send(recipients, key="k:1", **extra):
    values = {"kind": "test", "subject": "Nhắc việc", "body": "Nội dung", "url": "/training/"}
    return services.notify(recipients, key=key, **{**values, **extra})


def test_notify_writes_one_row_per_recipient(world):
    assert send([world.librarian, world.principal.pk]) == 2
    rows = Notification.objects.order_by("recipient__username")
    assert [(n.recipient, n.subject, n.url, n.key) for n in rows] == [
        (world.principal, "Nhắc việc", "/training/", "k:1"),
        (world.librarian, "Nhắc việc", "/training/", "k:1"),
    ]
    assert all(n.read_at is None and n.emailed_at is None for n in rows)


def test_the_same_key_is_sent_once_per_recipient(world):
    send([world.librarian])
    assert send([world.librarian, world.principal, world.principal]) == 1
    assert send([world.librarian, world.principal]) == 0
    assert Notification.objects.filter(recipient=world.principal).count() == 1
    assert send([world.librarian], key="k:2") == 1  # another event
    assert Notification.objects.filter(recipient=world.librarian).count() == 2


def test_without_a_key_every_call_writes(world):
    assert send([world.librarian], key=None) == 1
    assert send([world.librarian], key=None) == 1
    assert Notification.objects.filter(key="").count() == 2


def test_the_database_refuses_a_repeated_key(world):
    send([world.librarian])
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=world.librarian, kind="x", subject="x", key="k:1")


def test_the_task_emails_each_notification_once(world, django_capture_on_commit_callbacks):
    world.principal.email = ""
    world.principal.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send([world.librarian, world.principal, world.teacher_librarian])
    assert len(callbacks) == 1  # one task for the whole batch
    assert sorted(message.to[0] for message in mail.outbox) == [
        world.teacher_librarian.email,
        world.librarian.email,
    ]
    message = mail.outbox[0]
    assert message.subject == "Nhắc việc"
    assert "Nội dung" in message.body and "http://127.0.0.1:8000/training/" in message.body
    emailed = Notification.objects.exclude(emailed_at=None)
    assert set(emailed.values_list("recipient", flat=True)) == {
        world.librarian.pk,
        world.teacher_librarian.pk,
    }
    assert send_notification_emails.call() == 0  # a second run finds nothing to send
    assert len(mail.outbox) == 2


def test_email_false_writes_without_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send([world.librarian], email=False)
    assert callbacks == [] and mail.outbox == []
    assert send_notification_emails.call() == 0
    assert Notification.objects.get().by_email is False


def test_nothing_is_written_or_mailed_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([world.librarian])
        raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_failed_send_releases_the_batch(world, settings):
    send([world.librarian], email=False)
    Notification.objects.update(by_email=True)
    settings.EMAIL_BACKEND = "tests.notifications.test_notify.BrokenBackend"
    with pytest.raises(ConnectionError):
        send_notification_emails.call()
    assert Notification.objects.get().emailed_at is None  # tried again next time
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_emails.call() == 1


class BrokenBackend:
    def __init__(self, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise ConnectionError("SMTP is down")


def test_mark_read_and_mark_all_read(world):
    send([world.librarian])
    send([world.librarian], key="k:2")
    send([world.principal])
    first = Notification.objects.filter(recipient=world.librarian).first()
    services.mark_read(first)
    first.refresh_from_db()
    assert first.read_at is not None
    assert services.mark_all_read(world.librarian) == 1
    assert not Notification.objects.filter(recipient=world.librarian, read_at=None).exists()
    assert Notification.objects.get(recipient=world.principal).read_at is None
