"""What events puts on the home page's to-do list (see `core.home`), per role:

- those who organise events (a partner's trainer, the Sở): today's sessions (the attendance
  page), then their events not yet held, with the registrations against the capacity;
- those who attend events: the events they are invited to (register before the closing date)
  and those they hold a seat at, not yet over.

Every row is read through the models' policies; a fixed number of queries whatever the scope.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.access import Action, Scope, scope_for
from thuvien.core.home import Area, Section, Todo, TodoGroup
from thuvien.events.models import (
    Event,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)

LIMIT = 10  # lines of one list; the events page shows the rest
RUNNING = (EventStatus.DRAFT, EventStatus.OPEN, EventStatus.CLOSED)


def todo(request: HttpRequest) -> list[Section]:
    scope = scope_for(request)
    if scope.unit is None or scope.user_id is None:
        return []
    today = timezone.localdate()
    groups: list[TodoGroup] = []
    if scope.can(Action.MANAGE_EVENTS):
        groups.extend(_organised(scope, today))
    if scope.can(Action.ATTEND_EVENTS):
        groups.append(_attending(scope, today))
    shown = [group for group in groups if group.lines]
    if not shown:
        return []
    return [Section("events/home/todo.html", {"groups": shown}, area=Area.TODO)]


def _organised(scope: Scope, today: dt.date) -> list[TodoGroup]:
    """Two queries: today's sessions of the events the scope organises, and those events."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    sessions = (
        EventSession.objects.allowed_to(scope, Action.MANAGE_EVENTS)
        .filter(
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
            event__status__in=RUNNING,
        )
        .select_related("event")
        .order_by("starts_at", "pk")[:LIMIT]
    )
    today_lines = [
        Todo(
            _("%(time)s %(session)s — %(event)s")
            % {
                "time": timezone.localtime(session.starts_at).strftime("%H:%M"),
                "session": session.title,
                "event": session.event.title,
            },
            reverse("events:attendance", args=[session.pk]),
            _("Today: show the check-in code and record attendance"),
        )
        for session in sessions
    ]
    events = (
        Event.objects.allowed_to(scope, Action.MANAGE_EVENTS)
        .filter(status__in=RUNNING)
        .annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            waiting=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                distinct=True,
            ),
        )
        .order_by("starts_on", "pk")[:LIMIT]
    )
    event_lines = [_event_line(event, today) for event in events]
    return [
        TodoGroup(_("Today's sessions"), today_lines),
        TodoGroup(_("My events"), event_lines),
    ]


def _event_line(event: Event, today: dt.date) -> Todo:
    url = reverse("events:event_detail", args=[event.pk])
    days = _days(event)
    if event.status == EventStatus.DRAFT:
        detail = _("%(days)s · draft: complete the programme and open registration")
        return Todo(event.title, url, detail % {"days": days})
    if event.ends_on < today:
        detail = _("%(days)s · over: mark it as held and issue the certificates")
        return Todo(event.title, url, detail % {"days": days})
    registered = getattr(event, "registered", 0)
    if event.capacity:
        seats = _("%(registered)d of %(capacity)d seats taken") % {
            "registered": registered,
            "capacity": event.capacity,
        }
    else:
        seats = _("%(registered)d registered") % {"registered": registered}
    waiting = getattr(event, "waiting", 0)
    if waiting:
        seats += ", " + _("%(n)d waiting") % {"n": waiting}
    detail = f"{days} · {event.get_status_display()} · {seats}"
    return Todo(event.title, url, detail, event.registration_closes_on)


def _attending(scope: Scope, today: dt.date) -> TodoGroup:
    """One query: the person's invitations and seats at events not yet over."""
    rows = (
        Registration.objects.visible_to(scope)
        .filter(
            user_id=scope.user_id or 0,  # (a person: `todo` returns early without one)
            status__in=(
                RegistrationStatus.INVITED,
                RegistrationStatus.REGISTERED,
                RegistrationStatus.WAITLISTED,
            ),
            event__status__in=(EventStatus.OPEN, EventStatus.CLOSED),
            event__ends_on__gte=today,
        )
        .select_related("event")
        .order_by("event__starts_on", "pk")[:LIMIT]
    )
    lines = []
    for row in rows:
        event = row.event
        url = reverse("events:event_detail", args=[event.pk])
        days = _days(event)
        if row.status == RegistrationStatus.INVITED:
            if event.status == EventStatus.OPEN:
                detail = _("%(days)s · you are invited: register for a seat") % {"days": days}
                lines.append(Todo(event.title, url, detail, event.registration_closes_on))
            continue
        state = row.get_status_display()
        lines.append(Todo(event.title, url, f"{days} · {state} · {event.venue}"))
    return TodoGroup(_("Training events"), lines)


def _days(event: Event) -> str:
    if event.starts_on == event.ends_on:
        return event.starts_on.strftime("%d/%m/%Y")
    return f"{event.starts_on:%d/%m/%Y} – {event.ends_on:%d/%m/%Y}"
