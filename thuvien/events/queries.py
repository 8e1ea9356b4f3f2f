"""Reads of the organising screens: the events list, an event's page, a school's staff to
nominate. Plain functions taking the scope (and an event already fetched through the policy);
the people they name are read through the participants' policy (`models.scoping`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from thuvien.access import Scope
from thuvien.core.folding import fold
from thuvien.events.models import Event, EventSession, Registration, RegistrationStatus
from thuvien.events.services.organising import TARGETABLE_ROLES
from thuvien.events.services.registrations import seats_left
from thuvien.organisations.models import Membership


def events_in_scope(scope: Scope, query: str = "", *, today: dt.date | None = None) -> tuple[
    QuerySet[Event], QuerySet[Event]
]:  # fmt: skip
    """(upcoming, soonest first; past, latest first), matching `query` without diacritics."""
    today = today or timezone.localdate()
    events = Event.objects.visible_to(scope).annotate(
        registered=Count("registrations", filter=Q(registrations__status="registered"))
    )
    folded = fold(query)
    if folded:
        events = events.filter(title_folded__contains=folded)
    upcoming = events.filter(ends_on__gte=today).order_by("starts_on", "pk")
    past = events.filter(ends_on__lt=today).order_by("-starts_on", "-pk")
    return upcoming, past


def viewer_registration(scope: Scope, event: Event) -> Registration | None:
    """The registration of the person viewing the page, if any."""
    if scope.user_id is None:
        return None
    return Registration.objects.visible_to(scope).filter(event=event, user=scope.user_id).first()


@dataclass(frozen=True)
class EventPage:
    sessions: list[EventSession]
    seats_left: int | None
    registered: int
    registrations: list[Registration]  # for the organisers only
    waiting: list[Registration]


def event_page(scope: Scope, event: Event, *, manage: bool) -> EventPage:
    sessions = list(event.sessions.select_related("theme"))
    rows: list[Registration] = []
    waiting: list[Registration] = []
    if manage:
        rows = list(Registration.objects.visible_to(scope).filter(event=event).select_related(
            "user", "school").order_by("school__path", "user__full_name"))  # fmt: skip
        waiting = sorted(
            (r for r in rows if r.status == RegistrationStatus.WAITLISTED),
            key=lambda r: (r.registered_at or timezone.now(), r.pk),
        )
    return EventPage(
        sessions=sessions,
        seats_left=seats_left(event),
        registered=event.registrations.holding_seats().count(),
        registrations=rows,
        waiting=waiting,
    )


def school_staff(scope: Scope, event: Event) -> QuerySet[Any]:
    """The staff of the principal's school (librarians, teacher-librarians, principals), with
    their registration at `event` prefetched as `event_registration`."""
    unit = scope.unit
    members = (
        Membership.objects.visible_to(scope).current().filter(unit=unit, role__in=TARGETABLE_ROLES)
    )
    mine = Registration.objects.visible_to(scope).filter(event=event)
    staff: QuerySet[Any] = (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"))
        .prefetch_related(Prefetch("event_registrations", mine, to_attr="event_registration"))
        .order_by("full_name", "pk")
    )
    return staff
