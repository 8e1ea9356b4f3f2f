"""GET /api/v1/events/{id}/sessions/, /registrations/ and /attendance/: an event's programme to
whoever sees the event (no venue), its people only to those the participants' policy lets see them
(the supervisors of the participant's school, the organisers, the participant, fellow
participants); the certificate's code only to its holder and the organisers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from thuvien.core.testing import make_user
from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    EventSession,
    Registration,
    RegistrationStatus,
)
from thuvien.organisations.models import Role

CODE = "CERT-API-0001"
VENUE = "Phòng 204, số 19 Nguyễn Hữu Thọ"


def url(event: Event, part: str) -> str:
    return f"/api/v1/events/{event.pk}/{part}/"


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


@pytest.fixture
def event(world) -> Event:
    """The world's event (the partner's training day for office A's schools): A1's librarian
    registered, checked in at the first session, her certificate issued; A1's teacher-librarian
    only invited; the THPT school's librarian (outside the audience) nominated and registered."""
    event = Event.objects.get(organiser=world.partner)
    EventSession.objects.filter(event=event).update(venue=VENUE)
    Registration.objects.filter(event=event, user=world.librarian).update(
        certificate_code=CODE, certificate_issued_at=timezone.now()
    )
    Registration.objects.create(
        event=event,
        user=world.teacher_librarian,
        school=world.school,
        role=Role.TEACHER_LIBRARIAN,
        status=RegistrationStatus.INVITED,
    )
    thpt = Registration.objects.create(
        event=event,
        user=world.thpt_librarian,
        school=world.thpt,
        role=Role.LIBRARIAN,
        status=RegistrationStatus.REGISTERED,
        registered_at=timezone.now(),
    )
    second = event.sessions.order_by("starts_at")[1]
    CheckIn.objects.create(
        registration=thpt, session=second, at=second.starts_at, method=CheckInMethod.LIST
    )
    return event


def people(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["person"]["name"] for row in response.json()["results"]}


def test_sessions_to_whoever_sees_the_event_without_a_venue(world, event, api_client_for):
    for viewer in (world.trainer, world.principal, world.teacher_librarian, world.office_officer):
        response = api_client_for(viewer).get(url(event, "sessions"))
        assert response.status_code == 200, response.content
        rows = response.json()["results"]
        assert [row["title"] for row in rows] == ["Chuyên đề 1", "Chuyên đề 2"]
        assert set(rows[0]) == {"id", "title", "starts_at", "ends_at", "is_site_visit"}
        assert VENUE not in response.content.decode()
        assert world.partner.name not in response.content.decode()
    first = event.sessions.order_by("starts_at").first()
    assert rows[0]["starts_at"] == timezone.localtime(first.starts_at).isoformat()


def test_registrations_per_role(world, event, api_client_for):
    a1 = {world.librarian.display_name, world.teacher_librarian.display_name}
    everyone = a1 | {world.thpt_librarian.display_name}
    seen = {
        # The organisers and the Sở: everyone.
        "trainer": everyone,
        "dept_officer": everyone,
        "dept_admin": everyone,
        # The supervisors of a participant's school: that school's people.
        "office_officer": a1,
        "principal": a1,
        # A participant: herself and her fellow participants.
        "librarian": everyone,
        "thpt_librarian": everyone,
        # Invited, not taking part: herself only.
        "teacher_librarian": {world.teacher_librarian.display_name},
        # Sees the event (in office A), nobody in it.
        "principal_a2": set(),
    }
    for role, expected in seen.items():
        assert people(api_client_for(getattr(world, role)).get(url(event, "registrations"))) == (
            expected
        ), role


def test_a_registration_shows_status_school_and_when(world, event, api_client_for):
    rows = api_client_for(world.trainer).get(url(event, "registrations")).json()["results"]
    mine = next(row for row in rows if row["person"]["id"] == world.librarian.pk)
    registration = Registration.objects.get(event=event, user=world.librarian)

    assert mine["id"] == registration.pk
    assert mine["status"] == {
        "code": "registered",
        "label": vi(RegistrationStatus.REGISTERED.label),
    }
    assert mine["school"] == {"id": world.school.pk, "name": world.school.name, "kind": "school"}
    assert mine["registered_at"] == timezone.localtime(registration.registered_at).isoformat()
    # By school (in the tree's order), then name: A1's two, then the THPT school's.
    assert [row["school"]["id"] for row in rows] == [world.school.pk] * 2 + [world.thpt.pk]


def test_certificate_code_only_for_its_holder_and_the_organisers(world, event, api_client_for):
    def codes(user) -> dict[int, str | None]:
        rows = api_client_for(user).get(url(event, "registrations")).json()["results"]
        return {row["person"]["id"]: row["certificate_code"] for row in rows}

    assert codes(world.librarian)[world.librarian.pk] == CODE
    # The organisers: the partner's trainer, and the Sở above the partner (who may download it).
    for organiser in (world.trainer, world.dept_admin, world.dept_officer):
        assert codes(organiser)[world.librarian.pk] == CODE
    # A fellow participant, her principal, the office: the row, never the code.
    for other in (world.thpt_librarian, world.principal, world.office_officer):
        shown = codes(other)
        assert shown[world.librarian.pk] is None, other
        assert CODE not in api_client_for(other).get(url(event, "registrations")).content.decode()


