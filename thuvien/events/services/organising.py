"""Organise an event: agreements, the event and its programme, its audience and invitations, and
its life (draft → open → closed → held, or cancelled)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from thuvien.core.uploads import DOCUMENTS, UploadError, check_upload, safe_filename
from thuvien.events.models import (
    EVENT_TRANSITIONS,
    Agreement,
    Event,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
    Theme,
)
from thuvien.events.services.common import EventError, audit
from thuvien.notifications.services import Message, deliver
from thuvien.organisations import audience
from thuvien.organisations.models import Membership, Role, Unit, UnitKind

TARGETABLE_ROLES = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN, Role.PRINCIPAL)
MAX_AGREEMENT_BYTES = 20 * 1024 * 1024
AGREEMENT_FIELDS = frozenset(
    {"title", "reference", "signed_on", "scope_text", "valid_from", "valid_until"}
)
EVENT_FIELDS = frozenset(
    {
        *("title", "description", "starts_on", "ends_on", "venue", "venue_address"),
        *("capacity", "registration_closes_on", "target", "roles", "agreement"),
        *("number", "symbol", "place", "invited_on", "photos_public"),
        *Event.TIER_FIELDS.values(),
    }
)
SESSION_FIELDS = frozenset(
    {"title", "theme", "speaker", "starts_at", "ends_at", "venue", "is_site_visit", "order"}
)


def lock_event(event: Event) -> None:
    """Lock the event row (seats are counted under it) and reload the caller's object."""
    Event.objects.select_for_update().filter(pk=event.pk).exists()
    event.refresh_from_db()


def _move(event: Event, new: str, *, by: Any) -> None:
    if new not in EVENT_TRANSITIONS[event.status]:
        raise EventError(
            _("An event that is “%(current)s” cannot become “%(new)s”.")
            % {"current": event.get_status_display(), "new": EventStatus(new).label}
        )
    event.status = new
    audit(event, by)
    event.save(update_fields=["status"])


