"""Taking a seat: register, be nominated, wait when full, cancel (the first waiting gets it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thuvien.events.models import Registration, RegistrationStatus
from thuvien.events.services import organising, registrations
from thuvien.events.services.common import EventError
from thuvien.notifications.models import Notification
from thuvien.organisations import services as units
from thuvien.organisations.models import Role


def seats_taken(event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


def test_invited_person_registers(world, event):
    organising.open_registration(event, by=world.trainer)  # invites the teacher-librarian
    invited = Registration.objects.get(event=event, user=world.teacher_librarian)
    assert invited.status == RegistrationStatus.INVITED
    done = registrations.register(invited, by=world.teacher_librarian)
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.REGISTERED and invited.registered_at is not None
    assert done.pk == invited.pk
    assert "is registered for" in registrations.outcome_message(done)


def test_person_of_the_audience_registers_without_an_invitation(world, event):
    registration = registrations.register(event, by=world.teacher_librarian)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.school == world.school and registration.role == Role.TEACHER_LIBRARIAN


def test_someone_outside_the_audience_cannot_register(world, event):
    with pytest.raises(EventError, match="invited people only"):
        registrations.register(event, by=world.thpt_librarian)
    assert not Registration.objects.filter(event=event, user=world.thpt_librarian).exists()


def test_nobody_registers_someone_else(world, event):
    with pytest.raises(EventError, match="Only the person themself"):
        registrations.register(event, user=world.teacher_librarian, by=world.librarian)


def test_registering_twice_is_refused(world, event, registration):
    with pytest.raises(EventError, match="already registered"):
        registrations.register(registration, by=world.librarian)


def test_registration_needs_an_open_event(world, event):
    organising.close_registration(event, by=world.trainer)
    with pytest.raises(EventError, match="not open"):
        registrations.register(event, by=world.teacher_librarian)


def test_registration_after_its_closing_day_is_refused(world, event):
    event.registration_closes_on = timezone.localdate() - dt.timedelta(days=1)
    event.ends_on = event.starts_on = timezone.localdate() + dt.timedelta(days=5)
    event.save()
    with pytest.raises(EventError, match="Registration closed on"):
        registrations.register(event, by=world.teacher_librarian)


def test_full_event_puts_the_next_person_on_the_waiting_list(world, event, registration):
    event.capacity = 1
    event.save()
    before = seats_taken(event)
    waiting = registrations.register(event, by=world.teacher_librarian)
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert seats_taken(event) == before == 1
    message = registrations.outcome_message(waiting)
    assert message.startswith("The event is full:") and "waiting list (number 1)" in message


def test_two_people_for_the_last_seat_cannot_both_get_it(world, event, registration):
    """Sequential here; both databases run the same locked count (see test on PostgreSQL)."""
    event.capacity = 2
    event.save()
    first = registrations.register(event, by=world.teacher_librarian)
    units.add_membership(world.principal, world.school, Role.LIBRARIAN)
    second = registrations.register(event, by=world.principal)
    assert (first.status, second.status) == (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    )
    assert seats_taken(event) == 2


def test_cancelling_promotes_the_first_waiting_person_and_tells_them(world, event, registration):
    event.capacity = 1
    event.save()
    units.add_membership(world.principal, world.school, Role.LIBRARIAN)
    second = registrations.register(event, by=world.teacher_librarian)
    third = registrations.register(event, by=world.principal)
    assert registrations.waiting_position(third) == 2
    registrations.cancel(registration, by=world.librarian)
    registration.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED and registration.cancelled_at
    assert second.status == RegistrationStatus.REGISTERED
    assert third.status == RegistrationStatus.WAITLISTED
    notice = Notification.objects.get(kind="events.promoted")
    assert notice.recipient == world.teacher_librarian
    assert seats_taken(event) == 1


def test_cancelled_person_can_register_again(world, event, registration):
    registrations.cancel(registration, by=world.librarian)
    again = registrations.register(registration, by=world.librarian)
    assert again.status == RegistrationStatus.REGISTERED and again.cancelled_at is None


def test_cancelling_twice_is_refused(world, registration):
    registrations.cancel(registration, by=world.librarian)
    with pytest.raises(EventError, match="nothing to cancel"):
        registrations.cancel(registration, by=world.librarian)


def test_more_seats_move_waiting_people_up(world, event, registration):
    event.capacity = 1
    event.save()
    waiting = registrations.register(event, by=world.teacher_librarian)
    organising.update_event(event, by=world.trainer, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_principal_nominates_their_own_staff(world, event):
    done = registrations.nominate(event, world.teacher_librarian, by=world.principal)
    assert done.status == RegistrationStatus.REGISTERED and done.nominated_by == world.principal
    assert done.school == world.school


def test_principal_nominates_staff_outside_the_audience_roles(world, event):
    """The event targets librarians; a principal may still register themself."""
    done = registrations.nominate(event, world.principal, by=world.principal)
    assert done.status == RegistrationStatus.REGISTERED and done.role == Role.PRINCIPAL


@pytest.mark.parametrize("who", ["outsider", "thpt_librarian", "principal_a2", "trainer"])
def test_principal_cannot_nominate_other_schools_staff(world, event, who):
    with pytest.raises(EventError, match="not on the staff of your school"):
        registrations.nominate(event, getattr(world, who), by=world.principal)
    assert not Registration.objects.filter(event=event, user=getattr(world, who)).exists()


def test_a_librarian_cannot_nominate(world, event):
    with pytest.raises(EventError, match="not on the staff of your school"):
        registrations.nominate(event, world.teacher_librarian, by=world.librarian)


@pytest.mark.postgresql  # SQLite serialises writers by itself; the row lock is PostgreSQL's
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_the_last_seat_on_postgresql(world, event, registration):
    """Two threads ask at once; the lock on the event lets one in and queues the other."""
    import threading

    from django.db import connections

    event.capacity = 2
    event.save()
    units.add_membership(world.principal, world.school, Role.LIBRARIAN)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def ask(user) -> None:
        try:
            barrier.wait()
            registrations.register(event.__class__.objects.get(pk=event.pk), by=user)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=ask, args=(u,)) for u in (world.teacher_librarian, world.principal)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(
        Registration.objects.filter(event=event)
        .exclude(user=world.librarian)
        .values_list("status", flat=True)
    )
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    assert seats_taken(event) == 2
