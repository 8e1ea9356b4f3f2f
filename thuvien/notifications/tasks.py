"""Background work of notifications, run by the django-tasks worker.

Every message is marked `Auto-Submitted: auto-generated` and links to SITE_URL
(`thuvien.core.mail`). A person who chose the daily digest (`User.email_digest`) is not e-mailed
per notification: `send_notification_digest`, run once a day, sends them one e-mail listing what
is waiting, at most one per person and day (`Digest`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from thuvien.core.mail import absolute, automatic_email, site_url
from thuvien.notifications.models import Digest, Notification

BATCH = 200
# Older notifications are not e-mailed any more (a person who adds an address later is not
# flooded with last term's reminders); they stay in the app.
MAX_AGE = dt.timedelta(days=7)


@task()
def send_notification_emails() -> int:
    """E-mail every notification not e-mailed yet (but those waiting for a digest), over one
    connection; returns how many went.

    Each batch is first claimed with one conditional UPDATE (its own `emailed_at` stamp), so two
    workers never send the same notification; a batch that fails to send is released again."""
    sent = 0
    with mail.get_connection() as connection:
        while batch := _claim_batch():
            try:
                sent += connection.send_messages([_email(row) for row in batch]) or 0
            except Exception:
                _release([row.pk for row in batch])
                raise
    return sent


def _waiting() -> QuerySet[Notification]:
    """Notifications to e-mail: recent, not e-mailed yet, to an active account with an address."""
    since = timezone.now() - MAX_AGE
    return (
        Notification.objects.filter(
            by_email=True,
            emailed_at__isnull=True,
            created_at__gte=since,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .order_by("pk")
    )


def _pending() -> QuerySet[Notification]:
    return _waiting().filter(recipient__email_digest=False)


def _claim(ids: list[int]) -> list[Notification]:
    stamp = timezone.now()
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=stamp)
    return list(
        Notification.objects.filter(pk__in=ids, emailed_at=stamp)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )


def _release(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids).update(emailed_at=None)


def _claim_batch() -> list[Notification]:
    ids = list(_pending().values_list("pk", flat=True)[:BATCH])
    return _claim(ids) if ids else []


def _email(notification: Notification) -> mail.EmailMessage:
    site = site_url()
    link = absolute(notification.url) if notification.url else ""
    context = {"notification": notification, "link": link, "site": site}
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("notifications/email.txt", context)
    return automatic_email(notification.subject, body, [notification.recipient.email])


# --- The daily digest ----------------------------------------------------------------------------


@task()
def send_notification_digest(day: str = "") -> int:
    """One e-mail to each person who chose the digest and has notifications waiting, listing them
    (oldest first); returns how many e-mails went. `day` (ISO date, default today) is the key:
    a person gets at most one digest per day, however often this runs."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    people = (
        get_user_model()
        .objects.filter(
            pk__in=_waiting().filter(recipient__email_digest=True).values("recipient_id"),
        )
        .exclude(notification_digests__day=today)
        .order_by("pk")
    )
    sent = 0
    with mail.get_connection() as connection:
        for person in people:
            sent += _send_digest(connection, person, today)
    return sent


def _send_digest(connection: BaseEmailBackend, person: Any, day: dt.date) -> int:
    """Claim the person's day and their waiting notifications, then send; undo both on failure."""
    pk = person.pk
    ids = list(_waiting().filter(recipient_id=pk).values_list("pk", flat=True))
    try:
        with transaction.atomic():
            digest = Digest.objects.create(recipient_id=pk, day=day)
    except IntegrityError:  # another run took this day first
        return 0
    rows = _claim(ids)
    if not rows:
        digest.delete()
        return 0
    digest.count = len(rows)
    digest.save(update_fields=["count"])
    try:
        sent = connection.send_messages([_digest_email(rows, day)]) or 0
    except Exception:
        _release([row.pk for row in rows])
        digest.delete()
        raise
    return int(sent)


def _digest_email(rows: list[Notification], day: dt.date) -> mail.EmailMessage:
    recipient = rows[0].recipient
    items = [{"notification": row, "link": absolute(row.url) if row.url else ""} for row in rows]
    with translation.override(settings.LANGUAGE_CODE):
        values = {"count": len(rows), "date": day.strftime("%d/%m/%Y")}
        subject = (
            ngettext(
                "ThuVien: %(count)d notification on %(date)s",
                "ThuVien: %(count)d notifications on %(date)s",
                len(rows),
            )
            % values
        )
        context = {
            "recipient": recipient,
            "items": items,
            "site": site_url(),
            "list_link": absolute(reverse("notifications:list")),
            "intro": _("Your notifications since the last digest:"),
        }
        body = render_to_string("notifications/digest.txt", context)
    return automatic_email(subject, body, [recipient.email])
