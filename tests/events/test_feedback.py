"""The participants' survey: one answer per person (updatable), ratings 1–5 for attended sessions
only, the summary's averages for the organiser and the department, quotes on the event page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from thuvien.access import resolve_scope
from thuvien.events import reports
from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    Feedback,
    Registration,
    RegistrationStatus,
    SessionRating,
)
from thuvien.events.services import EventError
from thuvien.events.services import feedback as services
from thuvien.organisations.models import Role


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def sessions(event: Event) -> list[Any]:
    return list(event.sessions.order_by("starts_at"))


def attendee(world: Any, event: Event, user: Any, *, at: list[Any]) -> Registration:
    registration = Registration.objects.create(
        event=event, user=user, school=world.school, role=Role.TEACHER_LIBRARIAN,
        status=RegistrationStatus.REGISTERED,
    )  # fmt: skip
    for session in at:
        CheckIn.objects.create(
            registration=registration, session=session, at=session.starts_at,
            method=CheckInMethod.LIST,
        )  # fmt: skip
    return registration


def test_an_attendee_answers_once_and_may_update(world, client_for, event, registration):
    first, _second = sessions(event)
    client = client_for(world.librarian)
    url = reverse("events:feedback", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200 and first.title in page.content.decode()
    assert _second.title not in page.content.decode()  # not attended: not rated
    data = {f"session_{first.pk}": "5", "comments": "Rất hay", "change_plan": "Mở góc đọc"}
    assert client.post(url, data).status_code == 302
    client.post(url, {**data, f"session_{first.pk}": "3", "comments": "Hay"})
    answers = Feedback.objects.filter(registration=registration)
    assert answers.count() == 1
    answer = answers.get()
    assert (answer.comments, answer.change_plan) == ("Hay", "Mở góc đọc")
    assert list(answer.ratings.values_list("session_id", "rating")) == [(first.pk, 3)]
    assert 'value="3" selected' in client.get(url).content.decode()


@pytest.mark.parametrize("value", ["0", "6", "abc", "4.5"])
def test_a_rating_outside_1_to_5_is_refused(world, client_for, event, registration, value):
    first = sessions(event)[0]
    url = reverse("events:feedback", args=[event.pk])
    response = client_for(world.librarian).post(url, {f"session_{first.pk}": value})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not SessionRating.objects.exists()


@pytest.mark.parametrize("value", [0, 6, -1])
def test_the_service_refuses_ratings_outside_1_to_5(event, registration, value):
    first = sessions(event)[0]
    with pytest.raises(EventError, match="from 1 to 5"):
        services.submit_feedback(registration, ratings={first.pk: value})
    assert not SessionRating.objects.exists()


def test_a_session_not_attended_cannot_be_rated(event, registration):
    second = sessions(event)[1]
    with pytest.raises(EventError, match="only the sessions you attended"):
        services.submit_feedback(registration, ratings={second.pk: 5})


def test_an_empty_answer_says_what_to_do(world, client_for, event, registration):
    url = reverse("events:feedback", args=[event.pk])
    response = client_for(world.librarian).post(url, {})
    assert response.status_code == 422
    assert "Rate at least one session or write a comment" in response.content.decode()


def test_someone_who_did_not_attend_cannot_answer(world, client_for, event):
    attendee(world, event, world.teacher_librarian, at=[])
    client = client_for(world.teacher_librarian)
    url = reverse("events:feedback", args=[event.pk])
    assert "opens once you have checked in" in client.get(url).content.decode()
    response = client.post(url, {"comments": "Tôi không đi"})
    assert response.status_code == 422
    assert "Only people who attended" in response.content.decode()
    assert not Feedback.objects.filter(registration__user=world.teacher_librarian).exists()


def test_people_without_a_registration_get_404(world, client_for, event):
    url = reverse("events:feedback", args=[event.pk])
    assert client_for(world.thpt_librarian).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.trainer).get(url).status_code == 403  # organisers do not attend


def test_the_summary_averages_per_session_theme_and_overall(world, event, registration):
    first, second = sessions(event)
    services.submit_feedback(registration, ratings={first.pk: 5}, comments="Rất bổ ích.")
    other = attendee(world, event, world.teacher_librarian, at=[first, second])
    services.submit_feedback(
        other, ratings={first.pk: 3, second.pk: 4}, change_plan="Tổ chức ngày hội đọc sách"
    )
    summary = reports.feedback_summary(event, resolve_scope(world.trainer, None))
    assert len(summary.answers) == 2
    assert [(s.label, s.average, s.count) for s in summary.sessions] == [
        (first.title, 4.0, 2),
        (second.title, 4.0, 1),
    ]
    assert [(t.label, t.average) for t in summary.themes] == [
        (first.theme.name, 4.0),
        (second.theme.name, 4.0),
    ]
    assert (summary.overall.average, summary.overall.count) == (4.0, 3)
    assert {a.change_plan for a in summary.answers} == {"", "Tổ chức ngày hội đọc sách"}


def test_averages_are_rounded_and_empty_sessions_have_none(world, event, registration):
    first = sessions(event)[0]
    services.submit_feedback(registration, ratings={first.pk: 5})
    other = attendee(world, event, world.teacher_librarian, at=[first])
    services.submit_feedback(other, ratings={first.pk: 4})
    third = attendee(world, event, world.principal, at=[first])
    services.submit_feedback(third, ratings={first.pk: 4})
    summary = reports.feedback_summary(event, resolve_scope(world.trainer, None))
    assert summary.sessions[0].average == 4.33
    assert summary.sessions[1].average is None


def test_the_summary_is_for_the_organiser_and_the_department(
    world, client_for, event, registration
):
    url = reverse("events:feedback_summary", args=[event.pk])
    for user in (world.trainer, world.dept_officer, world.dept_admin):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert "Rất bổ ích." in response.content.decode()
    for user in (world.office_officer, world.librarian, world.principal):
        assert client_for(user).get(url).status_code == 403, user
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.office_b_officer).get(url).status_code == 404


def test_the_organiser_shows_a_quote_on_the_event_page(world, client_for, event, registration):
    quote_url = reverse("events:feedback_quote", args=[registration.pk])
    quotes_url = reverse("events:feedback_quotes", args=[event.pk])
    assert "Rất bổ ích." not in client_for(world.librarian).get(quotes_url).content.decode()
    assert client_for(world.librarian).post(quote_url, {"shown": "1"}).status_code == 403
    assert client_for(world.trainer).post(quote_url, {"shown": "1"}).status_code == 302
    assert Feedback.objects.get(registration=registration).quote_shown
    shown = client_for(world.principal).get(quotes_url).content.decode()
    assert "Rất bổ ích." in shown and world.librarian.full_name in shown
    client_for(world.trainer).post(quote_url, {"shown": "0"})
    assert not Feedback.objects.get(registration=registration).quote_shown
    assert client_for(world.outsider).get(quotes_url).status_code == 404


def test_an_answer_without_words_cannot_be_quoted(world, event, registration):
    answer = Feedback.objects.get(registration=registration)
    Feedback.objects.filter(pk=answer.pk).update(comments="")
    answer.refresh_from_db()
    with pytest.raises(EventError, match="no words"):
        services.show_quote(answer, True, by=world.trainer)
