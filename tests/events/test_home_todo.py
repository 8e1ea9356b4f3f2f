"""The home page's to-do list, events' part (`events.home`): the organiser sees today's sessions
and their events with the registrations; a participant the events they are invited to; each
line opens the page where the step is done; a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from thuvien.events.models import Event, EventSession, EventStatus, Registration, RegistrationStatus
from thuvien.organisations.models import Role

HOME = reverse("core:home")


def todo_part(page: str) -> str:
    if '<section class="todo"' not in page:
        return ""
    start = page.index('<section class="todo"')
    ends = [page.find(mark, start) for mark in ('class="figures"', '<div class="cards">')]
    return page[start : min(end for end in ends if end > 0)]


def links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', todo_part(page))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def running(event: Event, today: dt.date) -> Event:
    """The world's event moved to today and tomorrow, with a session this morning."""
    Event.objects.filter(pk=event.pk).update(
        starts_on=today, ends_on=today + dt.timedelta(days=1), registration_closes_on=today
    )
    EventSession.objects.create(
        event=event, title="Phiên khai mạc", starts_at=_at(today, 8), ends_at=_at(today, 11)
    )
    event.refresh_from_db()
    return event


def _event(world: Any, title: str, day: dt.date, **fields: Any) -> Event:
    values: dict[str, Any] = {
        "organiser": world.partner,
        "title": title,
        "starts_on": day,
        "ends_on": day,
        "venue": "Hội trường Sở",
        "capacity": 30,
        "target": world.office,
        "target_roles": f",{Role.LIBRARIAN},",
        "status": EventStatus.OPEN,
        "created_by": world.trainer,
        **fields,
    }
    return Event.objects.create(**values)


def test_the_trainer_sees_todays_sessions_first_then_their_events(
    running, world, client_for, today
):
    _event(world, "Chuyên đề thư viện số", today + dt.timedelta(days=20), status=EventStatus.DRAFT)
    _event(world, "Buổi đã qua", today - dt.timedelta(days=3))
    page = client_for(world.trainer).get(HOME).text
    todo = todo_part(page)
    session = running.sessions.get(title="Phiên khai mạc")
    assert links(page)[0] == reverse("events:attendance", args=[session.pk])
    assert "Today&#x27;s sessions" in todo and "08:00 Phiên khai mạc" in todo
    assert reverse("events:event_detail", args=[running.pk]) in links(page)
    assert "1 of 40 seats taken" in todo  # the librarian of A1
    assert f"by {today:%d/%m/%Y}" in todo  # registration closes today
    assert "draft: complete the programme" in todo
    assert "over: mark it as held" in todo


def test_a_held_or_cancelled_event_leaves_the_organisers_list(running, world, client_for):
    Event.objects.filter(pk=running.pk).update(status=EventStatus.HELD)
    page = client_for(world.trainer).get(HOME).text
    assert reverse("events:event_detail", args=[running.pk]) not in links(page)
    assert "/attendance/" not in todo_part(page)


def test_the_librarian_sees_the_events_she_is_invited_to(running, world, client_for, today):
    invited = _event(world, "Hội thảo đọc sách", today + dt.timedelta(days=7))
    Registration.objects.create(
        event=invited,
        user=world.librarian,
        school=world.school,
        role=Role.LIBRARIAN,
        status=RegistrationStatus.INVITED,
        invited_at=timezone.now(),
    )
    page = client_for(world.librarian).get(HOME).text
    todo = todo_part(page)
    assert "Training events" in todo
    assert reverse("events:event_detail", args=[invited.pk]) in links(page)
    assert "you are invited: register for a seat" in todo
    assert reverse("events:event_detail", args=[running.pk]) in links(page)  # her seat
    # Her colleague was invited to nothing; the organiser's lines are not hers.
    assert reverse("events:event_detail", args=[invited.pk]) not in links(
        client_for(world.teacher_librarian).get(HOME).text
    )
    assert "/attendance/" not in todo
    # A reader attends nothing.
    assert links(client_for(world.reader).get(HOME).text) == []


def test_the_query_count_does_not_grow_with_the_events(running, world, client_for, today):
    clients = [client_for(user) for user in (world.trainer, world.librarian, world.dept_officer)]
    for client in clients:
        client.get(HOME)

    def counts() -> list[int]:
        found = []
        for client in clients:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(HOME).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for index in range(5):
        extra = _event(world, f"Tập huấn {index}", today + dt.timedelta(days=index))
        EventSession.objects.create(
            event=extra, title=f"Phiên {index}", starts_at=_at(today, 13), ends_at=_at(today, 15)
        )
        for user in (world.librarian, world.teacher_librarian):
            Registration.objects.create(
                event=extra,
                user=user,
                school=world.school,
                role=Role.LIBRARIAN,
                status=RegistrationStatus.REGISTERED,
                registered_at=timezone.now(),
            )
    assert counts() == before
    assert todo_part(clients[0].get(HOME).text).count("/attendance/") == 6  # it did grow
