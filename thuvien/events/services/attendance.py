"""Attendance and materials: a person checks in at a session (by the QR code at the venue, or the
organiser ticks the list), the organiser un-ticks a mistake, adds and removes materials.

A person checks in once per session: a second check-in returns the first and writes nothing; the
unique constraint is the last guard against two posts of the same phone at once. Access (who may
tick the list, who may add materials) is the caller's business.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thuvien.core.uploads import OFFICE_AND_PDF, UploadError, check_upload, safe_filename
from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    EventMaterial,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from thuvien.events.services.common import EventError

# The doors open an hour before the session; the QR code works until the event's last day ends.
OPENS_BEFORE = dt.timedelta(hours=1)
MATERIAL_MAX_BYTES = 50 * 1024 * 1024


def _local(moment: dt.datetime, fmt: str) -> str:
    return formats.date_format(timezone.localtime(moment), fmt)


def already_message(checkin: CheckIn) -> str:
    """What a person reads when they check in a second time."""
    return _("You already checked in at %(time)s on %(date)s.") % {
        "time": _local(checkin.at, "H:i"),
        "date": _local(checkin.at, "d/m/Y"),
    }


def checkin_window(session: EventSession) -> tuple[dt.datetime, dt.datetime]:
    """From an hour before the session starts to the end of the event's last day (local time)."""
    day_after = session.event.ends_on + dt.timedelta(days=1)
    closes = timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))
    return session.starts_at - OPENS_BEFORE, closes


def session_at(checkin_code: str) -> EventSession | None:
    """The session whose QR code this is. The code is the key (unguessable, printed for the
    room): whoever holds it reaches the session by design, and `registration_for_checkin` decides
    who checks in, in words that never name the event to someone who is not registered."""
    return EventSession.objects.select_related("event").filter(checkin_code=checkin_code).first()


def registration_for_checkin(session: EventSession, user: Any) -> Registration:
    """The person's registration for the session's event, or `EventError` saying why they may
    not check in (never naming another event: the code may be someone else's)."""
    event = session.event
    if event.status in {EventStatus.CANCELLED, EventStatus.DRAFT}:
        raise EventError(_("This event is not taking place: check-in is closed."))
    found = Registration.objects.filter(event=event, user=user).first()
    if found is None:
        elsewhere = Registration.objects.filter(user=user, status=RegistrationStatus.REGISTERED)
        if elsewhere.exists():
            raise EventError(
                _(
                    "This QR code belongs to a session of an event you are not registered for. "
                    "Check that you scanned the code of your own session."
                )
            )
        raise EventError(
            _("You are not registered for this event. Ask the organiser to add you to the list.")
        )
    if found.status != RegistrationStatus.REGISTERED:
        raise EventError(
            _("Your registration is “%(status)s”: only registered participants can check in.")
            % {"status": found.get_status_display()}
        )
    return found


def _check_time(session: EventSession, at: dt.datetime, method: str) -> None:
    opens, closes = checkin_window(session)
    if at < opens:
        raise EventError(
            _("Check-in opens at %(time)s on %(date)s, one hour before the session starts.")
            % {"time": _local(opens, "H:i"), "date": _local(opens, "d/m/Y")}
        )
    # The organiser may enter a paper list after the event; the QR code closes with it.
    if method == CheckInMethod.QR and at >= closes:
        raise EventError(
            _("The event is over: check-in closed at the end of %(date)s.")
            % {"date": formats.date_format(session.event.ends_on, "d/m/Y")}
        )


@transaction.atomic
def check_in_once(
    session: EventSession,
    user: Any,
    *,
    method: str,
    by: Any = None,
    at: dt.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Record the person's presence at `session`; (the check-in, whether it is new)."""
    if method not in CheckInMethod.values:
        raise EventError(_("Unknown way of checking in."))
    registration = registration_for_checkin(session, user)
    existing = CheckIn.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return existing, False
    at = at or timezone.now()
    _check_time(session, at, method)
    row = CheckIn(
        registration=registration, session=session, at=at, method=method, recorded_by=by or user
    )
    try:
        with transaction.atomic():  # a savepoint: the other post of a double tap won
            row.save()
    except IntegrityError:
        return CheckIn.objects.get(registration=registration, session=session), False
    return row, True


def check_in(
    session: EventSession,
    user: Any,
    *,
    method: str,
    by: Any = None,
    at: dt.datetime | None = None,
) -> CheckIn:
    """As `check_in_once`, the check-in only (new or the person's earlier one)."""
    return check_in_once(session, user, method=method, by=by, at=at)[0]


@transaction.atomic
def undo_check_in(session: EventSession, registration: Registration, *, by: Any) -> bool:
    """The organiser un-ticks a person; False when there was nothing to undo. A certificate
    holder keeps at least one check-in: the certificate says they attended."""
    rows = CheckIn.objects.select_for_update().filter(registration=registration)
    mine = [row for row in rows if row.session_id == session.pk]
    if not mine:
        return False
    if registration.certificate_code and len(rows) == 1:
        raise EventError(
            _(
                "%(name)s already holds a certificate for this event; "
                "their only check-in cannot be removed."
            )
            % {"name": registration.user.display_name}
        )
    mine[0].delete()
    return True


@transaction.atomic
def add_material(event: Event, title: str, file: IO[bytes] | Any, by: Any) -> EventMaterial:
    """A PDF, Word, Excel or PowerPoint file (told by its content, at most 50 MB) for the
    event's participants."""
    try:
        kind = check_upload(file, kinds=OFFICE_AND_PDF, max_bytes=MATERIAL_MAX_BYTES)
    except UploadError as error:
        raise EventError(str(error)) from error
    name = safe_filename(getattr(file, "name", "") or "", kind)
    title = title.strip() or name.rsplit(".", 1)[0]
    last = event.materials.aggregate(last=Max("order"))["last"]
    material = EventMaterial(
        event=event, title=title[:500], file_name=name, order=0 if last is None else last + 1
    )
    file.seek(0)
    material.file.save(name, File(file, name=name), save=False)
    material.save()
    return material


@transaction.atomic
def remove_material(material: EventMaterial, *, by: Any) -> None:
    storage, name = material.file.storage, material.file.name
    material.delete()
    if name:
        # Once the row is gone for good: a rolled-back delete must keep its file.
        transaction.on_commit(lambda: storage.delete(name))
