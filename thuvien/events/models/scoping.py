"""Who sees an event and its rows: the rule every events queryset applies (the access module's
`visible_to`, written out for events).

- The organiser and the co-organisers (and the units above them) see their events, drafts too.
- Once out of draft, an event is seen by the supervisors of its audience (the subtree it targets)
  and by the units inside it whose school tiers it targets, and by any school one of whose people
  holds a registration (a nominated person outside the tiers).
- A person's rows (registration, check-ins, feedback) are seen by the person's school's scope and by
  the event's organisers.
"""

from __future__ import annotations

import secrets

from django.db.models import Q

from thuvien.organisations.access import Scope
from thuvien.organisations.audience import TIER_FIELDS
from thuvien.organisations.models import Unit


def new_code() -> str:
    """An unguessable code for QR links (check-in posters, certificates)."""
    return secrets.token_urlsafe(12)


def unit_seen(scope: Scope, prefix: str) -> Q:
    """The unit reached by `prefix` is inside the scope."""
    unit = scope.unit
    assert unit is not None
    if scope.is_subtree:
        return Q(**{f"{prefix}path__startswith": unit.path})
    return Q(**{prefix.removesuffix("__") or "pk": unit.pk})


def organised(scope: Scope, prefix: str = "") -> Q:
    """The event (reached by `prefix`) is organised or co-organised inside the scope."""
    from thuvien.events.models.events import Event

    co_units = Unit.objects.filter(unit_seen(scope, ""))
    co = Event.co_organisers.through.objects.filter(unit__in=co_units).values("event_id")
    return unit_seen(scope, f"{prefix}organiser__") | Q(**{f"{prefix}pk__in": co})


def _tiers(unit: Unit, prefix: str) -> Q:
    """The event targets every tier, or one of the school's."""
    every = Q(**{f"{prefix}{flag}": False for flag in TIER_FIELDS.values()})
    for unit_flag, event_flag in TIER_FIELDS.items():
        if getattr(unit, unit_flag):
            every |= Q(**{f"{prefix}{event_flag}": True})
    return every


def event_seen(scope: Scope, prefix: str = "") -> Q:
    """The event (reached by `prefix`) is visible in the scope (the rule in the docstring)."""
    from thuvien.events.models.events import EventStatus
    from thuvien.events.models.people import Registration

    unit = scope.unit
    assert unit is not None
    audience = Q(**{f"{prefix}target_id__in": [*unit.ancestor_ids(), unit.pk]})
    if scope.is_subtree:
        audience |= Q(**{f"{prefix}target__path__startswith": unit.path})
    if unit.is_school:
        audience &= _tiers(unit, prefix)
        mine = Registration.objects.filter(school=unit).values("event_id")
        audience |= Q(**{f"{prefix}pk__in": mine})
    published = ~Q(**{f"{prefix}status": EventStatus.DRAFT})
    return organised(scope, prefix) | (audience & published)
