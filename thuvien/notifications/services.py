"""Notify people (in the app, and by e-mail through the task worker) and mark notifications read.

`notify` is what other apps call. Notifications are written in the caller's transaction, so a
rolled-back change announces nothing; the e-mails are queued only once that transaction commits.
Nobody whose account is deactivated is notified of anything (the message is dropped here, once
for every caller). A person who chose the daily digest gets no e-mail per notification: the
notifications wait for `tasks.send_notification_digest`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from thuvien.notifications.models import Notification
from thuvien.notifications.tasks import send_notification_emails

CHUNK = 500


@dataclass(frozen=True)
class Message:
    """One notification to write: `recipient` is a user or a user id."""

    recipient: Any
    kind: str
    subject: str
    body: str = ""
    url: str = ""
    key: str = ""

    @property
    def recipient_id(self) -> int:
        return int(getattr(self.recipient, "pk", self.recipient))


def notify(
    recipients: Iterable[Any],
    *,
    kind: str,
    subject: str,
    body: str,
    url: str,
    key: str | None = None,
    email: bool = True,
) -> int:
    """The same message to each recipient (users or user ids); returns how many were written.

    With a `key`, a recipient who already has a notification with that key gets nothing."""
    messages = [Message(user, kind, subject, body, url, key or "") for user in recipients]
    return len(deliver(messages, email=email))


@transaction.atomic
def deliver(messages: Sequence[Message], *, email: bool = True) -> list[Message]:
    """Write many notifications at once, skipping keys already sent and deactivated accounts, then
    queue ONE e-mail task; returns the messages written."""
    fresh = _not_sent_yet(_to_active_accounts(messages))
    rows = [
        Notification(
            recipient_id=message.recipient_id,
            kind=message.kind,
            subject=message.subject[:255],
            body=message.body,
            url=message.url,
            key=message.key,
            by_email=email,
        )
        for message in fresh
    ]
    # ignore_conflicts: a concurrent run that wrote the same key first wins, quietly.
    Notification.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    if rows and email:
        transaction.on_commit(send_notification_emails.enqueue)
    return fresh


def _to_active_accounts(messages: Sequence[Message]) -> list[Message]:
    """The messages whose recipient's account is active (one query per CHUNK recipients)."""
    ids = sorted({message.recipient_id for message in messages})
    active: set[int] = set()
    users = get_user_model().objects
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        active.update(users.filter(pk__in=chunk, is_active=True).values_list("pk", flat=True))
    return [message for message in messages if message.recipient_id in active]


def _not_sent_yet(messages: Sequence[Message]) -> list[Message]:
    """The messages without a (recipient, key) already stored or repeated earlier in the batch."""
    keys = {message.key for message in messages if message.key}
    sent: set[tuple[int, str]] = set()
    ordered = sorted(keys)
    for chunk in (ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)):
        sent.update(Notification.objects.filter(key__in=chunk).values_list("recipient_id", "key"))
    fresh = []
    for message in messages:
        pair = (message.recipient_id, message.key)
        if message.key and pair in sent:
            continue
        sent.add(pair)
        fresh.append(message)
    return fresh


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: Any) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())
