"""The door of a training event: the QR code of a session opens a page that says which event and
session it is, to anonymous visitors too (nothing about who takes part); a person invited but not
registered registers and checks in with one POST when there is a seat, or is offered the waiting
list when there is none (never over-booked); a person not on the list is refused and nothing is
written; a second tap writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.events.conftest import anonymous
from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from thuvien.events.services import EventError, attendance, organising
from thuvien.organisations import services as units
from thuvien.organisations.models import Role

WRITES = ("INSERT", "UPDATE", "DELETE")


def checkin_url(session):
    return reverse("events:checkin", args=[session.checkin_code])


def writes_in(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


@pytest.fixture
def today(event):
    """The world's event moved to today: the second session runs now."""
    now = timezone.now()
    first, second = event.sessions.order_by("starts_at")
    first.starts_at, first.ends_at = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    second.starts_at, second.ends_at = now - dt.timedelta(minutes=10), now + dt.timedelta(hours=2)
    second.venue = "Phòng hội thảo tầng 3"
    for session in (first, second):
        session.save()
    event.starts_on = timezone.localdate(first.starts_at)
    event.ends_on = timezone.localdate(now)
    event.save()
    return second


@pytest.fixture
def invited(world, event, today):
    """The teacher-librarian of school A1, invited when registration opened, not registered."""
    organising.open_registration(event, by=world.trainer)
    row = Registration.objects.get(event=event, user=world.teacher_librarian)
    assert row.status == RegistrationStatus.INVITED
    return row


