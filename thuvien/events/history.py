"""Training events in a person's training history (beside the self-training campaigns), and the
staff-training figures the standards pillar reads for a school and a school year.

Both read a fixed number of queries: sessions and check-ins are counted in the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.access import Scope
from thuvien.core.history import HistoryRow
from thuvien.events.models import CheckIn, Event, EventStatus, Registration, RegistrationStatus
from thuvien.organisations.models import Unit

HIDDEN = (EventStatus.DRAFT, EventStatus.CANCELLED)


def _outcome(row: Registration, today: dt.date) -> str:
    attended, sessions = row.attended_count, row.session_count  # type: ignore[attr-defined]
    counts = {"attended": attended, "sessions": sessions}
    if attended and row.certificate_code:
        return _("attended %(attended)d/%(sessions)d sessions, certificate") % counts
    if attended:
        return _("attended %(attended)d/%(sessions)d sessions") % counts
    if row.status == RegistrationStatus.WAITLISTED:
        return _("on the waiting list")
    return _("registered") if row.event.ends_on >= today else _("did not attend")


def event_history_rows(
    user: Any, *, scope: Scope | None = None, today: dt.date | None = None
) -> list[HistoryRow]:
    """The person's training events (registered, waiting or attended), newest first; an event
    links to its page unless `scope` is given and cannot open it."""
    day = today or timezone.localdate()
    rows = _registrations(user)
    opens = None
    if scope is not None:
        opens = set(
            Event.objects.visible_to(scope)
            .filter(registrations__user=user)
            .values_list("pk", flat=True)
        )
    return [
        HistoryRow(
            date=row.event.starts_on,
            kind=_("Training event"),
            title=row.event.title,
            outcome=_outcome(row, day),
            url=reverse("events:event_detail", args=[row.event_id])
            if opens is None or row.event_id in opens
            else "",
            school_year=_school_year(row.event.starts_on),
            school=row.school.name,
        )
        for row in rows
    ]


def history_provider(user: Any, scope: Any) -> list[HistoryRow]:
    """For `thuvien.core.history.register` (in the app's `ready()`)."""
    return event_history_rows(user, scope=scope)


def _registrations(user: Any) -> list[Registration]:
    rows = (
        Registration.objects.filter(user=user)
        .exclude(event__status__in=HIDDEN)
        .filter(
            Q(status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED])
            | Q(checkins__isnull=False)
        )
        .select_related("event", "school")
        .annotate(
            attended_count=Count("checkins", distinct=True),
            session_count=Count("event__sessions", distinct=True),
        )
        .order_by("-event__starts_on", "pk")
    )
    return list(rows.distinct())


def _school_year(day: dt.date) -> str:
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}–{start + 1}"


def staff_training_summary(school: Unit, school_year: int) -> dict[str, Any]:
    """Who of the school attended training events in the school year (1 August to 31 July):
    `people` (count), `sessions` (check-ins), `hours` (of the sessions attended), `events`, and
    per person `rows` of (name, sessions, hours)."""
    start, end = dt.date(school_year, 8, 1), dt.date(school_year + 1, 7, 31)
    length = ExpressionWrapper(F("session__ends_at") - F("session__starts_at"), DurationField())
    checkins = CheckIn.objects.filter(
        registration__school=school,
        session__event__starts_on__range=(start, end),
    ).exclude(session__event__status=EventStatus.CANCELLED)
    per_person = (
        checkins.values("registration__user_id", "registration__user__full_name")
        .annotate(sessions=Count("pk"), time=Sum(length))
        .order_by("registration__user__full_name")
    )
    rows = [
        (
            row["registration__user__full_name"],
            row["sessions"],
            _hours(row["time"]),
        )
        for row in per_person
    ]
    return {
        "school_year": school_year,
        "people": len(rows),
        "sessions": sum(sessions for _name, sessions, _h in rows),
        "hours": sum((hours for _name, _s, hours in rows), Decimal(0)),
        "events": checkins.values("session__event_id").distinct().count(),
        "rows": rows,
    }


def _hours(value: dt.timedelta | None) -> Decimal:
    return Decimal(round((value or dt.timedelta()).total_seconds() / 3600, 1)).quantize(
        Decimal("0.1")
    )
