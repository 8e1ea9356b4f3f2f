"""Attendance certificates: a registration that attended at least one session gets an unguessable
`certificate_code` (the key of the public verification page) once; the organiser issues them all
after the event, and each holder is told."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thuvien.events.models import Event, Registration, new_code
from thuvien.events.services.common import EventError, audit
from thuvien.notifications.services import Message, deliver


def certificate_with_code(code: str) -> Registration | None:
    """The certificate whose (unguessable) code this is, for the public verification page:
    public by design to whoever holds the code, never a list."""
    if not code:
        return None
    return (
        Registration.objects.select_related("user", "school", "event__organiser")
        .filter(certificate_code=code)
        .first()
    )


def _lock(registration: Registration) -> None:
    Registration.objects.select_for_update().filter(pk=registration.pk).exists()
    registration.refresh_from_db()


@transaction.atomic
def issue_certificate(registration: Registration, *, by: Any = None) -> Registration:
    """Give the registration its certificate (idempotent: an issued one stays as it is)."""
    _lock(registration)
    if registration.certificate_code:
        return registration
    if not registration.checkins.exists():
        raise EventError(
            _(
                "%(name)s has not checked in at any session: a certificate needs at least one. "
                "Tick them on the session's attendance list if they were there."
            )
            % {"name": registration.user.display_name}
        )
    registration.certificate_code = new_code()
    registration.certificate_issued_at = timezone.now()
    audit(registration, by)
    registration.save(update_fields=["certificate_code", "certificate_issued_at"])
    return registration


@transaction.atomic
def issue_all(event: Event, by: Any) -> int:
    """The organiser issues the certificates of everyone who attended; how many were new."""
    if timezone.localdate() < event.ends_on:
        raise EventError(
            _("Certificates can be issued from the event's last day, %(date)s.")
            % {"date": formats.date_format(event.ends_on, "d/m/Y")}
        )
    waiting = (
        Registration.objects.filter(event=event, certificate_code="", checkins__isnull=False)
        .distinct()
        .select_related("user")
    )
    issued = [issue_certificate(registration, by=by) for registration in waiting]
    _tell_holders(event, issued)
    return len(issued)


def _tell_holders(event: Event, issued: list[Registration]) -> None:
    subject = _("Your certificate for “%(event)s” is ready") % {"event": event.title}
    body = _("Download it as a PDF from the event page or with the link below.")
    deliver(
        [
            Message(
                registration.user,
                "event_certificate",
                subject,
                body,
                reverse("events:certificate_pdf", args=[registration.pk]),
                f"event-certificate-{registration.pk}",
            )
            for registration in issued
        ]
    )
