"""Training events in a person's training history, and the staff-training figures of a school."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.urls import reverse

from thuvien.events import history
from thuvien.events.history import event_history_rows, staff_training_summary
from thuvien.events.models import Event, EventStatus, Registration, RegistrationStatus


def test_an_attended_event_shows_sessions_and_certificate(world, event, registration):
    [row] = event_history_rows(world.librarian)
    assert (row.date, row.kind, row.title) == (event.starts_on, "Training event", event.title)
    assert row.outcome == "attended 1/2 sessions"
    assert row.url == reverse("events:event_detail", args=[event.pk])
    assert (row.school, row.school_year) == (world.school.name, "2025–2026")
    Registration.objects.filter(pk=registration.pk).update(certificate_code="abc")
    assert event_history_rows(world.librarian)[0].outcome == "attended 1/2 sessions, certificate"


def test_the_certificate_outcome_is_one_translatable_message(world, event, registration):
    """One message with placeholders (makemessages reads no gettext call inside an f-string)."""
    Registration.objects.filter(pk=registration.pk).update(certificate_code="abc")
    seen: list[str] = []

    def gettext(message: str) -> str:
        seen.append(message)
        return f"«{message}»"

    with mock.patch.object(history, "_", gettext):
        [row] = event_history_rows(world.librarian)
    assert "attended %(attended)d/%(sessions)d sessions, certificate" in seen
    assert row.outcome == "«attended 1/2 sessions, certificate»"  # translated as one


def test_registered_waiting_and_missed_events(world, event):
    Registration.objects.create(
        event=event, user=world.teacher_librarian, school=world.school,
        status=RegistrationStatus.WAITLISTED,
    )  # fmt: skip
    assert event_history_rows(world.teacher_librarian)[0].outcome == "on the waiting list"
    Registration.objects.filter(user=world.teacher_librarian).update(
        status=RegistrationStatus.REGISTERED
    )
    before = event.starts_on - dt.timedelta(days=1)
    assert event_history_rows(world.teacher_librarian, today=before)[0].outcome == "registered"
    after = event.ends_on + dt.timedelta(days=1)
    assert event_history_rows(world.teacher_librarian, today=after)[0].outcome == "did not attend"


def test_invitations_drafts_and_cancelled_events_are_not_history(world, event, registration):
    Registration.objects.create(
        event=event, user=world.principal, school=world.school, status=RegistrationStatus.INVITED
    )
    assert event_history_rows(world.principal) == []
    assert event_history_rows(world.outsider) == []
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    assert event_history_rows(world.librarian) == []


def test_staff_training_summary_of_a_school_year(world, event, registration):
    summary = staff_training_summary(world.school, 2025)
    assert summary["people"] == 1 and summary["events"] == 1
    assert summary["sessions"] == 1
    assert summary["hours"] == Decimal("2.0")
    assert summary["rows"] == [(world.librarian.full_name, 1, Decimal("2.0"))]
    assert staff_training_summary(world.school, 2024)["people"] == 0
    assert staff_training_summary(world.school_a2, 2025)["people"] == 0


def test_an_event_links_to_its_page_only_when_the_scope_opens_it(world, event, registration):
    from thuvien.access import resolve_scope

    own = event_history_rows(world.librarian, scope=resolve_scope(world.librarian, None))
    assert own[0].url == reverse("events:event_detail", args=[event.pk])
    foreign = event_history_rows(world.librarian, scope=resolve_scope(world.outsider, None))
    assert foreign[0].url == ""
