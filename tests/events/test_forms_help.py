"""Forms that help on the event pages (issue 9): no id repeats on a page, every label points at a
field of its own form, and the survey's comments have a limit the service enforces."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.training.test_forms_help import Page
from thuvien.events.models import Event, Feedback
from thuvien.events.services import feedback as feedback_services
from thuvien.events.services.common import EventError


def event_pages(event: Event) -> list[tuple[str, str]]:
    session = event.sessions.order_by("pk").first()
    assert session is not None
    return [
        ("trainer", reverse("events:event_detail", args=[event.pk])),
        ("trainer", reverse("events:event_edit", args=[event.pk])),
        ("trainer", reverse("events:session_add", args=[event.pk])),
        ("trainer", reverse("events:session_edit", args=[session.pk])),
        ("trainer", reverse("events:gallery", args=[event.pk])),
        ("trainer", reverse("events:materials", args=[event.pk])),
        ("trainer", reverse("events:attendance", args=[session.pk])),
        ("trainer", reverse("events:invite", args=[event.pk])),
        ("trainer", reverse("events:feedback_summary", args=[event.pk])),
        ("trainer", reverse("events:report", args=[event.pk])),
        ("dept_admin", reverse("events:theme_list")),
        ("librarian", reverse("events:event_detail", args=[event.pk])),
        ("librarian", reverse("events:feedback", args=[event.pk])),
        ("principal", reverse("events:event_detail", args=[event.pk])),
        ("principal", reverse("events:nominate", args=[event.pk])),
        ("dept_admin", reverse("events:event_list")),
        ("dept_admin", reverse("events:agreement_create")),
    ]


def test_event_pages_repeat_no_id_and_labels_point_at_their_own_field(world, client_for, event):
    checked = 0
    for role, address in event_pages(event):
        response = client_for(getattr(world, role)).get(address)
        if response.status_code != 200:
            continue  # a page this role does not reach is not this test's subject
        assert "html" in response["Content-Type"], address
        try:
            Page(response.content.decode()).assert_ids_unique_and_labels_own()
        except AssertionError as error:
            raise AssertionError(f"{role} {address}: {error}") from error
        checked += 1
    assert checked >= 12


def test_the_survey_refuses_oversize_comments(world, client_for, event, registration):
    address = reverse("events:feedback", args=[event.pk])
    response = client_for(world.librarian).post(address, {"comments": "x" * 2_001})
    assert response.status_code == 422
    page = response.content.decode()
    assert "At most 2,000 characters, you typed 2,001." in page
    field = Page(page).elements["id_comments"]
    assert field["aria-invalid"] == "true" and "autofocus" in field
    assert "id_comments_error" in (field["aria-describedby"] or "")
    assert not Feedback.objects.filter(
        registration=registration, comments__startswith="xxx"
    ).exists()
    with translation.override("en"), pytest.raises(EventError, match="2,000"):
        feedback_services.submit_feedback(registration, ratings={}, change_plan="y" * 2_001)
    kept = feedback_services.submit_feedback(registration, ratings={}, comments="x" * 2_000)
    assert len(kept.comments) == 2_000
