"""Take a seat at an event: register oneself, be nominated by one's principal, wait when the event
is full, cancel (the first person waiting gets the seat).

Every change counts seats under a lock on the event row, so two people asking for the last seat
at once cannot both get it: the second waits for the first and finds the event full.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thuvien.events.models import Event, EventStatus, Registration, RegistrationStatus
from thuvien.events.services.common import EventError, audit
from thuvien.events.services.organising import lock_event, school_membership, targeted_memberships
from thuvien.notifications.services import notify
from thuvien.organisations.models import Membership, Role

SEATED = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


def seats_left(event: Event) -> int | None:
    """Free seats now (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.registrations.holding_seats().count(), 0)


def waiting_position(registration: Registration) -> int:
    """1 for the first person on the waiting list."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            registered_at__lt=registration.registered_at,
        ).count()
        + 1
    )


def outcome_message(registration: Registration) -> str:
    """What to tell the person after they (or their principal) asked for a seat."""
    if registration.status == RegistrationStatus.WAITLISTED:
        return _(
            "The event is full: %(name)s is on the waiting list (number %(position)d). "
            "We will send a notice if a seat becomes free."
        ) % {"name": registration.user.display_name, "position": waiting_position(registration)}
    return _("%(name)s is registered for “%(event)s”.") % {
        "name": registration.user.display_name,
        "event": registration.event.title,
    }


def check_open(event: Event) -> None:
    """`EventError` unless people may register now: the event is open, its closing day not past."""
    if event.status != EventStatus.OPEN:
        raise EventError(_("Registration for this event is not open."))
    closes = event.registration_closes_on
    if closes and timezone.localdate() > closes:
        raise EventError(_("Registration closed on %(date)s.") % {"date": f"{closes:%d/%m/%Y}"})


def _take_seat(registration: Registration, *, by: Any) -> Registration:
    """Registered if a seat is free, else on the waiting list; the event is locked."""
    if registration.status in SEATED:
        raise EventError(
            _("%(name)s is already registered or on the waiting list.")
            % {"name": registration.user.display_name}
        )
    left = seats_left(registration.event)
    full = left is not None and left <= 0
    registration.status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    registration.registered_at = timezone.now()
    registration.cancelled_at = None
    audit(registration, by)
    registration.save()
    return registration


@transaction.atomic
def register(target: Registration | Event, *, by: Any, user: Any | None = None) -> Registration:
    """The person (`by`) registers: when invited, or when they belong to the audience."""
    event = target.event if isinstance(target, Registration) else target
    person = target.user if isinstance(target, Registration) else (user or by)
    if person.pk != by.pk:
        raise EventError(_("Only the person themself can register; a principal nominates."))
    lock_event(event)
    check_open(event)
    registration = Registration.objects.filter(event=event, user=person).first()
    if registration is None:
        membership = targeted_memberships(event, timezone.localdate(), users=[person]).get(
            person.pk
        )
        if membership is None:
            raise EventError(_("This event is for invited people only; ask your principal."))
        registration = Registration(
            event=event, user=person, school_id=membership.unit_id, role=membership.role
        )
    registration.event = event
    return _take_seat(registration, by=by)


def _principal_of(principal: Any, user: Any) -> Membership:
    """The user's school membership, if `principal` heads that school today."""
    if not user.is_active:
        raise EventError(
            _("The account of %(name)s is deactivated: only active accounts can be registered.")
            % {"name": getattr(user, "display_name", str(user))}
        )
    membership = school_membership(user, timezone.localdate())
    heads = (
        membership is not None
        and Membership.objects.current()
        .filter(user=principal, unit_id=membership.unit_id, role=Role.PRINCIPAL)
        .exists()
    )
    if membership is None or not heads:
        raise EventError(
            _("%(name)s is not on the staff of your school.")
            % {"name": getattr(user, "display_name", str(user))}
        )
    return membership


@transaction.atomic
def nominate(event: Event, user: Any, *, by: Any) -> Registration:
    """A principal registers a member of their school's staff (invited or not)."""
    membership = _principal_of(by, user)
    lock_event(event)
    check_open(event)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None:
        registration = Registration(
            event=event, user=user, school_id=membership.unit_id, role=membership.role
        )
    registration.event = event
    registration.nominated_by = by
    return _take_seat(registration, by=by)


@transaction.atomic
def cancel(registration: Registration, *, by: Any) -> Registration:
    """Give the seat up; the first person waiting (by time of asking) takes it and is told."""
    lock_event(registration.event)
    registration.refresh_from_db()
    if registration.status not in SEATED:
        raise EventError(_("This registration is not active; there is nothing to cancel."))
    if registration.event.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise EventError(_("The event is over; its registrations can no longer change."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    audit(registration, by)
    registration.save()
    fill_free_seats(registration.event)
    return registration


def fill_free_seats(event: Event) -> list[Registration]:
    """Move people from the waiting list to free seats, first come first served, and tell them.

    The caller holds the lock on the event."""
    left = seats_left(event)
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "registered_at", "pk"
    )
    promoted = list(waiting if left is None else waiting[:left])
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A seat is yours at “%(event)s”") % {"event": event.title}
        body = _("A seat became free: you are now registered. Cancel if you cannot come.")
    url = reverse("events:event_detail", kwargs={"event_id": event.pk})
    for registration in promoted:
        key = f"events:{event.pk}:promoted:{registration.pk}:{registration.registered_at}"
        notify([registration.user_id], kind="events.promoted", subject=subject, body=body,
               url=url, key=key)  # fmt: skip
    return promoted
