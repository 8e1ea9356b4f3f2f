"""Checking in at a session: by the QR code at the venue (once, only when registered for that event,
only on the event's days; the login page brings the person back), and the organiser's list."""

from __future__ import annotations

import datetime as dt

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from tests.events.conftest import anonymous
from thuvien.core.testing import PASSWORD
from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from thuvien.events.services import EventError, attendance, certificates
from thuvien.organisations.models import Role


def checkin_url(session):
    return reverse("events:checkin", args=[session.checkin_code])


def list_url(session):
    return reverse("events:attendance", args=[session.pk])


@pytest.fixture
def today(event):
    """The world's event moved to today: the first session is over, the second runs now."""
    now = timezone.now()
    first, second = event.sessions.order_by("starts_at")
    first.starts_at, first.ends_at = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    second.starts_at, second.ends_at = now - dt.timedelta(minutes=10), now + dt.timedelta(hours=2)
    for session in (first, second):
        session.save()
    event.starts_on = timezone.localdate(first.starts_at)
    event.ends_on = timezone.localdate(now)
    event.save()
    return second


def register(event, user, school, status=RegistrationStatus.REGISTERED):
    return Registration.objects.create(
        event=event, user=user, school=school, role=Role.LIBRARIAN, status=status
    )


def other_event(world, day):
    """Another event of the partner today, with a session running now; nobody registered."""
    now = timezone.now()
    other = Event.objects.create(
        organiser=world.partner, title="Hội thảo khác hẳn", starts_on=day, ends_on=day,
        venue="Hội trường B", target=world.office, status=EventStatus.OPEN,
    )  # fmt: skip
    return EventSession.objects.create(
        event=other, title="Phiên khác", starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=1),
    )  # fmt: skip


# --- The QR check-in --------------------------------------------------------------------------


def test_check_in_by_the_qr_url_records_once(client_for, world, registration, today):
    client = client_for(world.librarian)
    page = client.get(checkin_url(today))
    assert page.status_code == 200
    assert "I am here" in page.content.decode()
    response = client.post(checkin_url(today))
    assert response.status_code == 200
    assert "Checked in at" in response.content.decode()
    row = CheckIn.objects.get(registration=registration, session=today)
    assert row.method == CheckInMethod.QR
    assert row.recorded_by == world.librarian
    assert abs(row.at - timezone.now()) < dt.timedelta(minutes=1)


def test_second_check_in_changes_nothing_and_says_when(client_for, world, registration, today):
    client = client_for(world.librarian)
    client.post(checkin_url(today))
    first = CheckIn.objects.get(registration=registration, session=today)
    again = client.post(checkin_url(today))
    assert again.status_code == 200
    time = timezone.localtime(first.at).strftime("%H:%M")
    assert f"You already checked in at {time}" in again.content.decode()
    assert CheckIn.objects.filter(registration=registration, session=today).count() == 1
    assert CheckIn.objects.get(pk=first.pk).at == first.at
    # Opening the QR again says so too, without a button.
    page = client.get(checkin_url(today))
    assert f"You already checked in at {time}" in page.content.decode()
    assert "I am here" not in page.content.decode()


def test_check_in_at_a_session_of_another_event_is_refused(client_for, world, registration, today):
    foreign = other_event(world, timezone.localdate())
    client = client_for(world.librarian)
    before = CheckIn.objects.count()
    for response in (client.get(checkin_url(foreign)), client.post(checkin_url(foreign))):
        assert response.status_code == 403
        body = response.content.decode()
        assert "an event you are not registered for" in body
        assert foreign.event.title not in body
    assert CheckIn.objects.count() == before


def test_a_person_not_registered_is_refused(client_for, world, today):
    client = client_for(world.teacher_librarian)
    response = client.post(checkin_url(today))
    assert response.status_code == 403
    assert "You are not registered for this event" in response.content.decode()
    assert not CheckIn.objects.filter(registration__user=world.teacher_librarian).exists()


