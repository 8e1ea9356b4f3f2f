"""Every owned model of ThuVien declares its access policy: a walk over all models, not a list kept
by hand.

A model is *owned* when it is a unit or a person, or has a foreign key to a unit, a person or
another owned model (a topic of a campaign, a session of an event). Its managers must hand out a
`ScopedQuerySet`, it must declare a `policy` whose rules lead somewhere real, `visible_to` must
keep the main school's rows from the outsider while showing them to the school, and no queryset
may write its own `visible_to`. A row that belongs to a school through a parent (a note of a record)
must carry its school directly. A new model that forgets any of this fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from thuvien.access import (
    OwnedBy,
    Policy,
    ScopedQuerySet,
    Through,
    Via,
    policy_of,
    resolve_scope,
)
from thuvien.organisations.models import Unit
from thuvien.organisations.testing import World

# Owned models nobody reaches through a scope, each with the reason.
NOT_SCOPED: dict[str, str] = {
    "accounts.User_groups": "Django's groups, unused: roles are memberships (thuvien.access)",
    "accounts.User_user_permissions": "Django's permissions, unused: roles are memberships",
    "events.Event_co_organisers": (
        "which units co-organise an event: Django's own table behind Event.co_organisers, read "
        "only inside Event's policy (ORGANISED), never listed by a view"
    ),
}


# Owned models whose rows the whole province shares by design (the union catalogue: schools own
# copies, not records), each with the reason: every library role of the province sees them, a role
# without the catalogue (a reader's account) does not.
PROVINCE_SHARED: dict[str, str] = {
    "catalogue.Record": "the union catalogue's records, shared by every school of the province",
    "catalogue.RecordIsbn": "a shared record's ISBNs",
    "catalogue.RecordTerm": "a shared record's search terms",
    "catalogue.CatalogueSettings": "the province's call-number rule, read by every cataloguer",
    "catalogue.SruTarget": "the province's external catalogues, searched by every cataloguer",
}


def thuvien_models() -> list[type[models.Model]]:
    """Every table of ThuVien's own apps (many-to-many tables included), except
    simple-history's Historical* copies."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("thuvien.")
        for model in config.get_models(include_auto_created=True)
        if not model.__name__.startswith("Historical")
    ]


def _remote(field: Any) -> Any:
    remote = field.remote_field.model if getattr(field, "remote_field", None) else None
    return remote if isinstance(remote, type) else None


def _owned_roots() -> tuple[type[models.Model], ...]:
    return (Unit, get_user_model())


def is_owned(model: type[models.Model], seen: frozenset[type] = frozenset()) -> bool:
    if issubclass(model, _owned_roots()):
        return True
    for field in model._meta.concrete_fields:
        remote = _remote(field)
        if remote is None or remote in seen or remote is model:
            continue
        if issubclass(remote, _owned_roots()) or is_owned(remote, seen | {model}):
            return True
    return False


def manager_problems(model: type[models.Model]) -> list[str]:
    """Why the model is not scoped (empty when it is)."""
    problems = []
    for manager in model._meta.managers or [model._default_manager]:
        queryset = manager.get_queryset()
        if not isinstance(queryset, ScopedQuerySet):
            problems.append(
                f"{model._meta.label}.{manager.name} returns {type(queryset).__name__}, "
                "not a ScopedQuerySet: derive the model's queryset from "
                "thuvien.access.ScopedQuerySet"
            )
    try:
        policy_of(model)
    except TypeError as error:
        problems.append(str(error))
    return problems


def school_column_problems(model: type[models.Model]) -> list[str]:
    """A row whose parent belongs to a school carries the school itself: direct, non-null,
    indexed."""
    parents = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and _remote(field) is not None
        and field.name != "school"
        and any(f.name == "school" for f in _remote(field)._meta.concrete_fields)
    ]
    if not parents:
        return []
    try:
        school = model._meta.get_field("school")
    except Exception:
        return [
            f"{model._meta.label} belongs to a school through {parents[0].name} but has no "
            "`school` column: give it one (thuvien.organisations.ownership.OwnedThroughParent)"
        ]
    problems = []
    if _remote(school) is not Unit:
        problems.append(f"{model._meta.label}.school does not point at a unit")
    if school.null:
        problems.append(f"{model._meta.label}.school may be null")
    if not school.db_index and not _leads_an_index(model, "school"):
        problems.append(f"{model._meta.label}.school is not indexed")
    return problems


def _leads_an_index(model: type[models.Model], name: str) -> bool:
    """The column is the first of one of the model's indexes or unique constraints (which the
    database answers a lookup on that column alone from)."""
    leading = [list(index.fields)[:1] for index in model._meta.indexes]
    leading += [
        list(c.fields)[:1]
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.condition is None
    ]
    return [name] in leading


