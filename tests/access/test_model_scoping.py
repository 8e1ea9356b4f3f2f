"""Every school-owned model of ThuVien is scoped: a walk over all models, not a list kept by hand.

A model is *school-owned* when it has a direct foreign key to `organisations.Unit` or to the user
model (people are scoped through their memberships), or is one of those two. Its default manager
(and every other manager) must hand out a `ScopedQuerySet` whose `scope_path` really leads to a
unit, and `visible_to` must keep the main school's rows away from the outsider while showing them
to the school itself. A new model that forgets this fails here, without anyone adding it to a list.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from thuvien.core.testing import World
from thuvien.organisations.access import ScopedQuerySet, resolve_scope
from thuvien.organisations.models import Unit

# Models that point at a person but belong to that person, not to a unit. Each must say why, and
# must still exist (a test below fails on a stale entry).
USER_OWNED_EXEMPTIONS: dict[str, str] = {
    "core.ImportBatch": (
        "an uploaded spreadsheet belongs to the person who uploaded it; views fetch it with "
        "ImportBatch.objects.owned_by(request.user) (tested below)"
    ),
    "notifications.Notification": (
        "a notification belongs to its recipient; views fetch it only with "
        "Notification.objects.for_recipient(request.user) (tests/notifications/test_views.py)"
    ),
}


def thuvien_models() -> list[type[models.Model]]:
    """Every model of ThuVien's own apps, except simple-history's Historical* copies."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("thuvien.")
        for model in config.get_models()
        if not model.__name__.startswith("Historical")
    ]


def _points_at(field: models.Field, target: type[models.Model]) -> bool:
    remote = field.remote_field.model if field.remote_field else None
    return isinstance(remote, type) and issubclass(remote, target)


def is_school_owned(model: type[models.Model]) -> bool:
    user_model = get_user_model()
    if issubclass(model, Unit | user_model):
        return True
    return any(
        isinstance(field, models.ForeignKey)
        and (_points_at(field, Unit) or _points_at(field, user_model))
        for field in model._meta.get_fields(include_hidden=True)
        if field.concrete
    )


def manager_problems(model: type[models.Model]) -> list[str]:
    """Why the model's managers are not scoped (empty when they are)."""
    problems = []
    managers = model._meta.managers or [model._default_manager]
    for manager in managers:
        queryset = manager.get_queryset()
        if not isinstance(queryset, ScopedQuerySet):
            problems.append(
                f"{model._meta.label}.{manager.name} returns {type(queryset).__name__}, "
                "not a ScopedQuerySet: derive the model's queryset from "
                "thuvien.organisations.access.ScopedQuerySet and set scope_path"
            )
        elif not isinstance(getattr(type(queryset), "scope_path", None), str):
            problems.append(f"{model._meta.label}: its ScopedQuerySet has no scope_path")
    return problems


def scoped_models() -> list[type[models.Model]]:
    return [
        model
        for model in thuvien_models()
        if is_school_owned(model) and model._meta.label not in USER_OWNED_EXEMPTIONS
    ]


def row_of_main_school(model: type[models.Model], world: World) -> Any:
    """A real row of the world's main school, found through the model's own foreign keys (not
    through its scope_path, which is what is under test)."""
    if issubclass(model, Unit):
        return world.school
    if issubclass(model, get_user_model()):
        return world.librarian
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and _points_at(field, Unit):
            row = model._default_manager.filter(**{field.name: world.school}).first()
            if row is not None:
                return row
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and _points_at(field, get_user_model()):
            row = model._default_manager.filter(**{field.name: world.librarian}).first()
            if row is not None:
                return row
    return None


def row_of_unit(model: type[models.Model], unit: Unit) -> Any:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and _points_at(field, Unit):
            row = model._default_manager.filter(**{field.name: unit}).first()
            if row is not None:
                return row
    return None


def test_the_walk_finds_the_models_we_know():
    labels = {model._meta.label for model in scoped_models()}
    assert {
        "organisations.Unit",
        "organisations.Membership",
        "organisations.UnitParentLink",
        "organisations.SchoolYearStats",
        "accounts.User",
    } <= labels, labels


@pytest.mark.parametrize("label", sorted(USER_OWNED_EXEMPTIONS))
def test_exemptions_name_existing_user_owned_models(label):
    model = apps.get_model(label)  # LookupError when the exemption has gone stale
    assert is_school_owned(model), f"{label} no longer points at a unit or a person: drop it"
    assert not issubclass(model, Unit | get_user_model())


@pytest.mark.parametrize("model", scoped_models(), ids=lambda model: model._meta.label)
def test_every_manager_of_a_school_owned_model_is_scoped(model):
    assert manager_problems(model) == []


@pytest.mark.parametrize("model", scoped_models(), ids=lambda model: model._meta.label)
def test_scope_path_leads_to_a_unit(db, model):
    queryset = model._default_manager.all()
    lookup = f"{queryset.scope_path}path__startswith"
    model._default_manager.filter(**{lookup: "/x/"}).exists()  # FieldError on a wrong path
    model._default_manager.filter(**{f"{queryset.scope_path}id": 1}).exists()


@pytest.mark.parametrize("model", scoped_models(), ids=lambda model: model._meta.label)
def test_outsider_cannot_see_a_row_of_the_main_school(world, model):
    row, insiders = row_of_main_school(model, world), (world.librarian, world.dept_admin)
    if row is None:  # rows owned by supervising units (an office's report): the main office's
        row, insiders = row_of_unit(model, world.office), (world.office_officer, world.dept_admin)
    if row is None:  # rows of the partner organisation (its agreement with the department)
        row, insiders = row_of_unit(model, world.partner), (world.trainer, world.dept_admin)
    assert row is not None, (
        f"the test world has no {model._meta.label} row of the main school: create one in "
        "thuvien.core.testing.build_world so this test can check its scoping"
    )
    rows = model._default_manager.all()
    outsider = resolve_scope(world.outsider, None)
    assert not rows.visible_to(outsider).filter(pk=row.pk).exists()
    # ... while the school itself and the department do see it (a scope that sees nothing at all
    # would pass the line above).
    for insider in insiders:
        assert rows.visible_to(resolve_scope(insider, None)).filter(pk=row.pk).exists(), insider


def test_import_batches_are_seen_only_by_their_uploader(world):
    from thuvien.core.models import ImportBatch

    batch = ImportBatch.objects.create(
        kind="units", created_by=world.dept_admin, filename="don-vi.xlsx", content=b""
    )
    assert list(ImportBatch.objects.owned_by(world.dept_admin)) == [batch]
    for other in (world.dept_officer, world.outsider, world.librarian):
        assert not ImportBatch.objects.owned_by(other).exists()


# --- The detector itself catches an unscoped model --------------------------------------------


@isolate_apps("tests.access")
def test_detector_flags_a_unit_owned_model_with_a_plain_manager():
    class Loose(models.Model):  # noqa: DJ008
        school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
        objects = models.Manager()

        class Meta:
            app_label = "access"

    class LooseQuerySet(ScopedQuerySet["Tidy"]):
        scope_path = "school__"

    class Tidy(models.Model):  # noqa: DJ008
        school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
        objects = LooseQuerySet.as_manager()

        class Meta:
            app_label = "access"

    class Unowned(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "access"

    assert is_school_owned(Loose)
    assert manager_problems(Loose), "a plain manager on a school-owned model must be flagged"
    assert is_school_owned(Tidy)
    assert manager_problems(Tidy) == []
    assert not is_school_owned(Unowned)
