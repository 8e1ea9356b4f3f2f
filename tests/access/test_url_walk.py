"""Every URL of the project, asked by every role for objects outside its scope, is refused.

The walk reads the URL configuration itself (pages, admin, the API under /api/v1/), so a new URL is
walked without anyone listing it. Each URL parameter is filled BY NAME with ids of objects outside
the acting person's scope; a parameter name the walk does not know fails the test, so that nobody
can add a URL it does not check. What "outside" means is written out below by hand from the test
world, not computed with the access module under test.

A refused request answers 302 (to a login page), 401, 403, 404 or 405, never shows the object, never
changes a foreign row and never changes who is logged in or which role is active. Pages without
parameters (home, lists, the API lists) are asked with and without foreign ids in the query string
and a foreign `X-Membership` header, and must not show anything outside the scope either.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, models
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize
from rest_framework.authtoken.models import Token

from thuvien.access import SESSION_KEY
from thuvien.core.models import ImportBatch
from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.organisations.testing import OUTSIDER_MARK, World, make_user

# Every name of the second province carries this (and so also OUTSIDER_MARK).
SECOND_MARK = f"{OUTSIDER_MARK}Khac"
REFUSED = {302, 401, 403, 404, 405}
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")
LOGOUT_URLS = {"accounts:logout"}  # may end the session; everything else must keep it
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
MINIMUM_COMBINATIONS = 1500

# Filled by the walk: URL × role × foreign object combinations and requests sent.
WALKED: dict[str, int] = {"combinations": 0, "requests": 0, "urls": 0}


# --- The URLs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    template: str  # "units/%(unit_id)s/"
    params: tuple[str, ...]
    name: str  # "organisations:unit_detail", or the route when the pattern has no name
    callback: Callable[..., Any]

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")


def _strip(regex: str) -> str:
    return regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def all_endpoints(
    patterns: list[Any] | None = None, prefix: str = "", ns: str = ""
) -> Iterator[Endpoint]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = prefix + _strip(pattern.pattern.regex.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{ns}:{pattern.namespace}" if ns and pattern.namespace else pattern.namespace
            yield from all_endpoints(pattern.url_patterns, regex, inner or ns)
            continue
        template, params = normalize(regex)[0]
        name = f"{ns}:{pattern.name}" if ns and pattern.name else pattern.name or regex
        yield Endpoint(template, tuple(params), name, pattern.callback)


# --- Who acts, and what lies outside their scope -----------------------------------------------


def build_second_province(world: World) -> dict[str, Any]:
    """Another department's tree: outside the scope of everybody in the world, even the Sở."""
    dept = services.create_unit(
        kind=UnitKind.DEPARTMENT, name=f"Sở GD&ĐT {SECOND_MARK}", parent=None
    )
    office = services.create_unit(kind=UnitKind.OFFICE, name=f"Phòng GD {SECOND_MARK}", parent=dept)
    school = services.create_unit(
        kind=UnitKind.SCHOOL,
        name=f"Trường THCS {SECOND_MARK}",
        parent=office,
        has_lower_secondary=True,
    )
    services.set_year_stats(school, year=2025, students=300, teachers=15)
    admin_user = make_user("so_khac", f"Quản trị {SECOND_MARK}")
    librarian = make_user("thuvien_khac", f"Thủ thư {SECOND_MARK}")
    services.add_membership(admin_user, dept, Role.DEPARTMENT_ADMIN)
    invited = make_user("moi_khac", f"Giáo viên {SECOND_MARK}")
    invited.set_unusable_password()  # invited, has not chosen a password yet
    invited.save()
    services.add_membership(librarian, school, Role.LIBRARIAN)
    services.add_membership(invited, school, Role.TEACHER_LIBRARIAN)
    Token.objects.create(user=librarian)
    for owner, tag in ((admin_user, SECOND_MARK), (world.dept_admin, "so-admin")):
        for kind in ("units", "staff", "catalogue_marc", "catalogue_sheet"):
            ImportBatch.objects.create(
                kind=kind, created_by=owner, filename=f"{tag}-{kind}.xlsx", content=b"PK"
            )
    return {
        "school": school,
        "librarian": librarian,
        "training": _training_rows(world, dept),
        "events": _events_rows(world, dept),
    }


def _campaign_rows(issuer: Unit, by: Any, school: Unit, subject: str) -> dict[str, list[Any]]:
    """A published campaign of `issuer`, its enrolments and `school`'s package."""
    import datetime as dt
    from decimal import Decimal

    from thuvien.training import services as training
    from thuvien.training.models import Enrolment, UnitReport

    campaign = training.create_campaign(
        issuer, by=by, subject=subject, school_year=2025, school_deadline=dt.date(2026, 4, 10),
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN], symbol="KH",
    )  # fmt: skip
    training.add_topic(campaign, title=f"Chuyên đề {subject}")
    material = training.add_material(campaign, title=f"Tài liệu {subject}")
    training.publish_campaign(campaign, by=by)  # today: the second province began today
    package = training.prepare_school_package(campaign, school, summary=subject)
    enrolments = list(Enrolment.objects.filter(campaign=campaign).order_by("pk"))
    assert enrolments, subject
    note = training.add_study_note(
        enrolments[0], date=dt.date.today(), content=f"Ghi chép {subject}", hours=Decimal(2)
    )
    version = training.save_report_version(enrolments[0], body=f"<p>Bài {subject}</p>")
    report = UnitReport.objects.create(campaign=campaign, unit=issuer, results=subject)
    return {
        "campaigns": [campaign],
        "enrolments": enrolments,
        "packages": [package],
        "materials": [material],
        "notes": [note],
        "versions": [version],
        "reports": [report],
    }