def test_a_person_on_the_waiting_list_is_refused(client_for, world, event, today):
    register(event, world.teacher_librarian, world.school, RegistrationStatus.WAITLISTED)
    response = client_for(world.teacher_librarian).post(checkin_url(today))
    assert response.status_code == 403
    assert "only registered participants can check in" in response.content.decode()
    assert not CheckIn.objects.filter(registration__user=world.teacher_librarian).exists()


def test_an_unknown_code_is_404(client_for, world, registration, today):
    response = client_for(world.librarian).post(reverse("events:checkin", args=["khong-co-ma"]))
    assert response.status_code == 404
    assert CheckIn.objects.filter(session=today).count() == 0


def test_anonymous_logs_in_once_and_comes_back_to_the_check_in(world, registration, today):
    client = anonymous()
    url = checkin_url(today)
    response = client.get(url)
    assert response.status_code == 200  # the event and session, a login that comes back
    login = reverse("accounts:login")
    assert f'href="{login}?next={url}"' in response.content.decode()
    assert client.post(url).status_code == 302  # a POST from an old tab records nothing
    assert not CheckIn.objects.filter(session=today).exists()
    answer = client.post(
        login, {"username": world.librarian.username, "password": PASSWORD, "next": url}
    )
    assert answer.status_code == 302
    assert answer["Location"] == url
    assert "I am here" in client.get(url).content.decode()
    assert client.post(url).status_code == 200
    assert CheckIn.objects.filter(registration=registration, session=today).count() == 1


def test_the_check_in_page_is_light(client_for, world, registration, today):
    body = client_for(world.librarian).get(checkin_url(today)).content.decode()
    assert "pico" not in body and "htmx" not in body
    assert "<script" not in body and 'style="' not in body
    assert len(body.encode()) < 3000


def test_qr_check_in_only_on_the_event_days(world, event, registration):
    second = event.sessions.order_by("starts_at").last()
    early = second.starts_at - dt.timedelta(hours=1, minutes=1)
    with pytest.raises(EventError, match="Check-in opens at 09:00 on 10/11/2025"):
        attendance.check_in(second, world.librarian, method=CheckInMethod.QR, at=early)
    on_time = second.starts_at - dt.timedelta(minutes=59)
    row = attendance.check_in(second, world.librarian, method=CheckInMethod.QR, at=on_time)
    assert row.at == on_time
    late = timezone.make_aware(dt.datetime(2025, 11, 11, 0, 0))
    row.delete()
    with pytest.raises(EventError, match="check-in closed at the end of 10/11/2025"):
        attendance.check_in(second, world.librarian, method=CheckInMethod.QR, at=late)
    assert not CheckIn.objects.filter(session=second).exists()


def test_a_cancelled_event_takes_no_check_in(world, event, registration, today):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    today.refresh_from_db()
    with pytest.raises(EventError, match="not taking place"):
        attendance.check_in(today, world.librarian, method=CheckInMethod.QR)
    assert not CheckIn.objects.filter(session=today).exists()


# --- The poster -------------------------------------------------------------------------------


def test_the_poster_shows_the_qr_of_the_check_in_url(client_for, world, today):
    response = client_for(world.trainer).get(reverse("events:checkin_poster", args=[today.pk]))
    assert response.status_code == 200
    url = f"http://testserver{checkin_url(today)}"
    body = response.content.decode()
    assert response.context["checkin_url"] == url
    assert url in body
    svg = segno.make(url, error="m").svg_inline(scale=8, omitsize=True)
    assert svg in body  # the very QR code of that URL
    assert 'style="' not in body


@pytest.mark.parametrize("who", ["librarian", "office_officer", "principal"])
def test_the_poster_needs_the_organiser(client_for, world, today, who):
    url = reverse("events:checkin_poster", args=[today.pk])
    assert client_for(getattr(world, who)).get(url).status_code == 403


