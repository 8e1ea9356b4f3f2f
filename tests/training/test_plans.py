"""The person's own plan: entries linked to milestones and materials; done, undone, removed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.training.conftest import D, make_campaign
from thuvien.organisations.models import Role
from thuvien.training import services


@pytest.fixture
def me(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


def plan_url(record, name="record_plan"):
    return reverse(f"training:{name}", args=[record.pk])


def test_entries_are_kept_in_date_order_with_their_links(record):
    campaign = record.campaign
    second = campaign.milestones.get(locks_topic_choice=True)
    material = campaign.materials.first()
    services.plans.add_plan_entry(
        record, what="Chuyên đề tự chọn", start=D(2026, 1, 15), end=D(2026, 2, 14), milestone=second
    )
    services.plans.add_plan_entry(
        record, what="Đọc tài liệu", start=D(2025, 12, 15), end=D(2026, 1, 5), material=material
    )
    record.refresh_from_db()
    entries = record.plan_entries()
    assert [e.what for e in entries] == ["Đọc tài liệu", "Chuyên đề tự chọn"]
    assert entries[0].material == material.pk and entries[1].milestone == second.pk
    assert record.history.first().plan == record.plan  # audited like every change of a record


def test_rules_of_an_entry(record, world):
    with pytest.raises(services.TrainingError, match="before it starts"):
        services.plans.add_plan_entry(record, what="x", start=D(2026, 2, 1), end=D(2026, 1, 1))
    with pytest.raises(services.TrainingError, match="Write what"):
        services.plans.add_plan_entry(record, what="  ", start=D(2026, 1, 1), end=D(2026, 1, 2))
    other = make_campaign(world, subject="Một kế hoạch khác")  # a draft with its own parts
    with pytest.raises(services.TrainingError, match="of this campaign"):
        services.plans.add_plan_entry(
            record, what="x", start=D(2026, 1, 1), end=D(2026, 1, 2),
            milestone=other.milestones.first(),
        )  # fmt: skip
    with pytest.raises(services.TrainingError, match="of this campaign"):
        services.plans.add_plan_entry(
            record, what="x", start=D(2026, 1, 1), end=D(2026, 1, 2),
            material=other.materials.first(),
        )  # fmt: skip
    record.refresh_from_db()
    assert record.plan == []


def test_a_closed_campaign_keeps_the_plan_unchanged(record, world):
    services.plans.add_plan_entry(record, what="Đọc", start=D(2026, 1, 1), end=D(2026, 1, 2))
    services.close_campaign(record.campaign, by=world.dept_admin)
    record.refresh_from_db()
    with pytest.raises(services.TrainingError, match="not open"):
        services.plans.mark_plan_entry(record, 1, done=True)
    assert record.plan_entries()[0].done is False


def test_the_page_adds_marks_and_removes_entries(me, record):
    milestone = record.campaign.milestones.first()
    response = me.post(
        plan_url(record),
        {"what": "Nghiên cứu phần chung", "start": "2025-12-15", "end": "2026-01-14",
         "milestone": milestone.pk},
    )  # fmt: skip
    assert response.status_code == 302
    page = me.get(plan_url(record)).content.decode()
    assert "Nghiên cứu phần chung" in page and milestone.name in page
    me.post(plan_url(record, "record_plan_entry"), {"entry": 1, "action": "done"})
    record.refresh_from_db()
    assert record.plan_entries()[0].done
    me.post(plan_url(record, "record_plan_entry"), {"entry": 1, "action": "remove"})
    record.refresh_from_db()
    assert record.plan == []


def test_a_bad_entry_is_shown_again_with_the_error_and_nothing_saved(me, record):
    response = me.post(plan_url(record), {"what": "x", "start": "2026-02-10", "end": "2026-02-01"})
    assert response.status_code == 422
    assert "cannot end before it starts" in response.content.decode()
    record.refresh_from_db()
    assert record.plan == []


def test_only_the_person_reaches_their_plan(client_for, record, world):
    colleague = (
        world.school.memberships.exclude(user=world.librarian)
        .filter(role=Role.TEACHER_LIBRARIAN)
        .first()
    )
    for user in (world.principal, world.outsider, colleague.user if colleague else world.outsider):
        client = client_for(user)
        assert client.get(plan_url(record)).status_code in (403, 404)
        client.post(plan_url(record), {"what": "x", "start": "01/01/2026", "end": "02/01/2026"})
    record.refresh_from_db()
    assert record.plan == []
