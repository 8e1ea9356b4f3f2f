"""A person's training history on their profile: every campaign record, wherever they worked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from thuvien.training import record_queries, services
from thuvien.training.models import Campaign, Enrolment


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(world):
    from tests.training.conftest import PUBLISHED_ON, make_campaign

    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, campaign.topics.first())
    services.submit_report_text(record, body="Bài")
    services.evaluate(record, by=world.principal, grade="good")
    return Enrolment.objects.filter(user=world.librarian)


def profile(client_for, user):
    client = client_for(user)
    client.cookies["thuvien_language"] = "en"
    return client.get(reverse("accounts:profile"))


def test_history_lists_every_record_of_the_person(client_for, world, records):
    response = profile(client_for, world.librarian)
    assert response.status_code == 200
    history = response.context["history"]
    rows = [row for row in history if row.kind == "Self-training campaign"]
    assert len(rows) == records.count() == 2  # the world's office campaign and the Sở's
    assert {row.title for row in rows} == {e.campaign.subject for e in records}
    # Training events join the same history (the world's event, which the librarian attended).
    assert [row.kind for row in history if row not in rows] == ["Training event"]
    evaluated = next(r for r in rows if r.title.startswith("V/v"))
    assert evaluated.outcome == "Evaluated: Good" and evaluated.submitted_at is not None
    assert evaluated.school == world.school.name and evaluated.school_year == "2025–2026"
    page = response.content.decode()
    assert "Training history" in page
    for record in records:
        assert reverse("training:record_detail", args=[record.pk]) in page


def test_rows_are_simple_and_newest_first(world, records):
    rows = record_queries.training_history(world.librarian)
    assert [row.date for row in rows] == sorted((row.date for row in rows), reverse=True)
    assert all(row.kind == "Self-training campaign" and row.url == "" for row in rows)


def test_a_record_at_another_school_is_listed_without_a_link(client_for, world, records):
    record = records.get(campaign__issuer=world.department)
    Enrolment.objects.filter(pk=record.pk).update(school=world.school_a2)
    rows = profile(client_for, world.librarian).context["history"]
    moved = next(r for r in rows if r.title == record.campaign.subject)
    assert moved.url == "" and moved.school == world.school_a2.name


def test_drafts_and_other_people_are_not_in_the_history(client_for, world, records):
    from tests.training.conftest import make_campaign

    make_campaign(world, subject="Bản nháp chưa ban hành")
    rows = profile(client_for, world.librarian).context["history"]
    assert all("nháp" not in row.title for row in rows)
    assert Campaign.objects.filter(subject="Bản nháp chưa ban hành").exists()
    assert profile(client_for, world.principal).context["history"] == []


def test_late_submission_is_flagged(client_for, world, records):
    record = records.get(campaign__issuer=world.department)
    Enrolment.objects.filter(pk=record.pk).update(
        submitted_at=record.submitted_at.replace(year=2026, month=5, day=1)
    )
    rows = profile(client_for, world.librarian).context["history"]
    assert next(r for r in rows if r.title == record.campaign.subject).late
    assert "late" in profile(client_for, world.librarian).content.decode()