def seats_taken(event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


# --- The anonymous visitor --------------------------------------------------------------------


def test_anonymous_sees_the_event_and_session_but_nobody_in_it(world, event, registration, today):
    url = checkin_url(today)
    response = anonymous().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert event.title in body and today.title in body
    local = timezone.localtime(today.starts_at)
    assert f"{local:%H:%M}–{timezone.localtime(today.ends_at):%H:%M}, {local:%d/%m/%Y}" in body
    assert "Phòng hội thảo tầng 3" in body
    login = reverse("accounts:login")
    assert f'href="{login}?next={url}"' in body
    for person in (world.librarian, world.trainer, world.teacher_librarian):
        assert person.full_name not in body
    assert "I am here" not in body and "Register and check in" not in body
    assert "<script" not in body and 'style="' not in body and len(body.encode()) < 3000


def test_the_session_without_a_venue_shows_the_events(event, today):
    today.venue = ""
    today.save()
    assert event.venue in anonymous().get(checkin_url(today)).content.decode()


def test_anonymous_post_goes_to_the_login_and_writes_nothing(world, invited, today):
    before = (CheckIn.objects.count(), Registration.objects.filter(status="registered").count())
    response = anonymous().post(checkin_url(today), {"do": "register"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    after = (CheckIn.objects.count(), Registration.objects.filter(status="registered").count())
    assert after == before


def test_anonymous_is_told_a_cancelled_event_takes_no_check_in(event, today):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    body = anonymous().get(checkin_url(today)).content.decode()
    assert "not taking place" in body and "Log in to check in" not in body


# --- The invited person -----------------------------------------------------------------------


def test_invited_person_registers_and_checks_in_with_one_post(client_for, world, invited, today):
    client = client_for(world.teacher_librarian)
    page = client.get(checkin_url(today))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Register and check in" in body and "I am here" not in body
    assert 'name="csrfmiddlewaretoken"' in body and 'value="register"' in body
    assert "<script" not in body and len(body.encode()) < 3000
    response = client.post(checkin_url(today), {"do": "register"})
    assert response.status_code == 200
    assert "You are registered and checked in at" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.REGISTERED and invited.registered_at is not None
    row = CheckIn.objects.get(registration=invited, session=today)
    assert (row.method, row.recorded_by) == (CheckInMethod.QR, world.teacher_librarian)


def test_a_second_tap_says_so_and_writes_nothing(client_for, world, invited, today):
    client = client_for(world.teacher_librarian)
    client.post(checkin_url(today), {"do": "register"})
    first = CheckIn.objects.get(registration=invited, session=today)
    history = invited.history.count()
    with CaptureQueriesContext(connection) as queries:
        again = client.post(checkin_url(today), {"do": "register"})
    assert again.status_code == 200
    time = timezone.localtime(first.at).strftime("%H:%M")
    assert f"You already checked in at {time}" in again.content.decode()
    assert writes_in(queries) == []
    assert CheckIn.objects.filter(registration=invited, session=today).count() == 1
    assert invited.history.count() == history
    page = client.get(checkin_url(today)).content.decode()
    assert "You already checked in" in page and "Register and check in" not in page


def test_a_registered_person_checks_in_as_before(client_for, world, registration, today):
    client = client_for(world.librarian)
    body = client.get(checkin_url(today)).content.decode()
    assert "I am here" in body and "Register and check in" not in body
    assert client.post(checkin_url(today)).status_code == 200
    assert CheckIn.objects.filter(registration=registration, session=today).count() == 1


def test_an_old_i_am_here_tab_offers_the_seat_and_writes_nothing(client_for, world, invited, today):
    response = client_for(world.teacher_librarian).post(checkin_url(today))
    assert response.status_code == 200
    assert "Register and check in" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.INVITED
    assert not CheckIn.objects.filter(registration=invited).exists()


def test_a_cancelled_person_takes_a_seat_again_at_the_door(client_for, world, invited, today):
    Registration.objects.filter(pk=invited.pk).update(status=RegistrationStatus.CANCELLED)
    response = client_for(world.teacher_librarian).post(checkin_url(today), {"do": "register"})
    assert response.status_code == 200
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.REGISTERED
    assert CheckIn.objects.filter(registration=invited, session=today).exists()


# --- A full event -----------------------------------------------------------------------------


def test_a_full_event_offers_the_waiting_list_and_never_over_books(
    client_for, world, event, invited, today
):
    Event.objects.filter(pk=event.pk).update(capacity=1)  # the librarian holds the only seat
    client = client_for(world.teacher_librarian)
    page = client.get(checkin_url(today)).content.decode()
    assert "The event is full: all 1 seats are taken" in page
    assert "Join the waiting list" in page and "Register and check in" not in page
    response = client.post(checkin_url(today), {"do": "register"})
    assert response.status_code == 409
    assert "Join the waiting list" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.INVITED
    assert seats_taken(event) == 1
    assert not CheckIn.objects.filter(registration=invited).exists()
    waiting = client.post(checkin_url(today), {"do": "wait"})
    assert waiting.status_code == 200
    assert "is on the waiting list (number 1)" in waiting.content.decode()
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.WAITLISTED
    assert seats_taken(event) == 1
    assert not CheckIn.objects.filter(registration=invited).exists()
    # Then the page says they wait, and offers nothing.
    again = client.get(checkin_url(today))
    assert again.status_code == 403
    assert "only registered participants can check in" in again.content.decode()


def test_the_last_seat_taken_between_the_page_and_the_tap(client_for, world, event, invited, today):
    client = client_for(world.teacher_librarian)
    assert "Register and check in" in client.get(checkin_url(today)).content.decode()
    Event.objects.filter(pk=event.pk).update(capacity=1)  # someone else was quicker
    response = client.post(checkin_url(today), {"do": "register"})
    assert response.status_code == 409
    assert "The event is full" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.INVITED
    assert seats_taken(event) == 1


def test_the_waiting_list_button_gives_a_seat_that_became_free(
    client_for, world, event, invited, today
):
    response = client_for(world.teacher_librarian).post(checkin_url(today), {"do": "wait"})
    assert response.status_code == 200
    assert "You are registered and checked in at" in response.content.decode()
    assert CheckIn.objects.filter(registration=invited, session=today).exists()


# --- People not on the list, and closed doors ---------------------------------------------------


def test_an_outsider_is_told_they_are_not_on_the_list_and_nothing_is_written(
    client_for, world, event, today
):
    client = client_for(world.outsider)
    before = (Registration.objects.count(), CheckIn.objects.count())
    for response in (
        client.get(checkin_url(today)),
        client.post(checkin_url(today), {"do": "register"}),
        client.post(checkin_url(today), {"do": "wait"}),
        client.post(checkin_url(today)),
    ):
        assert response.status_code == 403
        body = response.content.decode()
        assert "You are not registered for this event" in body
        assert "Register and check in" not in body
    assert (Registration.objects.count(), CheckIn.objects.count()) == before
    assert not Registration.objects.filter(user=world.outsider).exists()


def test_closed_registration_sends_the_invited_person_to_the_desk(
    client_for, world, event, invited, today
):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    client = client_for(world.teacher_librarian)
    page = client.get(checkin_url(today))
    assert page.status_code == 403
    assert "Ask the organiser at the welcome desk" in page.content.decode()
    for wanted in ("register", "wait"):
        response = client.post(checkin_url(today), {"do": wanted})
        assert response.status_code == 403
        assert "Ask the organiser at the welcome desk" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.INVITED
    assert not CheckIn.objects.filter(registration=invited).exists()


def test_too_early_registers_nobody(world, event, invited, today):
    early = today.starts_at - dt.timedelta(hours=2)
    with pytest.raises(EventError, match="Check-in opens at"):
        attendance.take_seat_at_door(today, world.teacher_librarian, at=early)
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.INVITED
    assert not CheckIn.objects.filter(registration=invited).exists()


# --- Two phones for the last seat ---------------------------------------------------------------


@pytest.mark.postgresql  # SQLite serialises writers by itself; the row lock is PostgreSQL's
@pytest.mark.django_db(transaction=True)
def test_two_invited_people_at_the_door_for_the_last_seat_on_postgresql(world, event, today):
    import threading

    from django.db import connections

    units.add_membership(world.principal, world.school, Role.LIBRARIAN)
    organising.open_registration(event, by=world.trainer)
    Event.objects.filter(pk=event.pk).update(capacity=2)  # the librarian holds one
    session_id = today.pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def tap(user) -> None:
        try:
            barrier.wait()
            session = attendance.session_at(today.checkin_code)
            assert session is not None and session.pk == session_id
            attendance.take_seat_at_door(session, user)
            outcomes.append("seated")
        except attendance.EventFull:
            outcomes.append("full")
        except BaseException as error:  # reported below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    people = (world.teacher_librarian, world.principal)
    threads = [threading.Thread(target=tap, args=(u,)) for u in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full", "seated"]
    assert seats_taken(event) == 2
    assert CheckIn.objects.filter(session=today).count() == 1
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 0
