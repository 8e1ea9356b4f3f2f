"""Attendance and materials: a person checks in at a session (by the QR code at the venue, or the
organiser ticks the list), the organiser un-ticks a mistake, adds and removes materials.

A person checks in once per session: a second check-in returns the first and writes nothing; the
unique constraint is the last guard against two posts of the same phone at once. Access (who may
tick the list, who may add materials) is the caller's business.

The door (`door_for`, `take_seat_at_door`): a person on the event's list who has not registered
(invited, or who cancelled) registers and checks in with one tap, in one transaction under the
event's lock, through `registrations.register`; when the event is full nobody is over-booked: the
person is told so and may join the waiting list instead. Whoever is not on the list is told so and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any, Literal

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
from thuvien.events.services import registrations
from thuvien.events.services.common import EventError
from thuvien.events.services.organising import lock_event

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


def _check_taking_place(event: Event) -> None:
    if event.status in {EventStatus.CANCELLED, EventStatus.DRAFT}:
        raise EventError(_("This event is not taking place: check-in is closed."))


def registration_for_checkin(session: EventSession, user: Any) -> Registration:
    """The person's registration for the session's event, or `EventError` saying why they may
    not check in (never naming another event: the code may be someone else's)."""
    event = session.event
    _check_taking_place(event)
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


# On the list but not registered: invited, or cancelled earlier. They may take a seat at the door.
AT_THE_DOOR = (RegistrationStatus.INVITED, RegistrationStatus.CANCELLED)

DoorKind = Literal["check_in", "checked_in", "register", "full", "refused"]


@dataclass(frozen=True)
class Door:
    """What the check-in page offers a logged-in person at a session: the "I am here" button
    (`check_in`), their earlier check-in (`checked_in`), "Register and check in" (`register`),
    the waiting list of a full event (`full`), or a refusal (`refused`); `text` says why."""

    kind: DoorKind
    text: str = ""
    checkin: CheckIn | None = None


def full_message(event: Event) -> str:
    return _(
        "The event is full: all %(capacity)d seats are taken, so you cannot check in. "
        "Join the waiting list: you will be told as soon as a seat becomes free."
    ) % {"capacity": event.capacity or 0}


def _is_full(event: Event) -> bool:
    left = registrations.seats_left(event)
    return left is not None and left <= 0


def door_for(session: EventSession, user: Any) -> Door:
    """What stands between the person and the check-in, read without writing anything."""
    event = session.event
    found = Registration.objects.filter(event=event, user=user).first()
    if found is not None and found.status in AT_THE_DOOR:
        try:
            _check_taking_place(event)
        except EventError as error:
            return Door("refused", str(error))
        try:
            registrations.check_open(event)
        except EventError:
            return Door("refused", _door_closed())
        if _is_full(event):
            return Door("full", full_message(event))
        return Door("register")
    try:
        registration = registration_for_checkin(session, user)
    except EventError as error:
        return Door("refused", str(error))
    earlier = CheckIn.objects.filter(registration=registration, session=session).first()
    if earlier is not None:
        return Door("checked_in", already_message(earlier), earlier)
    return Door("check_in")


def _door_closed() -> str:
    return _(
        "You are invited but not registered, and registration for this event is closed. "
        "Ask the organiser at the welcome desk to add you to the list."
    )


@dataclass(frozen=True)
class AtTheDoor:
    """What the door did: the registration, and the check-in when a seat was taken (`new`: the
    check-in was written now)."""

    registration: Registration
    checkin: CheckIn | None
    new: bool


class EventFull(EventError):
    """The last seat is gone: nothing was written; the waiting list is offered instead."""


@transaction.atomic
def take_seat_at_door(
    session: EventSession,
    user: Any,
    *,
    waiting_list: bool = False,
    at: dt.datetime | None = None,
) -> AtTheDoor:
    """Register the person at the door and check them in, in one transaction, or write nothing.

    A registered person checks in (a second tap writes nothing). A person on the list takes a
    free seat through `registrations.register` and checks in; when the event is full, `EventFull`
    (nothing written) unless `waiting_list`, which puts them on the waiting list instead.
    Seats are counted under the event's lock, as every registration does."""
    event = session.event
    lock_event(event)
    found = Registration.objects.filter(event=event, user=user).first()
    if found is None or found.status not in AT_THE_DOOR:
        # Registered (a second tap), waiting or not on the list: as the plain check-in says.
        row, new = check_in_once(session, user, method=CheckInMethod.QR, at=at)
        return AtTheDoor(row.registration, row, new)
    _check_taking_place(event)
    try:
        registrations.check_open(event)
    except EventError as error:
        raise EventError(_door_closed()) from error
    if _is_full(event):
        if not waiting_list:
            raise EventFull(full_message(event))
        return AtTheDoor(registrations.register(found, by=user), None, False)
    at = at or timezone.now()
    _check_time(session, at, CheckInMethod.QR)
    registration = registrations.register(found, by=user)
    if registration.status != RegistrationStatus.REGISTERED:  # pragma: no cover - under the lock
        raise EventFull(full_message(event))
    row, new = check_in_once(session, user, method=CheckInMethod.QR, at=at)
    return AtTheDoor(registration, row, new)


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