def _training_rows(world: World, second_dept: Unit) -> dict[str, dict[str, list[Any]]]:
    """Training rows of the second province (foreign to all) and of office B (foreign to the
    office and school roles of the main branch, not to the Sở nor to the outsider)."""
    second_admin = Membership.objects.get(unit=second_dept).user
    second_school = Unit.objects.get(name=f"Trường THCS {SECOND_MARK}")
    return {
        "second": _campaign_rows(
            second_dept, second_admin, second_school, f"Tự bồi dưỡng {SECOND_MARK}"
        ),
        "office_b": _campaign_rows(
            world.office_b, world.office_b_officer, world.outsider_school,
            f"Tự bồi dưỡng {OUTSIDER_MARK}",
        ),
    }  # fmt: skip


def _event_rows(organiser: Unit, target: Unit, person: Any, school: Unit, subject: str) -> dict:
    """An event of `organiser` for `target`'s schools, `person` registered, checked in and
    certified, with a session, a material, a photo and an agreement of a partner."""
    import datetime as dt
    import io

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from thuvien.events import models as ev

    day = dt.date(2025, 11, 10)
    start = timezone.make_aware(dt.datetime(2025, 11, 10, 8))
    partner = services.create_unit(kind=UnitKind.PARTNER, name=f"Đối tác {subject}", parent=None)
    agreement = ev.Agreement.objects.create(
        partner=partner, department=organiser, title=f"Thỏa thuận {subject}",
        signed_on=day, valid_from=day,
    )  # fmt: skip
    event = ev.Event.objects.create(
        organiser=organiser, agreement=agreement, title=f"Tập huấn {subject}", starts_on=day,
        ends_on=day, venue=f"Hội trường {subject}", target=target, capacity=10,
        target_roles=f",{Role.LIBRARIAN},", status=ev.EventStatus.OPEN,
    )  # fmt: skip
    session = ev.EventSession.objects.create(
        event=event, title=f"Phiên {subject}", starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )  # fmt: skip
    registration = ev.Registration.objects.create(
        event=event, user=person, school=school, status=ev.RegistrationStatus.REGISTERED,
        certificate_code=f"cert-{organiser.pk}-{person.pk}", certificate_issued_at=start,
    )  # fmt: skip
    ev.CheckIn.objects.create(
        registration=registration, session=session, at=start, method=ev.CheckInMethod.LIST
    )
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(png, "PNG")
    photo = ev.Photo.objects.create(event=event, caption=f"Ảnh {subject}")
    photo.image.save("anh.png", ContentFile(png.getvalue()))
    material = ev.EventMaterial(event=event, title=f"Bài giảng {subject}", file_name="bg.pdf")
    material.file.save("bg.pdf", ContentFile(b"%PDF-1.4 walk"))
    return {
        "events": [event],
        "sessions": [session],
        "registrations": [registration],
        "photos": [photo],
        "event_materials": [material],
        "agreements": [agreement],
    }


def _events_rows(world: World, second_dept: Unit) -> dict[str, dict[str, list[Any]]]:
    """Events of the second province (foreign to all), and one of the Sở for office B's schools
    (foreign to the office and school roles of the main branch and to the trainer)."""
    second_librarian = get_user_model().objects.get(username="thuvien_khac")
    second_school = Unit.objects.get(name=f"Trường THCS {SECOND_MARK}")
    return {
        "second": _event_rows(
            second_dept, second_dept, second_librarian, second_school, SECOND_MARK
        ),
        "office_b": _event_rows(
            world.department, world.office_b, world.outsider, world.outsider_school,
            OUTSIDER_MARK,
        ),
    }  # fmt: skip


def expected_scope(world: World, label: str) -> set[Unit]:
    """The units each actor may reach, written out from the world's tree (organisations/testing)."""
    everything = {
        world.department, world.office, world.school, world.school_a2,
        world.thpt, world.partner, world.office_b, world.outsider_school,
    }  # fmt: skip
    school_roles = {Role.PRINCIPAL, Role.LIBRARIAN, Role.TEACHER_LIBRARIAN, Role.READER}
    if label in {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER}:
        return everything
    if label == Role.OFFICE_OFFICER:
        return {world.office, world.school, world.school_a2}
    if label in school_roles:
        return {world.school}
    return {
        Role.TRAINER: {world.partner},
        "outsider": {world.outsider_school},
        "anonymous": set(),
    }[label]


@dataclass
class Actor:
    label: str
    user: Any  # None: anonymous
    scope: set[Unit]
    units: list[Unit] = field(default_factory=list)  # foreign, best first
    memberships: list[Membership] = field(default_factory=list)
    users: list[Any] = field(default_factory=list)
    batches: list[ImportBatch] = field(default_factory=list)
    forbidden: tuple[str, ...] = ()  # must appear on no page this actor gets
    own_memberships: set[int] = field(default_factory=set)
    training: dict[str, list[Any]] = field(default_factory=dict)  # campaigns, enrolments, packages
    events: dict[str, list[Any]] = field(default_factory=dict)  # events, sessions, registrations…


def make_actor(label: str, user: Any, world: World, second: dict[str, Any]) -> Actor:
    scope = expected_scope(world, label)
    ids = {unit.pk for unit in scope}
    ancestors = {ancestor for unit in scope for ancestor in unit.ancestor_ids()}
    first = (second["school"].pk, world.outsider_school.pk)
    units = sorted(Unit.objects.exclude(pk__in=ids), key=lambda u: (u.pk not in first, u.path))
    users = get_user_model().objects.exclude(memberships__unit__in=ids)
    users = sorted(
        users.exclude(pk=getattr(user, "pk", None)), key=lambda u: u != second["librarian"]
    )
    forbidden = [SECOND_MARK] + [u.name for u in units if u.pk not in ancestors]
    forbidden += [u.full_name for u in users]
    if label not in {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER, "outsider"}:
        forbidden.append(OUTSIDER_MARK)
    return Actor(
        label=label,
        user=user,
        scope=scope,
        units=units,
        memberships=list(Membership.objects.exclude(unit__in=ids).order_by("unit__path", "pk")),
        users=users,
        batches=list(ImportBatch.objects.exclude(created_by=user).order_by("filename")),
        forbidden=tuple(forbidden),
        own_memberships=set(Membership.objects.filter(user=user).values_list("pk", flat=True))
        if user
        else set(),
        training=_foreign_training(label, second["training"]),
        events=_foreign_training(label, second["events"]),
    )


