"""Whom a supervising unit's call reaches: the schools of a subtree, of some school tiers, and the
people holding some roles there. Self-training campaigns and training events both describe their
audience this way (`target`, `target_roles`, one `target_<tier>` flag per school tier), and both
read it through these functions. Only active accounts are in an audience: a deactivated person is
enrolled in no new campaign and invited to no event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from thuvien.organisations.models import Membership, Unit, UnitKind

# The unit's tier flag → the audience's flag for the same tier.
TIER_FIELDS: dict[str, str] = {
    "has_preschool": "target_preschool",
    "has_primary": "target_primary",
    "has_lower_secondary": "target_lower_secondary",
    "has_upper_secondary": "target_upper_secondary",
}


class Audience(Protocol):
    target: Unit

    @property
    def roles(self) -> list[str]: ...


def targets_all_tiers(audience: Any) -> bool:
    """No tier ticked means every tier."""
    return not any(getattr(audience, flag) for flag in TIER_FIELDS.values())


def schools_q(audience: Any) -> Q:
    """The active schools the audience reaches, as a filter on units."""
    reached = Q(kind=UnitKind.SCHOOL, is_active=True, path__startswith=audience.target.path)
    if targets_all_tiers(audience):
        return reached
    tiers = Q()
    for unit_flag, audience_flag in TIER_FIELDS.items():
        if getattr(audience, audience_flag):
            tiers |= Q(**{unit_flag: True})
    return reached & tiers


def memberships(audience: Audience, on: dt.date) -> QuerySet[Membership]:
    """The memberships that put people (active accounts) in the audience on `on`, first school by
    path first."""
    schools = Unit.objects.filter(schools_q(audience))
    return (
        Membership.objects.current(on)
        .filter(unit__in=schools, role__in=audience.roles, user__is_active=True)
        .order_by("unit__path", "pk")
    )


def first_school(rows: Iterable[Membership]) -> dict[int, Membership]:
    """user id → the person's first membership (a person in two schools counts once)."""
    chosen: dict[int, Membership] = {}
    for membership in rows:
        chosen.setdefault(membership.user_id, membership)
    return chosen
