"""Writing a planned demo province to the database, and clearing it away again.

Two writers make the same rows from a `ProvincePlan`: `write_with_services` goes through the real
use cases in `services`, audited row by row, like data typed in by hand; `write_in_bulk` uses
`bulk_create` a level of the tree at a time (path, depth and name_folded computed here, one
password hash for everyone) and writes the audit rows in bulk as well (`bulk_history_create`), so
that a 2,000-school province takes seconds, not hours, and history pages still work.
`clear_demo_data` deletes what either wrote (`seed_demo --reset`, development databases only).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction

from thuvien.core import demo as demo_parts
from thuvien.core import versions
from thuvien.core.folding import fold
from thuvien.organisations import services
from thuvien.organisations.demo.names import MAIL_DOMAIN
from thuvien.organisations.demo.plan import PersonPlan, ProvincePlan, SignerPlan, UnitPlan
from thuvien.organisations.models import (
    TREE_VERSION,
    Membership,
    ReaderCategory,
    SchoolYearStats,
    Signer,
    Unit,
    UnitParentLink,
)

BATCH = 500


def write_with_services(plan: ProvincePlan, password: str) -> None:
    for spec in plan.units:
        parent = spec.parent.saved if spec.parent else None
        spec.unit = services.create_unit(
            kind=spec.kind, name=spec.name, parent=parent, on=plan.founded, **spec.fields
        )
        for year, students, teachers, classes in spec.stats:
            services.set_year_stats(
                spec.unit, year=year, students=students, teachers=teachers, classes=classes
            )
    for signer in plan.signers:
        services.add_signer(signer.unit.saved, **_signer_fields(signer))
    for person in plan.people:
        user = get_user_model().objects.create(**_user_fields(person, password))
        services.add_membership(
            user,
            person.unit.saved,
            person.role,
            valid_from=person.since,
            reader_category=person.reader_category,
        )


def _signer_fields(signer: SignerPlan) -> dict[str, Any]:
    return {
        "full_name": signer.full_name,
        "position": signer.position,
        "authority": signer.authority,
        "on_behalf_of": signer.on_behalf_of,
        "is_head": signer.is_head,
        "order": signer.order,
    }


def _user_fields(person: PersonPlan, password: str) -> dict[str, Any]:
    students = person.reader_category == ReaderCategory.STUDENT
    return {
        "username": person.username,
        "email": "" if students else f"{person.username}@{MAIL_DOMAIN}",
        "full_name": person.full_name,
        "qualification": person.qualification,
        "password": password,
    }


def write_in_bulk(plan: ProvincePlan, password: str) -> None:
    """The same rows as `write_with_services`, written a level of the tree at a time: a unit's
    path holds its own id, which the database gives only on insert."""
    levels: dict[int, list[UnitPlan]] = {}
    for spec in plan.units:
        levels.setdefault(spec.depth, []).append(spec)
    for depth in sorted(levels):
        for spec in levels[depth]:
            spec.unit = Unit(
                kind=spec.kind,
                name=spec.name,
                name_folded=fold(spec.name),  # Unit.save keeps it; bulk_create skips save
                parent=spec.parent.saved if spec.parent else None,
                depth=depth,
                **spec.fields,
            )
        units = [spec.saved for spec in levels[depth]]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        for unit in units:
            unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        Unit.objects.bulk_update(units, ["path"], batch_size=BATCH)
    versions.bump(TREE_VERSION)  # bulk writes send no signal
    _bulk(Unit, [spec.saved for spec in plan.units], created=False)
    _bulk(
        UnitParentLink,
        [
            UnitParentLink(
                unit=spec.saved,
                parent=spec.parent.saved if spec.parent else None,
                valid_from=plan.founded,
            )
            for spec in plan.units
        ],
    )
    _bulk(
        SchoolYearStats,
        [
            SchoolYearStats(school=spec.saved, year=y, students=s, teachers=t, classes=c)
            for spec in plan.schools
            for y, s, t, c in spec.stats
        ],
    )
    _bulk(Signer, [Signer(unit=s.unit.saved, **_signer_fields(s)) for s in plan.signers])
    user_model = get_user_model()
    users = [user_model(**_user_fields(person, password)) for person in plan.people]
    _bulk(user_model, users)
    _bulk(
        Membership,
        [
            Membership(
                user=user,
                unit=person.unit.saved,
                role=person.role,
                reader_category=person.reader_category,
                valid_from=person.since,
            )
            for person, user in zip(plan.people, users, strict=True)
        ],
    )


def _bulk(model: type[models.Model], rows: list[Any], *, created: bool = True) -> None:
    """Insert `rows` (unless already `created`) and their "created" audit rows."""
    if created:
        model._default_manager.bulk_create(rows, batch_size=BATCH)
    model.history.bulk_history_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]


@transaction.atomic
def clear_demo_data() -> None:
    """Delete every unit and membership, every account that is not staff, and their audit rows.

    For development databases only (`seed_demo --reset`)."""
    demo_parts.clear_parts()  # the other apps' rows first: they point to units and people
    user_model = get_user_model()
    Membership.objects.all().delete()
    UnitParentLink.objects.all().delete()
    SchoolYearStats.objects.all().delete()
    Signer.objects.all().delete()
    Unit.objects.update(parent=None, merged_into=None)
    versions.bump(TREE_VERSION)
    Unit.objects.all().delete()
    user_model._default_manager.filter(is_staff=False, is_superuser=False).delete()
    for model in (Membership, UnitParentLink, SchoolYearStats, Signer, Unit):
        model.history.all().delete()
    user_model.history.exclude(id__in=user_model._default_manager.values("pk")).delete()