def _foreign_training(label: str, rows: dict[str, dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """The second province's rows for everybody; office B's too, except for those who see them."""
    sources = [rows["second"]]
    if label not in {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER, "outsider"}:
        sources.append(rows["office_b"])
    return {kind: [row for source in sources for row in source[kind]] for kind in rows["second"]}


# --- Filling URL parameters BY NAME with foreign objects ---------------------------------------


@dataclass(frozen=True)
class Case:
    kwargs: dict[str, Any]
    label: str
    forbidden: tuple[str, ...] = ()
    token_link: bool = False  # a password-reset link: the token itself is the permission
    # A page public by design (a certificate's verification): it may answer, and may show these
    # texts of the foreign row (the holder's name, the event) but nothing else that is foreign.
    public_shows: tuple[str, ...] | None = None


def _units(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [Case({"unit_id": u.pk}, f"unit {u.name}", (u.name,)) for u in actor.units]


def _memberships(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [
        Case({"membership_id": m.pk}, f"membership {m}", (m.user.full_name,))
        for m in actor.memberships
    ]


def _users(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [Case({"user_id": u.pk}, f"user {u.username}", (u.full_name,)) for u in actor.users]


def _batches(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [Case({"batch_id": b.pk}, f"batch {b.filename}", (b.filename,)) for b in actor.batches]


def _campaigns(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [
        Case({"campaign_id": c.pk}, f"campaign {c.subject}", (c.subject,))
        for c in actor.training["campaigns"]
    ]


def _enrolments(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [
        Case({"enrolment_id": e.pk}, f"enrolment {e.pk}", (e.user.full_name,))
        for e in actor.training["enrolments"]
    ]


def _packages(actor: Actor, endpoint: Endpoint) -> list[Case]:
    return [
        Case({"package_id": p.pk}, f"package {p.pk}", (p.summary,))
        for p in actor.training["packages"]
    ]


def _training_rows_named(kind: str, param: str) -> Callable[[Actor, Endpoint], list[Case]]:
    """Foreign training rows of one kind (materials, notes…), each must not show its campaign."""

    def cases(actor: Actor, endpoint: Endpoint) -> list[Case]:
        return [
            Case({param: row.pk}, f"{kind} {row.pk}", (_campaign_of(row).subject,))
            for row in actor.training[kind]
        ]

    return cases


def _campaign_of(row: Any) -> Any:
    return row.campaign if hasattr(row, "campaign") else row.enrolment.campaign


def _event_rows_named(kind: str, param: str) -> Callable[[Actor, Endpoint], list[Case]]:
    """Foreign event rows of one kind; the page must not show the event's title."""

    def cases(actor: Actor, endpoint: Endpoint) -> list[Case]:
        return [
            Case({param: row.pk}, f"{kind} {row.pk}", (_event_of(row).title,))
            for row in actor.events[kind]
        ]

    return cases


def _event_of(row: Any) -> Any:
    from thuvien.events.models import Agreement, Event

    if isinstance(row, Event):
        return row
    if isinstance(row, Agreement):
        return row.events.get()
    return row.event


def _checkin_codes(actor: Actor, endpoint: Endpoint) -> list[Case]:
    """A foreign session's QR code: the person is not registered there, nothing is recorded.
    The code is the key to its session (public by design): an anonymous visitor is shown the
    event, the session and its venue, and nothing else of the foreign world."""
    if actor.user is None:
        return [
            Case(
                {"checkin_code": s.checkin_code},
                f"check-in {s.title}",
                public_shows=(s.event.title, s.title, s.venue or s.event.venue),
            )
            for s in actor.events["sessions"]
        ]
    return [
        Case({"checkin_code": s.checkin_code}, f"check-in {s.title}", (s.event.title,))
        for s in actor.events["sessions"]
    ]


def _certificates(actor: Actor, endpoint: Endpoint) -> list[Case]:
    """The verification page is public by design: it shows the holder, the event, the organiser
    and the dates, and nothing else of the foreign world."""
    return [
        Case(
            {"certificate_code": r.certificate_code},
            f"certificate {r.certificate_code}",
            public_shows=(r.user.full_name, r.event.title, r.event.organiser.name, r.school.name),
        )
        for r in actor.events["registrations"]
    ]


def _reset_links(actor: Actor, endpoint: Endpoint) -> list[Case]:
    other = actor.users[0]
    uid = urlsafe_base64_encode(force_bytes(other.pk))
    mine = default_token_generator.make_token(actor.user) if actor.user else "x-x"
    return [
        Case({"uidb64": uid, "token": mine}, "reset link: another user's id, my token", (), True),
        Case(
            {"uidb64": uid, "token": default_token_generator.make_token(other)},
            f"reset link of {other.username}",
            (),
            True,
        ),
    ]


def _admin_model(endpoint: Endpoint) -> type[models.Model]:
    # ModelAdmin.get_urls marks its views; extra views wrap a bound method of the ModelAdmin.
    model_admin = getattr(endpoint.callback, "model_admin", None) or getattr(
        getattr(endpoint.callback, "__wrapped__", None), "__self__", None
    )
    if isinstance(model_admin, admin.ModelAdmin):
        return model_admin.model
    for model in admin.site._registry:
        if endpoint.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    raise LookupError(f"cannot tell which model {endpoint.name} is about")


def foreign_row(actor: Actor, model: type[models.Model]) -> Any:
    if issubclass(model, Unit):
        return actor.units[0]
    if issubclass(model, get_user_model()):
        return actor.users[0]
    links = {Unit: [u.pk for u in actor.units], get_user_model(): [u.pk for u in actor.users]}
    for fk in model._meta.concrete_fields:
        for target, ids in links.items():
            if isinstance(fk, models.ForeignKey) and issubclass(fk.related_model, target):
                row = model._default_manager.filter(**{f"{fk.name}__in": ids[:1]}).first()
                if row is not None:
                    return row
    return model._default_manager.order_by("pk").first()  # not tenant data (groups, axes…)


def _admin_object(actor: Actor, endpoint: Endpoint) -> list[Case]:
    row = foreign_row(actor, _admin_model(endpoint))
    return [Case({"object_id": row.pk if row else 1}, f"admin object {row}", ())]


def _admin_user(actor: Actor, endpoint: Endpoint) -> list[Case]:
    if not issubclass(_admin_model(endpoint), get_user_model()):
        raise LookupError(f"{endpoint.name}: `id` is only known on the admin's user pages")
    return [Case({"id": actor.users[0].pk}, f"admin user {actor.users[0].username}", ())]


def _admin_version(actor: Actor, endpoint: Endpoint) -> list[Case]:
    model = _admin_model(endpoint)
    row = foreign_row(actor, model)
    version = model.history.filter(pk=row.pk).first() if row else None
    kwargs = {"_0": row.pk if row else 1, "_1": version.history_id if version else 1}
    return [Case(kwargs, f"admin history version of {row}", ())]


def _view_on_site(actor: Actor, endpoint: Endpoint) -> list[Case]:
    kwargs = {
        "content_type_id": ContentType.objects.get_for_model(Unit).pk,
        "object_id": actor.units[0].pk,
    }
    return [Case(kwargs, f"view on site {actor.units[0].name}", (actor.units[0].name,))]


def _api_pk(actor: Actor, endpoint: Endpoint) -> list[Case]:
    queryset = getattr(getattr(endpoint.callback, "cls", None), "queryset", None)
    if queryset is None:
        raise LookupError(
            f"{endpoint.name}: cannot tell which model `pk` names; call the parameter after "
            "its model (unit_id, membership_id…) or set the view's queryset"
        )
    row = foreign_row(actor, queryset.model)
    return [Case({"pk": row.pk}, f"{queryset.model.__name__} {row}", (str(row),))]


def _frameworks(actor: Actor, endpoint: Endpoint) -> list[Case]:
    """A framework is the province's reference data, no school's: every library role reads it;
    the walk checks the pages answer without an error and show nothing foreign."""
    from thuvien.standards import services
    from thuvien.standards.models import Framework

    services.ship_frameworks()
    return [
        Case({"framework_id": f.pk}, f"framework {f.code}", public_shows=())
        for f in Framework.objects.all()
    ]


def _criteria(actor: Actor, endpoint: Endpoint) -> list[Case]:
    from thuvien.standards import services
    from thuvien.standards.models import Criterion

    services.ship_frameworks()
    criterion = Criterion.objects.order_by("pk").first()
    assert criterion is not None
    return [Case({"criterion_id": criterion.pk}, f"criterion {criterion.code}", public_shows=())]


def _foreign_assessment(actor: Actor) -> Any:
    """A self-assessment (with its window, a value and its evidence) of the actor's first foreign
    school, made once: the school of the second province."""
    from django.core.files.base import ContentFile

    from thuvien.standards import results, services
    from thuvien.standards.models import (
        Assessment,
        AssessmentValue,
        AssessmentWindow,
        Evidence,
        Framework,
    )

    school = next(unit for unit in actor.units if unit.is_school and SECOND_MARK in unit.name)
    department = Unit.objects.get(pk=school.ancestor_ids()[0])
    services.ship_frameworks()
    version = Framework.objects.get(code="tt16-2022").current
    window, _created = AssessmentWindow.objects.get_or_create(
        issuer=department,
        year=2024,
        defaults={
            "target": department,
            "framework_version": version,
            "title": f"Tự đánh giá {SECOND_MARK}",
            "opens_on": dt.date(2025, 5, 1),
            "closes_on": dt.date(2025, 7, 31),
        },
    )
    assessment, created = Assessment.objects.get_or_create(
        window=window, school=school, defaults={"tier": results.tier_of(school)}
    )
    if created:
        value = AssessmentValue.objects.create(
            assessment=assessment, school=school, criterion=version.criteria.first()
        )
        evidence = Evidence(value=value, school=school, file_name=f"{SECOND_MARK}.pdf")
        evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
        evidence.save()
    return assessment


def _assessments(actor: Actor, endpoint: Endpoint) -> list[Case]:
    assessment = _foreign_assessment(actor)
    label = f"self-assessment of {assessment.school.name}"
    return [Case({"assessment_id": assessment.pk}, label, (assessment.school.name,))]


def _assessment_indicators(actor: Actor, endpoint: Endpoint) -> list[Case]:
    assessment = _foreign_assessment(actor)
    kwargs = {"assessment_id": assessment.pk, "metric": "total_area_m2"}
    return [Case(kwargs, f"indicator of {assessment.school.name}", (assessment.school.name,))]


def _windows(actor: Actor, endpoint: Endpoint) -> list[Case]:
    window = _foreign_assessment(actor).window
    return [Case({"window_id": window.pk}, f"window {window.title}", (window.title,))]


def _evidence(actor: Actor, endpoint: Endpoint) -> list[Case]:
    from thuvien.standards.models import Evidence

    assessment = _foreign_assessment(actor)
    evidence = Evidence.objects.filter(value__assessment=assessment).first()
    assert evidence is not None
    return [Case({"evidence_id": evidence.pk}, f"evidence {evidence.file_name}", (SECOND_MARK,))]


def _plans(actor: Actor, endpoint: Endpoint) -> list[Case]:
    from thuvien.standards.models import DevelopmentPlan, PlanAction

    assessment = _foreign_assessment(actor)
    plan, created = DevelopmentPlan.objects.get_or_create(
        school=assessment.school, year=assessment.window.year
    )
    if created:
        PlanAction.objects.create(plan=plan, school=assessment.school, title=f"Việc {SECOND_MARK}")
    return [Case({"plan_id": plan.pk}, f"plan of {assessment.school.name}", (SECOND_MARK,))]


def _recognitions(actor: Actor, endpoint: Endpoint) -> list[Case]:
    from thuvien.standards.models import AssessmentStatus, Recognition

    assessment = _foreign_assessment(actor)
    if not hasattr(assessment, "recognition"):
        Assessment = type(assessment)
        Assessment.objects.filter(pk=assessment.pk).update(
            status=AssessmentStatus.RECOGNISED, sent_to=assessment.window.issuer
        )
        Recognition.objects.create(
            assessment=assessment,
            school=assessment.school,
            decided_by=assessment.window.issuer,
            decision_number=f"1/QĐ-{SECOND_MARK}",
            decided_on=dt.date(2025, 8, 1),
        )
    recognition = Recognition.objects.get(assessment=assessment)
    label = f"recognition of {assessment.school.name}"
    return [Case({"recognition_id": recognition.pk}, label, (assessment.school.name,))]


def _foreign_collection(actor: Actor) -> dict[str, Any]:
    """A record catalogued by the second province's school, two of its copies (numbered with a
    prefix that carries the mark), a batch and a withdrawal, made once."""
    from thuvien.catalogue.models import (
        AcquisitionBatch,
        Collection,
        Copy,
        DigitalResource,
        Record,
        Sequence,
        SruTarget,
        Withdrawal,
    )
    from thuvien.catalogue.record_data import RecordData
    from thuvien.catalogue.services import acquisitions, copies, records

    school = next(unit for unit in actor.units if unit.is_school and SECOND_MARK in unit.name)
    record = Record.objects.filter(title="Sách của tỉnh khác").first()
    if record is None:
        record = records.create_record(
            RecordData(title="Sách của tỉnh khác", author="Tác giả", year=2020),
            school=school,
            by=None,
        )
        collections = copies.set_up_collections(school)
        Sequence.objects.filter(pk=collections[3].sequence_id).update(prefix=f"{SECOND_MARK[:11]}.")
        collections[3].sequence.refresh_from_db()
        batch = acquisitions.open_batch(school, by=None, received_on=dt.date(2025, 9, 1))
        made = copies.add_copies(
            record, school=school, count=2, by=None, collection=collections[3], batch=batch
        )
        acquisitions.propose_withdrawal(
            school,
            [(made[0], "Hư")],
            by=get_user_model().objects.get(username="thuvien_khac"),
        )
        Collection.objects.filter(school=school, code="STK").update(name=f"Kho {SECOND_MARK}")
        SruTarget.objects.create(
            department=school.parent.parent, name=f"SRU {SECOND_MARK}", url="http://127.0.0.1/sru"
        )
        DigitalResource.objects.create(
            school=school, record=record, kind="link", url="https://example.org/khac",
            rights_confirmed=True,
        )  # fmt: skip
    return {
        "record": record,
        "copy": Copy.objects.filter(school=school).order_by("pk").first(),
        "batch": AcquisitionBatch.objects.filter(school=school).first(),
        "withdrawal": Withdrawal.objects.filter(school=school).first(),
        "collection": Collection.objects.get(school=school, code="STK"),
        "target": SruTarget.objects.get(name=f"SRU {SECOND_MARK}"),
        "resource": DigitalResource.objects.filter(school=school).first(),
    }


def _foreign_desk(actor: Actor) -> dict[str, Any]:
    """The second province's school's reader (named with the mark), an open loan of one of its
    copies, a loan rule and a closure, made once."""
    from thuvien.circulation.models import Closure, Hold, Loan, LoanRule, Reader
    from thuvien.circulation.services import desk, holds, readers

    collection = _foreign_collection(actor)
    school = collection["copy"].school
    reader = Reader.objects.filter(school=school).first()
    if reader is None:
        reader = readers.save_reader(
            school, kind="student", code="KHAC01", full_name=f"Học sinh {SECOND_MARK}",
            class_name="9A", grade=9,
        )  # fmt: skip
        desk.check_out(school, reader, collection["copy"].barcode, by=None)
        LoanRule.objects.create(school=school, reader_kind="student", loan_days=7, max_items=2)
        Closure.objects.create(
            school=school, starts_on=dt.date(2026, 4, 30), ends_on=dt.date(2026, 5, 1),
            reason=f"Nghỉ lễ {SECOND_MARK}",
        )  # fmt: skip
    if not Hold.objects.filter(school=school).exists():
        other = readers.save_reader(
            school, kind="student", code="KHAC02", full_name=f"Học sinh hai {SECOND_MARK}"
        )
        holds.place_hold(school, other, collection["record"])
    from thuvien.stocktake import services as stocktakes
    from thuvien.stocktake.models import Stocktake

    if not Stocktake.objects.filter(school=school).exists():
        stocktakes.open_stocktake(school, by=None, location=f"Giá {SECOND_MARK}")
    from thuvien.circulation.models import ActivityPhoto, ReadingActivity

    if not ReadingActivity.objects.filter(school=school).exists():
        activity = ReadingActivity.objects.create(
            school=school, kind="book_day", title=f"Ngày Sách {SECOND_MARK}",
            held_on=dt.date(2026, 4, 21),
        )  # fmt: skip
        ActivityPhoto.objects.create(school=school, activity=activity, image="circulation/k.jpg")
    return {
        "reader": reader,
        "activity_photo": ActivityPhoto.objects.filter(school=school).first(),
        "stocktake": Stocktake.objects.filter(school=school).first(),
        "hold": Hold.objects.filter(school=school).first(),
        "loan": Loan.objects.filter(school=school).first(),
        "rule": LoanRule.objects.filter(school=school).first(),
        "closure": Closure.objects.filter(school=school).first(),
    }


def _desk_rows(name: str, param: str) -> Callable[[Actor, Endpoint], list[Case]]:
    def cases(actor: Actor, endpoint: Endpoint) -> list[Case]:
        row = _foreign_desk(actor)[name]
        return [Case({param: row.pk}, f"{name} {row}", (SECOND_MARK,))]

    return cases


def _public_names(school: Unit) -> tuple[str, ...]:
    """What a public catalogue may show of a province: its units' names (schools are public)."""
    province = school.path.strip("/").split("/")[0]
    return tuple(
        Unit.objects.filter(path__startswith=f"/{province}/").values_list("name", flat=True)
    )


def _libraries(actor: Actor, endpoint: Endpoint) -> list[Case]:
    """A public catalogue is public by design: another province's school's may answer, and
    show its units' names and its records, never a reader, a loan or a person."""
    school = _foreign_collection(actor)["copy"].school
    return [
        Case({"library_id": school.pk}, f"library {school}", public_shows=_public_names(school))
    ]


def _library_records(actor: Actor, endpoint: Endpoint) -> list[Case]:
    collection = _foreign_collection(actor)
    school, record = collection["copy"].school, collection["record"]
    return [
        Case(
            {"library_id": school.pk, "record_id": record.pk},
            f"library {school} record {record}",
            public_shows=_public_names(school),
        )
    ]


def _records(actor: Actor, endpoint: Endpoint) -> list[Case]:
    """A record is the union catalogue's, shared by design: the page may answer, but must show
    nothing of the foreign school's copies."""
    record = _foreign_collection(actor)["record"]
    return [Case({"record_id": record.pk}, f"record {record}", public_shows=())]


def _catalogue_rows(name: str, param: str) -> Callable[[Actor, Endpoint], list[Case]]:
    def cases(actor: Actor, endpoint: Endpoint) -> list[Case]:
        row = _foreign_collection(actor)[name]
        shown = getattr(row, "registration_number", "") or SECOND_MARK
        return [Case({param: row.pk}, f"{name} {row}", (shown,))]

    return cases


def _constant(name: str, value: str) -> Callable[[Actor, Endpoint], list[Case]]:
    return lambda actor, endpoint: [Case({name: value}, f"{name}={value}")]


# Parameter name → foreign objects. Several names filled together are listed as a set.
PARAMETERS: dict[frozenset[str], Callable[[Actor, Endpoint], list[Case]]] = {
    frozenset({"unit_id"}): _units,
    frozenset({"membership_id"}): _memberships,
    frozenset({"user_id"}): _users,
    frozenset({"batch_id"}): _batches,
    frozenset({"campaign_id"}): _campaigns,
    frozenset({"enrolment_id"}): _enrolments,
    frozenset({"package_id"}): _packages,
    frozenset({"material_id"}): _training_rows_named("materials", "material_id"),
    frozenset({"note_id"}): _training_rows_named("notes", "note_id"),
    frozenset({"version_id"}): _training_rows_named("versions", "version_id"),
    frozenset({"report_id"}): _training_rows_named("reports", "report_id"),
    frozenset({"event_id"}): _event_rows_named("events", "event_id"),
    frozenset({"session_id"}): _event_rows_named("sessions", "session_id"),
    frozenset({"registration_id"}): _event_rows_named("registrations", "registration_id"),
    frozenset({"photo_id"}): _event_rows_named("photos", "photo_id"),
    frozenset({"event_material_id"}): _event_rows_named("event_materials", "event_material_id"),
    frozenset({"agreement_id"}): _event_rows_named("agreements", "agreement_id"),
    frozenset({"checkin_code"}): _checkin_codes,
    frozenset({"framework_id"}): _frameworks,
    frozenset({"criterion_id"}): _criteria,
    frozenset({"assessment_id"}): _assessments,
    frozenset({"assessment_id", "metric"}): _assessment_indicators,
    frozenset({"window_id"}): _windows,
    frozenset({"evidence_id"}): _evidence,
    frozenset({"plan_id"}): _plans,
    frozenset({"recognition_id"}): _recognitions,
    frozenset({"certificate_code"}): _certificates,
    frozenset({"record_id"}): _records,
    frozenset({"copy_id"}): _catalogue_rows("copy", "copy_id"),
    frozenset({"acquisition_id"}): _catalogue_rows("batch", "acquisition_id"),
    frozenset({"withdrawal_id"}): _catalogue_rows("withdrawal", "withdrawal_id"),
    frozenset({"collection_id"}): _catalogue_rows("collection", "collection_id"),
    frozenset({"target_id"}): _catalogue_rows("target", "target_id"),
    frozenset({"resource_id"}): _catalogue_rows("resource", "resource_id"),
    frozenset({"reader_id"}): _desk_rows("reader", "reader_id"),
    frozenset({"loan_id"}): _desk_rows("loan", "loan_id"),
    frozenset({"rule_id"}): _desk_rows("rule", "rule_id"),
    frozenset({"closure_id"}): _desk_rows("closure", "closure_id"),
    frozenset({"hold_id"}): _desk_rows("hold", "hold_id"),
    frozenset({"stocktake_id"}): _desk_rows("stocktake", "stocktake_id"),
    frozenset({"activity_photo_id"}): _desk_rows("activity_photo", "activity_photo_id"),
    frozenset({"library_id"}): _libraries,
    frozenset({"library_id", "record_id"}): _library_records,
    frozenset({"uidb64", "token"}): _reset_links,
    frozenset({"object_id"}): _admin_object,
    frozenset({"id"}): _admin_user,
    frozenset({"_0", "_1"}): _admin_version,  # simple-history's version view (unnamed groups)
    frozenset({"content_type_id", "object_id"}): _view_on_site,
    frozenset({"app_label"}): _constant("app_label", "organisations"),
    frozenset({"url"}): _constant("url", "khong-co/"),  # the admin's catch-all
    frozenset({"pk"}): _api_pk,
    frozenset({"format"}): _constant("format", "json"),
}


def cases_for(actor: Actor, endpoint: Endpoint) -> list[Case]:
    params = frozenset(endpoint.params)
    if not params:
        return [Case({}, "no parameters")]
    if params in PARAMETERS:
        return PARAMETERS[params](actor, endpoint)
    unknown = sorted(name for name in params if frozenset({name}) not in PARAMETERS)
    if unknown:
        raise LookupError(
            f"{endpoint.name} ({endpoint.template}) has URL parameter(s) {unknown} that this walk "
            "does not know: add them to PARAMETERS in tests/access/test_url_walk.py, filled with "
            "objects OUTSIDE the actor's scope"
        )
    parts = [PARAMETERS[frozenset({name})](actor, endpoint) for name in sorted(params)]
    return [
        Case(
            {k: v for case in combo for k, v in case.kwargs.items()},
            " + ".join(case.label for case in combo),
            tuple(text for case in combo for text in case.forbidden),
        )
        for combo in itertools.product(*parts)
    ]


# --- What a refused request must look like -----------------------------------------------------


def fingerprint(actor: Actor) -> set[tuple[Any, ...]]:
    """Every row that belongs to the actor's foreign units or foreign people, in every table of
    ThuVien (history included) and the API tokens."""
    from django.apps import apps

    unit_ids = [u.pk for u in actor.units]
    user_ids = [u.pk for u in actor.users]
    user_model = get_user_model()
    tables = [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("thuvien.")
        for model in config.get_models()
    ] + [Token]
    rows: set[tuple[Any, ...]] = set()
    for model in tables:
        columns = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
        filters: list[dict[str, Any]] = []
        if model is Unit:
            filters.append({"pk__in": unit_ids})
        if model is user_model:
            filters.append({"pk__in": user_ids})
        if model is ImportBatch:
            filters.append({"pk__in": [b.pk for b in actor.batches]})
        for fk in model._meta.concrete_fields:
            if isinstance(fk, models.ForeignKey) and issubclass(fk.related_model, Unit):
                filters.append({f"{fk.attname}__in": unit_ids})
            if isinstance(fk, models.ForeignKey) and issubclass(fk.related_model, user_model):
                filters.append({f"{fk.attname}__in": user_ids})
        for lookup in filters:
            for row in model._default_manager.filter(**lookup).values_list(*columns):
                rows.add((model._meta.label, *(str(value) for value in row)))
    return rows


def write_counter() -> int | None:
    """Rows written so far on this connection: a cheap trigger for the costly fingerprint."""
    queries = {
        "sqlite": "SELECT total_changes()",
        "postgresql": "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
        "FROM pg_stat_xact_all_tables",
    }
    if connection.vendor not in queries:
        return None  # unknown database: fingerprint after every unsafe request
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor])
        return int(cursor.fetchone()[0])


def queued_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def leaked(text: str, body: str) -> bool:
    return any(form in body for form in (text, escape(text), json.dumps(text)[1:-1]))


class Walk:
    def __init__(self, actor: Actor, fingerprint_before: set[tuple[Any, ...]]) -> None:
        self.actor = actor
        self.before = fingerprint_before
        self.tasks = queued_tasks()
        self.problems: list[str] = []
        self.session_client = self._login()
        self.token_client = None
        if actor.user is not None:
            token, _ = Token.objects.get_or_create(user=actor.user)
            self.token_client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    def _login(self) -> Client:
        client = Client()
        if self.actor.user is not None:
            client.force_login(self.actor.user)
        return client

    def payload(self) -> dict[str, Any]:
        """Plausible data for every form of the project, pointing at foreign objects."""
        own = next(iter(self.actor.scope), self.actor.units[-1])
        return {
            "on": "2026-01-01",
            "valid_from": "2026-01-01",
            "name": "Đổi tên bởi người ngoài",
            "kind": "school",
            "tiers": ["primary"],
            "parent": self.actor.units[0].pk,
            "new_parent": own.pk,
            "into": own.pk,
            "confirm": "on",
            "reason": "walk",
            "year": 2025,
            "students": 1,
            "teachers": 1,
            "login": getattr(self.actor.user, "username", "ai-do"),
            "role": Role.DEPARTMENT_ADMIN,
            "membership": self.actor.memberships[0].pk,
            "next": "/",
        }

    def run(self, endpoint: Endpoint) -> int:
        try:
            cases = cases_for(self.actor, endpoint)
        except LookupError as error:
            self.problems.append(str(error))
            return 0
        for case in cases:
            url = "/" + endpoint.template % case.kwargs
            match = resolve(url)
            if match.func is not endpoint.callback:
                self.problems.append(f"{url} resolves to {match.view_name}, not {endpoint.name}")
                continue
            for method, variant, client, extra in self.requests(endpoint, case):
                self.send(endpoint, case, url, method, variant, client, extra)
        return len(cases)

    def requests(self, endpoint: Endpoint, case: Case) -> Iterator[tuple[str, str, Client, dict]]:
        methods = ("GET", *UNSAFE_METHODS) if endpoint.is_api else ("GET", "POST")
        clients = [("session", self.session_client)]
        if endpoint.is_api and self.token_client is not None:
            clients.append(("token", self.token_client))
        for (transport, client), method in itertools.product(clients, methods):
            yield method, transport, client, {}
        if not case.kwargs and self.actor.memberships:
            # Pages without parameters: foreign ids in the query string, a foreign role header.
            foreign = self.actor.units[0].pk
            query = {k: foreign for k in ("unit", "unit_id", "parent", "school", "id")}
            query["membership"] = self.actor.memberships[0].pk
            yield "GET", "foreign query", self.session_client, {"data": query}
            header = {"HTTP_X_MEMBERSHIP": str(self.actor.memberships[0].pk)}
            for transport, client in clients:
                yield "GET", f"{transport} + foreign X-Membership", client, header

    def send(self, endpoint, case, url, method, variant, client, extra) -> None:
        where = f"{self.actor.label} {method} {url} [{case.label}] ({variant})"
        kwargs = dict(extra)
        if method == "POST":
            kwargs.setdefault("data", self.payload())
        elif method in {"PUT", "PATCH"}:
            kwargs.update(data=json.dumps(self.payload()), content_type="application/json")
        WALKED["requests"] += 1
        writes = write_counter()
        mails = len(mail.outbox)
        try:
            if method == "GET":
                response = client.get(url, **kwargs)
            elif method == "POST":
                response = client.post(url, **kwargs)
            else:
                response = client.generic(method, url, **kwargs)
        except Exception:
            self.problems.append(f"{where}: raised\n{traceback.format_exc(limit=-3)}")
            return
        self.check(endpoint, case, where, response, client)
        foreign_addresses = {u.email for u in self.actor.users}
        for message in mail.outbox[mails:]:
            if case.kwargs or foreign_addresses & set(message.to):
                self.problems.append(f"{where}: sent an e-mail to {message.to}")
        if writes is None or write_counter() != writes:
            tasks = queued_tasks()
            if case.kwargs and tasks != self.tasks:
                self.problems.append(f"{where}: queued a background task")
            self.tasks = tasks
            after = fingerprint(self.actor)
            if after != self.before:
                changed = sorted(after ^ self.before)[:3]
                self.problems.append(f"{where}: CHANGED rows outside the scope: {changed}")
                self.before = after

    def check(self, endpoint, case, where, response, client) -> None:
        status = response.status_code
        body = _body(response)
        allowed = case.public_shows or ()
        # What a public page may show is taken out first: a forbidden text inside it (the
        # world's marks, a shorter name within a longer one) is not a leak.
        for text in sorted(allowed, key=len, reverse=True):
            body = body.replace(escape(text), "").replace(text, "")
        for text in (*self.actor.forbidden, *case.forbidden):
            if text and text not in allowed and leaked(text, body):
                self.problems.append(f"{where}: the page shows “{text}” ({status})")
        if case.kwargs and case.public_shows is None and not self.refused(case, response):
            location = response.get("Location", "")
            self.problems.append(f"{where}: answered {status} {location}, expected a refusal")
        self.check_session(endpoint, where, client)

    def refused(self, case: Case, response: Any) -> bool:
        status = response.status_code
        location = response.get("Location", "")
        if case.token_link:
            # A reset link is the permission itself: an invalid one shows "invalid link", a
            # valid one hides its token behind a redirect to its own set-password page.
            if status == 200:
                return response.context is not None and response.context.get("validlink") is False
            if status == 302 and location.endswith(f"/{case.kwargs['uidb64']}/set-password/"):
                return True
        if status == 302:
            return location.startswith(LOGIN_PAGES)
        return status in REFUSED

    def check_session(self, endpoint: Endpoint, where: str, client: Client) -> None:
        if client is not self.session_client:
            return
        session = client.session
        expected = str(self.actor.user.pk) if self.actor.user else None
        if session.get("_auth_user_id") != expected:
            if endpoint.name not in LOGOUT_URLS:
                self.problems.append(f"{where}: logged in as {session.get('_auth_user_id')}")
            self.session_client = self._login()
        chosen = session.get(SESSION_KEY)
        if chosen is not None and chosen not in self.actor.own_memberships:
            self.problems.append(f"{where}: switched to foreign membership {chosen}")
            self.session_client = self._login()


def walk_everything(actors: list[Actor], endpoints: list[Endpoint]) -> tuple[list[str], set[str]]:
    problems: list[str] = []
    walked: set[str] = set()
    # Each refusal is logged with its traceback: thousands of them, and slow.
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        for actor in actors:
            walk = Walk(actor, fingerprint(actor))
            for endpoint in endpoints:
                count = walk.run(endpoint)
                WALKED["combinations"] += count
                if count:
                    walked.add(endpoint.name)
            problems += walk.problems
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    return problems, walked


def test_every_url_refuses_every_foreign_object(world):
    second = build_second_province(world)
    actors = [
        make_actor(str(role), user, world, second) for role, user in world.users_by_role().items()
    ]
    actors += [
        make_actor("outsider", world.outsider, world, second),
        make_actor("anonymous", None, world, second),
    ]
    for actor in actors:
        assert second["school"] in actor.units, actor.label  # the second province is foreign
    writes = write_counter()
    Token.objects.get_or_create(user=world.librarian)
    assert writes is None or write_counter() != writes, "the write counter does not count"

    endpoints = list(all_endpoints())
    problems, walked = walk_everything(actors, endpoints)
    WALKED["urls"] = len(endpoints)
    summary = (
        f"URL walk: {WALKED['urls']} URL patterns × {len(actors)} actors → "
        f"{WALKED['combinations']} URL × role × object combinations, {WALKED['requests']} requests"
    )
    print(f"\n{summary}")
    problems = list(dict.fromkeys(problems))
    shown = "\n".join(problems[:60])
    assert not problems, f"{summary}\n{len(problems)} problem(s):\n{shown}"
    assert WALKED["combinations"] >= MINIMUM_COMBINATIONS, summary
    assert walked == {endpoint.name for endpoint in endpoints}, summary
    must_walk = {
        "core:home",
        "organisations:unit_detail",
        "organisations:membership_end",
        "organisations:unit_import_confirm",
        "accounts:staff_import_confirm",
        "accounts:password_reset_confirm",
        "admin:organisations_unit_change",
    }
    assert must_walk <= walked, summary
    assert any(name.startswith("api-") for name in walked), "the API was not walked"