def owned_models() -> list[type[models.Model]]:
    return [m for m in thuvien_models() if is_owned(m) and m._meta.label not in NOT_SCOPED]


def every_scoped_queryset_class() -> list[type]:
    found, todo = [], [ScopedQuerySet]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def row_of(model: type[models.Model], world: World) -> tuple[Any, tuple[Any, ...]]:
    """A real row of the main school (or the main office, or the partner), found through the
    model's own foreign keys, and people who must see it."""
    if issubclass(model, Unit):
        return world.school, (world.librarian, world.dept_admin)
    if issubclass(model, get_user_model()):
        return world.librarian, (world.principal, world.dept_admin)
    for unit, insiders in (
        (world.school, (world.librarian, world.dept_admin)),
        (world.office, (world.office_officer, world.dept_admin)),
        (world.partner, (world.trainer, world.dept_admin)),
        (world.department, (world.dept_admin,)),
    ):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and _remote(field) is Unit:
                row = model._default_manager.filter(**{field.name: unit}).first()
                if row is not None:
                    return row, insiders
    user_model = get_user_model()
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and _remote(field) is user_model:
            for person in (world.librarian, world.dept_admin):
                row = model._default_manager.filter(**{field.name: person}).first()
                if row is not None:  # a person's own row: they see it
                    return row, (person,)
    for field in model._meta.concrete_fields:
        remote = _remote(field)
        if isinstance(field, models.ForeignKey) and remote is not None and is_owned(remote):
            parent, insiders = row_of(remote, world)
            if parent is not None:
                row = model._default_manager.filter(**{field.name: parent}).first()
                if row is not None:
                    return row, insiders
    return None, ()


def test_the_walk_finds_the_models_we_know():
    labels = {model._meta.label for model in owned_models()}
    assert {
        "organisations.Unit",
        "organisations.Membership",
        "organisations.UnitParentLink",
        "organisations.SchoolYearStats",
        "accounts.User",
        "training.Enrolment",
        "training.Topic",
        "events.CheckIn",
        "core.ImportBatch",
        "notifications.Notification",
    } <= labels, labels


@pytest.mark.parametrize("model", owned_models(), ids=lambda model: model._meta.label)
def test_every_owned_model_is_scoped_and_declares_a_policy(model):
    assert manager_problems(model) == []


@pytest.mark.parametrize("model", thuvien_models(), ids=lambda model: model._meta.label)
def test_rows_of_a_school_carry_their_school(model):
    assert school_column_problems(model) == []


@pytest.mark.parametrize(
    "queryset_class", every_scoped_queryset_class(), ids=lambda cls: cls.__qualname__
)
def test_no_queryset_writes_its_own_visible_to(queryset_class):
    assert "visible_to" not in vars(queryset_class)
    assert "allowed_to" not in vars(queryset_class)


@pytest.fixture
def every_row(world: World) -> World:
    """The world, plus a row of each owned model the world itself does not need."""
    from thuvien.core.models import ImportBatch
    from thuvien.events.models import Event, EventMaterial, Feedback, Photo, SessionRating
    from thuvien.training.models import Campaign, Enrolment, ReportVersion, StudyNote

    campaign = Campaign.objects.get(target=world.school)
    campaign.topics.create(title="Chủ đề thử")
    campaign.milestones.create(
        name="Mốc thử", start=campaign.issued_on, end=campaign.school_deadline
    )
    campaign.scale_levels.create(label="Đạt", order=9, passes=True)
    campaign.materials.create(title="Tài liệu thử", url="https://example.vn/a")
    enrolment = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    StudyNote.objects.create(
        enrolment=enrolment, date=campaign.issued_on, content="Đọc tài liệu", hours=1
    )
    ReportVersion.objects.create(enrolment=enrolment, body="<p>Bài thu hoạch</p>")
    enrolment.extra_topics.add(
        campaign.topics.first(), through_defaults={"school_id": enrolment.school_id}
    )
    event = Event.objects.get(organiser=world.partner)
    EventMaterial.objects.create(
        event=event, title="Tài liệu", file="events/x.pdf", file_name="x.pdf"
    )
    Photo.objects.create(event=event, image="events/x.jpg")
    feedback = Feedback.objects.get(registration__event=event, registration__user=world.librarian)
    SessionRating.objects.create(feedback=feedback, session=event.sessions.first(), rating=5)
    ImportBatch.objects.create(
        kind="units", created_by=world.dept_admin, filename="don-vi.xlsx", content=b""
    )
    from thuvien.catalogue.models import CatalogueSettings, SruTarget

    CatalogueSettings.objects.create(department=world.department)
    SruTarget.objects.create(
        department=world.department, name="Thư viện Quốc gia", url="https://sru.example.vn/"
    )
    from thuvien.catalogue.models import Copy
    from thuvien.circulation.models import Reader
    from thuvien.circulation.services import desk

    reader = Reader.objects.filter(school=world.school).first()
    copy = Copy.objects.filter(school=world.school).first()
    desk.check_out(world.school, reader, copy.barcode, by=None)
    from thuvien.stocktake import services as stocktakes

    stocktake = stocktakes.open_stocktake(world.school, by=world.librarian)
    stocktakes.scan(stocktake, copy.barcode, by=None)
    stocktakes.close(stocktake, by=None)  # the other copies: missing lines
    import datetime as dt

    from thuvien.circulation.models import ActivityPhoto, OnSiteReading, ReadingActivity
    from thuvien.circulation.services import holds

    novel = Copy.objects.filter(school=world.school, collection__code="STN").first()
    holds.place_hold(world.school, Reader.objects.get(school=world.school, code="HS0002"),
                     novel.record)  # fmt: skip
    activity = ReadingActivity.objects.create(
        school=world.school, kind="book_day", title="Ngày Sách", held_on=dt.date(2026, 4, 21)
    )
    ActivityPhoto.objects.create(school=world.school, activity=activity, image="circulation/x.jpg")
    OnSiteReading.objects.create(school=world.school, day=dt.date(2026, 4, 21), readers=30)
    from thuvien.circulation.models import SipAccount

    SipAccount.objects.create(school=world.school, login="kiosk-a1")
    return world