def _set(row: Any, fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "roles":
            row.target_roles = f",{','.join(dict.fromkeys(value))}," if value else ""
        else:
            setattr(row, name, value.strip() if isinstance(value, str) else value)


# --- Agreements ------------------------------------------------------------------------------


def _attach_signed_file(agreement: Agreement, upload: UploadedFile[bytes] | None) -> None:
    if upload is None:
        return
    try:
        kind = check_upload(upload, kinds=DOCUMENTS, max_bytes=MAX_AGREEMENT_BYTES)
    except UploadError as error:
        raise EventError(str(error)) from error
    agreement.signed_file.save(safe_filename(upload.name or "", kind), upload, save=False)


def _check_agreement(agreement: Agreement) -> None:
    if agreement.partner.kind != UnitKind.PARTNER:
        raise EventError(_("Choose a partner organisation as the other party."))
    if agreement.department.kind != UnitKind.DEPARTMENT:
        raise EventError(_("An agreement is signed with the department."))
    if not agreement.title:
        raise EventError(_("Give the agreement a title."))
    if agreement.valid_until and agreement.valid_until < agreement.valid_from:
        raise EventError(_("The agreement cannot end before it starts."))


@transaction.atomic
def create_agreement(
    partner: Unit, department: Unit, *, by: Any, signed_file: Any = None, **fields: Any
) -> Agreement:
    agreement = Agreement(partner=partner, department=department, created_by=by)
    _set(agreement, fields, AGREEMENT_FIELDS)
    _check_agreement(agreement)
    _attach_signed_file(agreement, signed_file)
    audit(agreement, by)
    agreement.save()
    return agreement


@transaction.atomic
def update_agreement(
    agreement: Agreement, *, by: Any, signed_file: Any = None, **fields: Any
) -> Agreement:
    Agreement.objects.select_for_update().filter(pk=agreement.pk).exists()
    _set(agreement, fields, AGREEMENT_FIELDS)
    _check_agreement(agreement)
    _attach_signed_file(agreement, signed_file)
    audit(agreement, by)
    agreement.save()
    return agreement


# --- Events ----------------------------------------------------------------------------------


def _root_path(unit: Unit) -> str:
    return "/".join(unit.path.split("/")[:2]) + "/"


def _check_event(event: Event) -> None:
    organiser, target = event.organiser, event.target
    if organiser.kind not in (UnitKind.PARTNER, UnitKind.DEPARTMENT):
        raise EventError(_("An event is organised by a partner organisation or the department."))
    if target.kind == UnitKind.PARTNER or not target.path.startswith(_root_path(organiser)):
        raise EventError(
            _("The audience must be the department, an office or a school of the province.")
        )
    if not event.title or not event.venue:
        raise EventError(_("Give the event a title and a venue."))
    if event.ends_on < event.starts_on:
        raise EventError(_("The last day cannot be before the first day."))
    if event.capacity is not None and event.capacity < 1:
        raise EventError(_("The capacity is at least 1 seat (leave it empty for no limit)."))
    if event.registration_closes_on and event.registration_closes_on > event.ends_on:
        raise EventError(_("Registration must close by the last day of the event."))
    if not set(event.roles) <= set(TARGETABLE_ROLES):
        raise EventError(
            _("Choose the audience among: %(roles)s.")
            % {"roles": ", ".join(str(Role(role).label) for role in TARGETABLE_ROLES)}
        )
    agreement = event.agreement
    if agreement and organiser.pk not in (agreement.partner_id, agreement.department_id):
        raise EventError(_("Choose an agreement the organiser is a party to."))


def _set_co_organisers(event: Event, co_organisers: Iterable[Unit] | None) -> None:
    if co_organisers is None:
        return
    units = list(co_organisers)
    if any(unit.pk == event.organiser_id for unit in units):
        raise EventError(_("The organiser cannot also be a co-organiser."))
    event.co_organisers.set(units)


@transaction.atomic
def create_event(
    organiser: Unit, *, by: Any, co_organisers: Iterable[Unit] = (), **fields: Any
) -> Event:
    """A draft event of `organiser` (a partner or the department)."""
    event = Event(organiser=organiser, created_by=by)
    _set(event, {"target": organiser, **fields}, EVENT_FIELDS)
    _check_event(event)
    audit(event, by)
    event.save()
    _set_co_organisers(event, co_organisers)
    return event


@transaction.atomic
def update_event(
    event: Event, *, by: Any, co_organisers: Iterable[Unit] | None = None, **fields: Any
) -> Event:
    """Change an event before it is held; seats added to a full event go to the waiting list."""
    lock_event(event)
    if event.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise EventError(_("A held or cancelled event can no longer be changed."))
    if (
        event.status != EventStatus.DRAFT
        and "target" in fields
        and fields["target"] != event.target
    ):
        raise EventError(_("The audience is invited already: its unit can no longer change."))
    _set(event, fields, EVENT_FIELDS)
    _check_event(event)
    audit(event, by)
    event.save()
    _set_co_organisers(event, co_organisers)
    from thuvien.events.services.registrations import fill_free_seats

    fill_free_seats(event)
    return event


# --- Sessions --------------------------------------------------------------------------------


def _check_session(session: EventSession) -> None:
    event = session.event
    if event.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise EventError(_("The programme of a held or cancelled event can no longer change."))
    if not session.title:
        raise EventError(_("Give the session a title."))
    if session.ends_at <= session.starts_at:
        raise EventError(_("A session must end after it starts."))
    days = [timezone.localtime(moment).date() for moment in (session.starts_at, session.ends_at)]
    if days[0] < event.starts_on or days[1] > event.ends_on:
        raise EventError(
            _("A session takes place during the event, from %(start)s to %(end)s.")
            % {"start": f"{event.starts_on:%d/%m/%Y}", "end": f"{event.ends_on:%d/%m/%Y}"}
        )
    if session.theme is not None and not session.theme.active:
        raise EventError(_("This theme is no longer in use: choose another."))


@transaction.atomic
def add_session(event: Event, *, theme: Theme | None = None, **fields: Any) -> EventSession:
    lock_event(event)
    session = EventSession(event=event, theme=theme, order=event.sessions.count())
    _set(session, fields, SESSION_FIELDS)
    _check_session(session)
    session.save()
    return session


@transaction.atomic
def update_session(session: EventSession, **fields: Any) -> EventSession:
    lock_event(session.event)
    _set(session, fields, SESSION_FIELDS)
    _check_session(session)
    session.save()
    return session


@transaction.atomic
def remove_session(session: EventSession) -> None:
    lock_event(session.event)
    if session.event.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise EventError(_("The programme of a held or cancelled event can no longer change."))
    if session.checkins.exists():
        raise EventError(_("People checked in at this session: it can no longer be removed."))
    session.delete()


# --- Audience and invitations ---------------------------------------------------------------


def targeted_memberships(
    event: Event, on: dt.date, *, users: Iterable[Any] | None = None
) -> dict[int, Membership]:
    """user id → the membership that puts the person in the audience on `on` (first school by
    path); `users` narrows the question to some people."""
    rows = audience.memberships(event, on)
    if users is not None:
        rows = rows.filter(user__in=users)
    return audience.first_school(rows)


def school_membership(user: Any, on: dt.date) -> Membership | None:
    """The person's current staff membership in a school (first by path), for nominations; none
    for a deactivated account."""
    rows = Membership.objects.current(on).filter(
        user=user, user__is_active=True, unit__kind=UnitKind.SCHOOL, role__in=TARGETABLE_ROLES
    )
    return rows.select_related("unit").order_by("unit__path", "pk").first()


def _invite(event: Event, memberships: Iterable[Membership], *, by: Any | None = None) -> int:
    """Invite these people (those not yet registered in any way) and tell them; returns how many."""
    existing = set(event.registrations.values_list("user_id", flat=True))
    now = timezone.now()
    new = [
        Registration(
            event=event, user_id=m.user_id, school_id=m.unit_id, role=m.role,
            invited_at=now, nominated_by=by,
        )
        for m in memberships
        if m.user_id not in existing
    ]  # fmt: skip
    created = bulk_create_with_history(new, Registration, default_user=by)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You are invited to “%(event)s”") % {"event": event.title}
        body = _("%(start)s at %(venue)s. Open the event to register.") % {
            "start": f"{event.starts_on:%d/%m/%Y}",
            "venue": event.venue,
        }
    url = reverse("events:event_detail", kwargs={"event_id": event.pk})
    key = f"events:{event.pk}:invited:%s"
    deliver(
        [Message(r.user_id, "events.invited", subject, body, url, key % r.user_id) for r in created]
    )
    return len(created)


@transaction.atomic
def open_registration(event: Event, *, by: Any, on: dt.date | None = None) -> int:
    """Open registration and invite every person of the audience; returns how many were invited
    now (opening again invites only people who joined the audience since)."""
    lock_event(event)
    on = on or timezone.localdate()
    if event.status != EventStatus.OPEN:
        _move(event, EventStatus.OPEN, by=by)
        event.invited_on = event.invited_on or on
        event.save(update_fields=["invited_on"])
    return _invite(event, targeted_memberships(event, on).values())


@transaction.atomic
def invite_people(event: Event, users: Iterable[Any], *, by: Any, on: dt.date | None = None) -> int:
    """Invite named people outside the audience (school staff); returns how many were new."""
    lock_event(event)
    if event.status != EventStatus.OPEN:
        raise EventError(_("Open registration before inviting people."))
    on = on or timezone.localdate()
    memberships = []
    for user in users:
        if not user.is_active:
            raise EventError(
                _("The account of %(name)s is deactivated: only active accounts can be invited.")
                % {"name": getattr(user, "display_name", str(user))}
            )
        membership = school_membership(user, on)
        if membership is None:
            raise EventError(
                _("%(name)s works in no school: only school staff can be invited.")
                % {"name": getattr(user, "display_name", str(user))}
            )
        memberships.append(membership)
    return _invite(event, memberships, by=by)


@transaction.atomic
def close_registration(event: Event, *, by: Any) -> Event:
    lock_event(event)
    _move(event, EventStatus.CLOSED, by=by)
    return event


@transaction.atomic
def mark_held(event: Event, *, by: Any) -> Event:
    lock_event(event)
    if event.starts_on > timezone.localdate():
        raise EventError(
            _("The event has not started yet: mark it held on or after its first day.")
        )
    _move(event, EventStatus.HELD, by=by)
    return event


@transaction.atomic
def cancel_event(event: Event, *, by: Any, reason: str = "") -> Event:
    """Cancel the event and tell everyone registered or waiting."""
    lock_event(event)
    _move(event, EventStatus.CANCELLED, by=by)
    people = event.registrations.filter(
        status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
    ).values_list("user_id", flat=True)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("“%(event)s” is cancelled") % {"event": event.title}
        body = reason.strip() or _("The organiser cancelled the event.")
    url = reverse("events:event_detail", kwargs={"event_id": event.pk})
    deliver(
        [Message(user_id, "events.cancelled", subject, body, url, f"events:{event.pk}:cancelled")
         for user_id in people]
    )  # fmt: skip
    return event
