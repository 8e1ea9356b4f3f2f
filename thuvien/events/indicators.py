"""The standards indicators training events count (`core.indicators`): how many of a school's
staff attended a training event, and how many certificates they earned, in a school year
(1 August to 31 July, as `history.staff_training_summary`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from thuvien.core.indicators import Counted, Indicator, register
from thuvien.events.models import CheckIn, EventStatus, Registration

ATTENDED = "staff_events_attended"
CERTIFICATES = "staff_event_certificates"


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 8, 1), dt.date(year + 1, 7, 31)


def _attended(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    rows = (
        CheckIn.objects.filter(
            registration__school_id__in=school_ids,
            session__event__starts_on__range=_year(year),
        )
        .exclude(session__event__status=EventStatus.CANCELLED)
        .order_by()
        .values("registration__school_id")
        .annotate(people=Count("registration__user_id", distinct=True))
    )
    return {row["registration__school_id"]: Decimal(row["people"]) for row in rows}


def _certificates(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    rows = (
        Registration.objects.filter(school_id__in=school_ids, event__starts_on__range=_year(year))
        .exclude(certificate_code="")
        .order_by()
        .values("school_id")
        .annotate(certificates=Count("pk"))
    )
    return {row["school_id"]: Decimal(row["certificates"]) for row in rows}


def _registrations(scope: Any, school_id: int, year: int, condition: Q) -> list[Counted]:
    rows = (
        Registration.objects.visible_to(scope)
        .filter(school_id=school_id, event__starts_on__range=_year(year))
        .filter(condition)
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("user", "event")
        .order_by("user__full_name", "event__starts_on", "pk")
        .distinct()
    )
    return [
        Counted(
            label=row.user.full_name,
            detail=f"{row.event.title} ({row.event.starts_on:%d/%m/%Y})",
            url=reverse("events:event_detail", args=[row.event_id]),
        )
        for row in rows
    ]


def register_indicators() -> None:
    source = gettext_lazy("Training events")
    register(
        Indicator(
            code=ATTENDED,
            label=gettext_lazy("Staff who attended a training event"),
            unit=gettext_lazy("people"),
            compute=_attended,
            counted=lambda school_id, year, scope: _registrations(
                scope, school_id, year, Q(checkins__isnull=False)
            ),
            source=source,
        )
    )
    register(
        Indicator(
            code=CERTIFICATES,
            label=gettext_lazy("Training certificates earned by the staff"),
            unit=gettext_lazy("certificates"),
            compute=_certificates,
            counted=lambda school_id, year, scope: _registrations(
                scope, school_id, year, ~Q(certificate_code="")
            ),
            source=source,
        )
    )