@pytest.mark.parametrize("model", owned_models(), ids=lambda model: model._meta.label)
def test_outsider_cannot_see_a_row_that_insiders_see(every_row, model):
    world = every_row
    row, insiders = row_of(model, world)
    assert row is not None, (
        f"the test world has no {model._meta.label} row of the main school: create one in "
        "the app's testing.py (extend_world) so this test can check its policy"
    )
    rows = model._default_manager.all()
    if model._meta.label in PROVINCE_SHARED:
        assert rows.visible_to(resolve_scope(world.outsider, None)).filter(pk=row.pk).exists()
        assert not rows.visible_to(resolve_scope(world.reader, None)).filter(pk=row.pk).exists()
        return
    assert not rows.visible_to(resolve_scope(world.outsider, None)).filter(pk=row.pk).exists()
    # ... while insiders do see it (a policy that shows nothing at all would pass the line above).
    for insider in insiders:
        scope = resolve_scope(insider, None)
        assert rows.visible_to(scope).filter(pk=row.pk).exists(), (model, insider)


# --- The detectors themselves catch what they must -----------------------------------------------


@isolate_apps("tests.access")
def test_detectors_flag_an_unscoped_model_a_missing_policy_and_a_missing_school():
    class Loose(models.Model):  # noqa: DJ008
        school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
        objects = models.Manager()

        class Meta:
            app_label = "access"

    class NoPolicyQuerySet(ScopedQuerySet["NoPolicy"]):
        pass

    class NoPolicy(models.Model):  # noqa: DJ008
        school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
        objects = NoPolicyQuerySet.as_manager()

        class Meta:
            app_label = "access"

    class TidyQuerySet(ScopedQuerySet["Tidy"]):
        pass

    class Tidy(models.Model):  # noqa: DJ008
        school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
        policy = Policy(see=OwnedBy("school"))
        objects = TidyQuerySet.as_manager()

        class Meta:
            app_label = "access"

    class OrphanQuerySet(ScopedQuerySet["Orphan"]):
        pass

    class Orphan(models.Model):  # noqa: DJ008 — reaches its school only through Tidy
        parent = models.ForeignKey(Tidy, on_delete=models.CASCADE, related_name="+")
        policy = Policy(see=Via("parent"))
        objects = OrphanQuerySet.as_manager()

        class Meta:
            app_label = "access"

    class Unowned(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "access"

    assert is_owned(Loose) and manager_problems(Loose)
    assert is_owned(NoPolicy) and manager_problems(NoPolicy)
    assert is_owned(Tidy) and manager_problems(Tidy) == []
    assert is_owned(Orphan) and manager_problems(Orphan) == []
    assert school_column_problems(Orphan), "a child row without its school must be flagged"
    assert school_column_problems(Tidy) == []
    assert not is_owned(Unowned)


def test_a_queryset_that_writes_its_own_visible_to_is_refused_at_import():
    with pytest.raises(TypeError, match="declare the model's `policy`"):

        class Sneaky(ScopedQuerySet[Any]):
            def visible_to(self, scope: Any) -> Any:  # type: ignore[override]
                return self


def test_rules_compose_and_describe_themselves():
    rule = OwnedBy("school") | Through("registrations", OwnedBy("school"))
    assert rule.describe() == "OwnedBy('school') | Through('registrations', OwnedBy('school'))"
