"""Use cases of the organisation tree: create, edit, move, merge units; memberships.

Every function here is the single way its change happens (views, API, imports, commands and tests
call it), runs in one transaction and raises `OrganisationError` with a message a person can act on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.core import versions
from thuvien.organisations.models import (
    ALLOWED_PARENT_KINDS,
    ROLE_UNIT_KIND,
    SIGNS_FOR,
    SUPERVISING_KINDS,
    TREE_VERSION,
    Authority,
    Membership,
    Role,
    SchoolYearStats,
    Signer,
    Unit,
    UnitKind,
    UnitParentLink,
)


class OrganisationError(Exception):
    """A rule of the organisation tree was broken; the message says what to fix."""


UNIT_FIELDS = (
    "name",
    "code",
    "address",
    "phone",
    "email",
    "governing_body",
    "symbol",
    "has_preschool",
    "has_primary",
    "has_lower_secondary",
    "has_upper_secondary",
)


def _check_parent(kind: str, parent: Unit | None) -> None:
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        if parent is None:
            raise OrganisationError(
                _("A unit of kind “%(kind)s” must have a supervising unit.")
                % {"kind": UnitKind(kind).label}
            )
        raise OrganisationError(
            _("A unit of kind “%(kind)s” cannot be placed under “%(parent)s”.")
            % {"kind": UnitKind(kind).label, "parent": parent.name}
        )
    if parent is not None and not parent.is_active:
        raise OrganisationError(
            _("“%(parent)s” is no longer active; choose another supervising unit.")
            % {"parent": parent.name}
        )


def _check_code_free(code: str | None, *, exclude: Unit | None = None) -> None:
    if not code:
        return
    clash = Unit.objects.filter(code__iexact=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise OrganisationError(
            _("The Ministry code %(code)s is already used by another unit.") % {"code": code}
        )


def _set_path(unit: Unit) -> None:
    parent = unit.parent
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])


@transaction.atomic
def create_unit(
    *,
    kind: str,
    name: str,
    parent: Unit | None,
    by: Any = None,
    on: dt.date | None = None,
    **fields: Any,
) -> Unit:
    """Create a unit under `parent`, recording the start of that supervision."""
    _check_parent(kind, parent)
    _check_code_free(fields.get("code"))
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    if kind != UnitKind.SCHOOL:
        fields = {k: v for k, v in fields.items() if not k.startswith("has_")}
    unit = Unit.objects.create(kind=kind, name=name.strip(), parent=parent, **fields)
    _set_path(unit)
    UnitParentLink.objects.create(
        unit=unit, parent=parent, valid_from=on or timezone.localdate(), created_by=by
    )
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, by: Any = None, **fields: Any) -> Unit:
    """Edit a unit's own data (not its place in the tree: see `move_unit`)."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    _check_code_free(fields.get("code"), exclude=unit)
    for name, value in fields.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    unit.save()
    return unit