def test_attendance_per_role(world, event, api_client_for):
    def present(user) -> set[tuple[str, str]]:
        response = api_client_for(user).get(url(event, "attendance"))
        assert response.status_code == 200, response.content
        return {
            (row["session"]["title"], row["person"]["name"]) for row in response.json()["results"]
        }

    mine = ("Chuyên đề 1", world.librarian.display_name)
    thpt = ("Chuyên đề 2", world.thpt_librarian.display_name)
    assert present(world.trainer) == {mine, thpt}
    assert present(world.dept_officer) == {mine, thpt}
    assert present(world.principal) == {mine}
    assert present(world.office_officer) == {mine}
    assert present(world.librarian) == {mine, thpt}  # fellow participants
    assert present(world.teacher_librarian) == set()
    assert present(world.principal_a2) == set()


def test_attendance_rows_and_the_session_filter(world, event, api_client_for):
    first = event.sessions.order_by("starts_at").first()
    client = api_client_for(world.trainer)
    rows = client.get(url(event, "attendance"), {"session": first.pk}).json()["results"]
    checkin = CheckIn.objects.get(session=first)

    assert rows == [
        {
            "id": checkin.pk,
            "session": {
                "id": first.pk,
                "title": first.title,
                "starts_at": timezone.localtime(first.starts_at).isoformat(),
            },
            "registration": checkin.registration_id,
            "person": {"id": world.librarian.pk, "name": world.librarian.display_name},
            "school": {"id": world.school.pk, "name": world.school.name, "kind": "school"},
            "at": timezone.localtime(checkin.at).isoformat(),
            "method": {"code": "qr", "label": vi(CheckInMethod.QR.label)},
        }
    ]
    bad = client.get(url(event, "attendance"), {"session": "x"})
    assert bad.status_code == 400 and list(bad.json()) == ["session"]


@pytest.fixture
def province_wide(event: Event, world) -> Event:
    """Aimed at the whole province: the outsider and office B see the event."""
    Event.objects.filter(pk=event.pk).update(target=world.department)
    return event


def test_seeing_a_province_wide_event_shows_nobody_in_it(world, province_wide, api_client_for):
    for outsider in (world.outsider, world.office_b_officer):
        client = api_client_for(outsider)
        assert client.get(url(province_wide, "sessions")).status_code == 200
        for part in ("registrations", "attendance"):
            response = client.get(url(province_wide, part))
            assert response.status_code == 200 and response.json()["results"] == [], part
            assert world.librarian.display_name not in response.content.decode()


@pytest.mark.parametrize("part", ["sessions", "registrations", "attendance"])
def test_an_event_out_of_sight_is_404_anonymous_401_reader_403(world, event, api_client_for, part):
    outsider = api_client_for(world.outsider).get(url(event, part))
    missing = api_client_for(world.outsider).get(f"/api/v1/events/987654/{part}/")
    assert outsider.status_code == 404 and outsider.json() == missing.json()
    assert world.librarian.display_name not in outsider.content.decode()
    anonymous = APIClient().get(url(event, part))
    assert anonymous.status_code == 401 and list(anonymous.json()) == ["detail"]
    reader = api_client_for(world.reader).get(url(event, part))
    assert reader.status_code == 403 and list(reader.json()) == ["detail"]


def test_a_draft_is_seen_by_its_organisers_only(world, event, api_client_for):
    Event.objects.filter(pk=event.pk).update(status="draft")
    assert api_client_for(world.trainer).get(url(event, "sessions")).status_code == 200
    for viewer in (world.principal, world.librarian, world.office_officer):
        assert api_client_for(viewer).get(url(event, "registrations")).status_code == 404


def _more_people(world, event: Event, count: int, start: int) -> None:
    sessions = list(event.sessions.all())
    for number in range(start, start + count):
        user = make_user(f"khach_{number}", f"Khách Thứ {number:03d}")
        registration = Registration.objects.create(
            event=event,
            user=user,
            school=world.school_a2,
            role=Role.LIBRARIAN,
            status=RegistrationStatus.REGISTERED,
            registered_at=timezone.now() - dt.timedelta(days=1),
            certificate_code=f"CODE-{number}",
        )
        for session in sessions:
            CheckIn.objects.create(
                registration=registration,
                session=session,
                at=session.starts_at,
                method=CheckInMethod.LIST,
            )


def _queries(client, address: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize("part", ["registrations", "attendance"])
def test_query_count_does_not_grow_with_people(world, event, api_client_for, part):
    client = api_client_for(world.trainer)
    _more_people(world, event, 2, 1)
    few, few_rows = _queries(client, url(event, part))
    _more_people(world, event, 20, 3)
    many, many_rows = _queries(client, url(event, part))

    assert many_rows - few_rows == (20 if part == "registrations" else 40)
    assert many == few
    # token, the scope, the event, count, rows (and for registrations the certificates shown)
    assert many <= 8, many


def test_registrations_are_paginated(world, event, api_client_for):
    _more_people(world, event, 50, 1)
    client = api_client_for(world.trainer)

    first = client.get(url(event, "registrations")).json()
    second = client.get(url(event, "registrations"), {"page": 2}).json()

    assert first["count"] == 53 and len(first["results"]) == 50
    assert len(second["results"]) == 3 and second["next"] is None
    assert {row["id"] for row in first["results"]}.isdisjoint(
        {row["id"] for row in second["results"]}
    )
    # The organiser sees the codes issued, on every page (the THPT librarian has none).
    assert [row["certificate_code"] for row in second["results"]] == ["CODE-49", "CODE-50", None]