def test_the_poster_of_a_session_organised_elsewhere_is_404(client_for, world, today):
    foreign = other_event(world, timezone.localdate())
    Event.objects.filter(pk=foreign.event_id).update(organiser=world.department)
    url = reverse("events:checkin_poster", args=[foreign.pk])
    assert client_for(world.trainer).get(url).status_code == 404
    assert client_for(world.trainer).get(list_url(foreign)).status_code == 404
    assert anonymous().get(url).status_code == 302


# --- The organiser's list ---------------------------------------------------------------------


def test_the_organiser_sees_the_list_with_counts(client_for, world, event, registration, today):
    register(event, world.teacher_librarian, world.school)
    register(event, world.principal, world.school, RegistrationStatus.CANCELLED)
    first = event.sessions.order_by("starts_at").first()
    response = client_for(world.trainer).get(list_url(first))
    assert response.status_code == 200
    names = [row["registration"].user for row in response.context["rows"]]
    assert set(names) == {world.librarian, world.teacher_librarian}
    assert response.context["counts"] == {"present": 1, "registered": 2}
    assert world.principal.display_name not in response.content.decode()


def test_the_organiser_ticks_and_unticks_with_htmx(client_for, world, event, registration, today):
    other = register(event, world.teacher_librarian, world.school)
    client = client_for(world.trainer)
    data = {"registration": other.pk, "present": "1"}
    response = client.post(list_url(today), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="attendance-row-{other.pk}"')
    assert 'hx-swap-oob="true"' in body and "1</span> / 2" in body
    row = CheckIn.objects.get(registration=other, session=today)
    assert (row.method, row.recorded_by) == (CheckInMethod.LIST, world.trainer)
    # A retried tick (the user pressed again) changes nothing.
    client.post(list_url(today), data, HTTP_HX_REQUEST="true")
    assert CheckIn.objects.filter(registration=other, session=today).count() == 1
    client.post(list_url(today), {"registration": other.pk, "present": "0"}, HTTP_HX_REQUEST="true")
    assert not CheckIn.objects.filter(registration=other, session=today).exists()


def test_a_plain_form_tick_redirects_back(client_for, world, event, registration, today):
    response = client_for(world.trainer).post(
        list_url(today), {"registration": registration.pk, "present": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(today)
    assert CheckIn.objects.filter(registration=registration, session=today).exists()


def test_the_organiser_may_enter_a_paper_list_after_the_event(world, event, registration):
    second = event.sessions.order_by("starts_at").last()
    after = timezone.make_aware(dt.datetime(2025, 11, 12, 9))
    row = attendance.check_in(
        second, world.librarian, method=CheckInMethod.LIST, by=world.trainer, at=after
    )
    assert row.method == CheckInMethod.LIST


def test_a_tick_for_another_events_registration_is_404(client_for, world, event, today):
    foreign = other_event(world, timezone.localdate())
    stranger = register(foreign.event, world.teacher_librarian, world.school)
    response = client_for(world.trainer).post(
        list_url(today), {"registration": stranger.pk, "present": "1"}
    )
    assert response.status_code == 404
    assert not CheckIn.objects.filter(registration=stranger).exists()


def test_the_certificate_holder_keeps_their_only_check_in(client_for, world, registration):
    certificates.issue_certificate(registration)
    first = registration.checkins.get().session
    response = client_for(world.trainer).post(
        list_url(first), {"registration": registration.pk, "present": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "already holds a certificate" in response.content.decode()
    assert registration.checkins.count() == 1


@pytest.mark.parametrize("who", ["librarian", "office_officer"])
def test_the_list_needs_the_organiser(client_for, world, registration, who):
    first = registration.checkins.get().session
    client = client_for(getattr(world, who))
    assert client.get(list_url(first)).status_code == 403
    data = {"registration": registration.pk, "present": "0"}
    assert client.post(list_url(first), data).status_code == 403
    assert registration.checkins.count() == 1


def test_the_list_refuses_other_methods(client_for, world, registration):
    first = registration.checkins.get().session
    assert client_for(world.trainer).put(list_url(first)).status_code == 405