@transaction.atomic
def move_unit(
    unit: Unit,
    *,
    new_parent: Unit | None,
    on: dt.date,
    by: Any = None,
    reason: str = "",
) -> Unit:
    """Re-parent `unit` (and its subtree) from date `on`, keeping the previous supervision."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_parent(unit.kind, new_parent)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise OrganisationError(_("A unit cannot be moved under itself or one of its own units."))
    if new_parent == unit.parent:
        raise OrganisationError(
            _("The unit is already under “%(parent)s”.") % {"parent": new_parent}
        )
    current = unit.parent_links.filter(valid_to__isnull=True).first()
    if current is not None:
        if on <= current.valid_from:
            raise OrganisationError(
                _("The move date must be after %(date)s, when the current supervision began.")
                % {"date": current.valid_from.strftime("%d/%m/%Y")}
            )
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    UnitParentLink.objects.create(
        unit=unit, parent=new_parent, valid_from=on, created_by=by, reason=reason
    )
    old_path, old_depth = unit.path, unit.depth
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    _set_path(unit)
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk)
    descendants.update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") - old_depth + unit.depth,
    )
    versions.bump(TREE_VERSION)  # an UPDATE sends no signal
    return unit


@transaction.atomic
def merge_units(source: Unit, *, into: Unit, on: dt.date, by: Any = None) -> Unit:
    """Merge `source` into `into` from date `on`: its units and people move over, both histories
    stay (the source is kept, inactive, with `merged_into` set)."""
    if source.pk == into.pk:
        raise OrganisationError(_("A unit cannot be merged into itself."))
    if source.kind != into.kind:
        raise OrganisationError(_("Only units of the same kind can be merged."))
    if not into.is_active or not source.is_active:
        raise OrganisationError(_("Both units must be active to be merged."))
    if into.path.startswith(source.path):
        raise OrganisationError(_("A unit cannot be merged into one of its own units."))
    reason = _("Merged into %(unit)s") % {"unit": into.name}
    for child in Unit.objects.filter(parent=source, is_active=True):
        move_unit(child, new_parent=into, on=on, by=by, reason=reason)
    _end_memberships_and_copy(source, into, on=on)
    source.parent_links.filter(valid_to__isnull=True).update(valid_to=on)
    source.is_active = False
    source.merged_into = into
    source.save(update_fields=["is_active", "merged_into"])
    return into


def _end_memberships_and_copy(source: Unit, into: Unit, *, on: dt.date) -> None:
    for membership in Membership.objects.filter(unit=source).current(on):
        membership.valid_to = on - dt.timedelta(days=1) if on > membership.valid_from else on
        membership.save(update_fields=["valid_to"])
        already = Membership.objects.filter(
            user=membership.user_id, unit=into, role=membership.role, valid_to__isnull=True
        ).exists()
        if not already:
            Membership.objects.create(
                user_id=membership.user_id,
                unit=into,
                role=membership.role,
                reader_category=membership.reader_category,
                valid_from=on,
            )


def supervisor_on(unit: Unit, day: dt.date) -> Unit | None:
    """The nearest supervising unit (office or department) above `unit` on `day`."""
    seen: set[int] = set()
    current: Unit | None = unit.parent_on(day)
    while current is not None and current.pk not in seen:
        if current.kind in SUPERVISING_KINDS:
            return current
        seen.add(current.pk)
        current = current.parent_on(day)
    return None


@transaction.atomic
def set_year_stats(
    school: Unit, *, year: int, students: int, teachers: int, classes: int | None = None
) -> SchoolYearStats:
    if not school.is_school:
        raise OrganisationError(_("Student and teacher counts belong to schools only."))
    if students < 0 or teachers < 0:
        raise OrganisationError(_("Counts cannot be negative."))
    stats, _created = SchoolYearStats.objects.update_or_create(
        school=school,
        year=year,
        defaults={"students": students, "teachers": teachers, "classes": classes},
    )
    return stats


@transaction.atomic
def add_membership(
    user: Any,
    unit: Unit,
    role: str,
    *,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reader_category: str = "",
) -> Membership:
    """Give `user` a role in `unit`; the role must suit the kind of unit."""
    if role not in Role.values:
        raise OrganisationError(_("Unknown role: %(role)s.") % {"role": role})
    expected = ROLE_UNIT_KIND[role]
    if unit.kind != expected:
        raise OrganisationError(
            _("The role “%(role)s” is held in a unit of kind “%(kind)s”, not in “%(unit)s”.")
            % {"role": Role(role).label, "kind": UnitKind(expected).label, "unit": unit.name}
        )
    if not unit.is_active:
        raise OrganisationError(_("“%(unit)s” is no longer active.") % {"unit": unit.name})
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        raise OrganisationError(_("The end date must not be before the start date."))
    open_same = Membership.objects.filter(
        user=user, unit=unit, role=role, valid_to__isnull=True
    ).exists()
    if open_same and valid_to is None:
        raise OrganisationError(
            _("%(person)s already holds the role “%(role)s” in “%(unit)s”.")
            % {"person": user, "role": Role(role).label, "unit": unit.name}
        )
    return Membership.objects.create(
        user=user,
        unit=unit,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        reader_category=reader_category if role == Role.READER else "",
    )


@transaction.atomic
def end_membership(membership: Membership, *, on: dt.date) -> Membership:
    if on < membership.valid_from:
        raise OrganisationError(_("The end date must not be before the start date."))
    membership.valid_to = on
    membership.save(update_fields=["valid_to"])
    return membership


SIGNER_FIELDS = ("full_name", "position", "authority", "on_behalf_of", "is_head", "order")


def _check_signer(signer: Signer) -> None:
    signer.full_name, signer.position = signer.full_name.strip(), signer.position.strip()
    signer.on_behalf_of = signer.on_behalf_of.strip()
    if not signer.full_name or not signer.position:
        raise OrganisationError(_("A signer needs a name and a position."))
    if signer.authority not in Authority.values:
        raise OrganisationError(_("Unknown authority: %(value)s.") % {"value": signer.authority})
    if signer.authority in SIGNS_FOR and not signer.on_behalf_of:
        raise OrganisationError(
            _("Who does %(authority)s sign for? Give the head's position, e.g. Giám đốc.")
            % {"authority": signer.authority}
        )
    if signer.authority not in SIGNS_FOR:
        signer.on_behalf_of = ""


def _save_signer(signer: Signer) -> Signer:
    """Save `signer`; the unit's first signer is its head, and a new head replaces the old."""
    _check_signer(signer)
    others = Signer.objects.select_for_update().filter(unit=signer.unit).exclude(pk=signer.pk)
    if not others.filter(is_head=True).exists():
        signer.is_head = True
    elif signer.is_head:
        others.filter(is_head=True).update(is_head=False)
    signer.save()
    return signer


@transaction.atomic
def add_signer(unit: Unit, **fields: Any) -> Signer:
    """A person who signs `unit`'s documents (its head, a deputy signing "KT."…)."""
    unknown = set(fields) - set(SIGNER_FIELDS)
    if unknown:
        raise TypeError(f"unknown signer fields: {sorted(unknown)}")
    if not unit.is_active:
        raise OrganisationError(_("“%(unit)s” is no longer active.") % {"unit": unit.name})
    return _save_signer(Signer(unit=unit, **fields))


@transaction.atomic
def update_signer(signer: Signer, **fields: Any) -> Signer:
    unknown = set(fields) - set(SIGNER_FIELDS)
    if unknown:
        raise TypeError(f"unknown signer fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(signer, name, value)
    return _save_signer(signer)


@transaction.atomic
def remove_signer(signer: Signer) -> None:
    """Remove a signer; when it was the head, the next signer becomes the head."""
    unit, was_head = signer.unit, signer.is_head
    signer.delete()
    following = Signer.objects.filter(unit=unit).order_by("order", "full_name").first()
    if was_head and following is not None:
        following.is_head = True
        following.save(update_fields=["is_head"])
