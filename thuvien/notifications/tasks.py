"""Background work of notifications, run by the django-tasks worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from thuvien.notifications.models import Notification

BATCH = 200
# Older notifications are not e-mailed any more (a person who adds an address later is not
# flooded with last term's reminders); they stay in the app.
MAX_AGE = dt.timedelta(days=7)


@task()
def send_notification_emails() -> int:
    """E-mail every notification not e-mailed yet, over one connection; returns how many went.

    Each batch is first claimed with one conditional UPDATE (its own `emailed_at` stamp), so two
    workers never send the same notification; a batch that fails to send is released again."""
    sent = 0
    with mail.get_connection() as connection:
        while batch := _claim_batch():
            try:
                sent += connection.send_messages([_email(row) for row in batch]) or 0
            except Exception:
                Notification.objects.filter(pk__in=[row.pk for row in batch]).update(
                    emailed_at=None
                )
                raise
    return sent


def _pending() -> QuerySet[Notification]:
    since = timezone.now() - MAX_AGE
    return (
        Notification.objects.filter(by_email=True, emailed_at__isnull=True, created_at__gte=since)
        .exclude(recipient__email="")
        .order_by("pk")
    )


def _claim_batch() -> list[Notification]:
    ids = list(_pending().values_list("pk", flat=True)[:BATCH])
    if not ids:
        return []
    stamp = timezone.now()
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=stamp)
    return list(
        Notification.objects.filter(pk__in=ids, emailed_at=stamp).select_related("recipient")
    )


def _email(notification: Notification) -> mail.EmailMessage:
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    link = f"{site}{notification.url}" if notification.url.startswith("/") else notification.url
    context = {"notification": notification, "link": link, "site": site}
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("notifications/email.txt", context)
    subject = " ".join(notification.subject.split())
    return mail.EmailMessage(subject, body, to=[notification.recipient.email])
