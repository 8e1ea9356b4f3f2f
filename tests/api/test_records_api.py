"""GET /api/v1/campaigns/{id}/records/ and /api/v1/records/{id}/: the self-training records the
caller may read (the record's READ_RECORDS rule, as its PDF): the person their own, the principal
the school's, the office and the Sở their subtree's; never a colleague's, never a foreign one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from tests.training.conftest import D, at, make_campaign
from thuvien.core.testing import make_user
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import Campaign, Enrolment, ReportStatus


def records_url(campaign: Campaign) -> str:
    return f"/api/v1/campaigns/{campaign.pk}/records/"


def record_url(record: Enrolment) -> str:
    return f"/api/v1/records/{record.pk}/"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["person"]["name"] for row in response.json()["results"]}


@pytest.fixture
def campaign(world):
    """The Sở's campaign for the whole province: A1's librarian chose a topic, planned, noted,
    submitted her report late and was graded "fair"; A1's teacher-librarian keeps a draft."""
    with translation.override("en"):
        campaign = make_campaign(world)
        services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
        mine = Enrolment.objects.get(campaign=campaign, user=world.librarian)
        topic = campaign.topics.first()
        services.choose_topic(mine, topic, on=D(2026, 1, 1))
        first = campaign.milestones.order_by("order", "start").first()
        entry = services.plans.add_plan_entry(
            mine, what="Đọc tài liệu", start=first.start, end=first.end, milestone=first
        )
        services.plans.mark_plan_entry(mine, entry.id, done=True)
        services.add_study_note(mine, date=D(2026, 1, 5), content="Đọc chương 1", hours=Decimal(2))
        services.records.submit_report_text(mine, body="<p>Bài thu hoạch</p>", at=at(2026, 4, 12))
        services.evaluate(mine, by=world.principal, grade="fair")
        draft = Enrolment.objects.get(campaign=campaign, user=world.teacher_librarian)
        services.records.save_report_version(draft, body="<p>Bản nháp</p>")
    return campaign


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


def record_of(campaign, user) -> Enrolment:
    return Enrolment.objects.get(campaign=campaign, user=user)


def test_each_role_lists_the_records_it_may_read(world, campaign, api_client_for):
    school_a1 = {world.librarian.display_name, world.teacher_librarian.display_name}
    everyone = school_a1 | {world.thpt_librarian.display_name, world.outsider.display_name}
    url = records_url(campaign)

    assert names(api_client_for(world.dept_admin).get(url)) == everyone
    assert names(api_client_for(world.dept_officer).get(url)) == everyone
    assert names(api_client_for(world.office_officer).get(url)) == school_a1
    assert names(api_client_for(world.office_b_officer).get(url)) == {world.outsider.display_name}
    assert names(api_client_for(world.principal).get(url)) == school_a1
    assert names(api_client_for(world.principal_a2).get(url)) == set()
    # A librarian her own record only: not her colleague's.
    assert names(api_client_for(world.librarian).get(url)) == {world.librarian.display_name}
    colleague = api_client_for(world.teacher_librarian).get(url)
    assert names(colleague) == {world.teacher_librarian.display_name}
    assert names(api_client_for(world.outsider).get(url)) == {world.outsider.display_name}


def test_a_record_shows_its_progress(world, campaign, api_client_for):
    response = api_client_for(world.principal).get(records_url(campaign))
    rows = {row["person"]["id"]: row for row in response.json()["results"]}
    mine = rows[world.librarian.pk]
    record = record_of(campaign, world.librarian)
    topic = campaign.topics.first()

    assert mine["id"] == record.pk and mine["campaign"] == campaign.pk
    assert mine["person"] == {"id": world.librarian.pk, "name": world.librarian.display_name}
    assert mine["school"] == {"id": world.school.pk, "name": world.school.name, "kind": "school"}
    # Labels in the interface's language: Vietnamese first.
    assert mine["state"] == {"code": "evaluated", "label": vi(ReportStatus.EVALUATED.label)}
    assert mine["topics"] == [{"id": topic.pk, "title": topic.title}]
    with translation.override("vi"):
        assert mine["grade"] == {"code": "fair", "label": record.grade_label}
    assert mine["late"] is True and mine["deadline"] == "2026-04-10"
    assert mine["submitted_at"].startswith("2026-04-12") and mine["evaluated_at"]
    milestones = [(m["title"], m["due"], m["done"]) for m in mine["milestones"]]
    assert [m[:2] for m in milestones] == [
        (m.name, m.end.isoformat()) for m in campaign.milestones.order_by("order", "start")
    ]
    assert all(done for *_rest, done in milestones)  # handed in: every milestone is done
    draft = rows[world.teacher_librarian.pk]
    assert draft["state"] == {"code": "draft", "label": vi(ReportStatus.DRAFT.label)}
    assert (draft["grade"], draft["late"], draft["submitted_at"], draft["topics"]) == (
        None,
        False,
        None,
        [],
    )
    # Past every milestone's end, nothing planned done, not handed in: none is done.
    assert not any(m["done"] for m in draft["milestones"])


def test_filters_by_school_and_state(world, campaign, api_client_for):
    client = api_client_for(world.dept_admin)
    url = records_url(campaign)

    at_thpt = client.get(url, {"school": world.thpt.pk})
    assert names(at_thpt) == {world.thpt_librarian.display_name}
    evaluated = client.get(url, {"state": "evaluated"})
    assert names(evaluated) == {world.librarian.display_name}
    both = client.get(url, {"state": "not_started", "school": world.school.pk})
    assert names(both) == set()
    bad = client.get(url, {"state": "nonsense"})
    assert bad.status_code == 400 and list(bad.json()) == ["state"]
    # A school outside the scope filters to nothing: it never widens the list.
    foreign = api_client_for(world.office_officer).get(url, {"school": world.outsider_school.pk})
    assert names(foreign) == set()


def test_detail_has_the_plan_notes_and_report(world, campaign, api_client_for):
    record = record_of(campaign, world.librarian)
    first = campaign.milestones.order_by("order", "start").first()

    for reader in (world.librarian, world.principal, world.office_officer, world.dept_admin):
        response = api_client_for(reader).get(record_url(record))
        assert response.status_code == 200, (reader, response.content)
        data = response.json()
        assert data["notes_count"] == 1
        assert [(p["what"], p["milestone"], p["done"]) for p in data["plan"]] == [
            ("Đọc tài liệu", first.pk, True)
        ]
        assert data["report"]["submitted"] is True
        assert data["report"]["text"] == "<p>Bài thu hoạch</p>"
        assert data["grade"]["code"] == "fair"


def test_detail_of_a_draft_shows_the_draft_to_its_person(world, campaign, api_client_for):
    draft = record_of(campaign, world.teacher_librarian)

    data = api_client_for(world.teacher_librarian).get(record_url(draft)).json()
    assert data["report"]["submitted"] is False
    assert data["report"]["text"] == "<p>Bản nháp</p>"
    assert (data["plan"], data["notes_count"]) == ([], 0)
    nothing = api_client_for(world.thpt_librarian).get(
        record_url(record_of(campaign, world.thpt_librarian))
    )
    assert nothing.json()["report"] is None


@pytest.mark.parametrize(
    "who", ["teacher_librarian", "outsider", "principal_a2", "office_b_officer", "thpt_librarian"]
)
def test_a_record_the_caller_may_not_read_is_404(world, campaign, api_client_for, who):
    """A colleague, another school, another office: 404, as for a record that does not exist."""
    record = record_of(campaign, world.librarian)
    response = api_client_for(getattr(world, who)).get(record_url(record))
    missing = api_client_for(getattr(world, who)).get("/api/v1/records/987654/")

    assert response.status_code == 404 and missing.status_code == 404
    assert response.json() == missing.json()
    assert world.librarian.display_name not in response.content.decode()


def test_a_campaign_out_of_scope_or_in_draft_is_404(world, api_client_for):
    with translation.override("en"):
        foreign = services.create_campaign(
            world.office_b,
            by=world.office_b_officer,
            target=world.outsider_school,
            subject="Chiến dịch của phòng B",
            school_year=2025,
            roles=[Role.LIBRARIAN],
            school_deadline=D(2026, 4, 10),
            office_deadline=D(2026, 4, 20),
        )
        services.publish_campaign(foreign, by=world.office_b_officer, on=D(2025, 9, 15))
        draft = make_campaign(world)

    assert api_client_for(world.librarian).get(records_url(foreign)).status_code == 404
    assert api_client_for(world.office_officer).get(records_url(foreign)).status_code == 404
    assert names(api_client_for(world.outsider).get(records_url(foreign))) == {
        world.outsider.display_name
    }
    assert api_client_for(world.dept_admin).get(records_url(draft)).status_code == 404
    assert (
        api_client_for(world.dept_admin).get("/api/v1/campaigns/987654/records/").status_code == 404
    )


def test_anonymous_401_and_roles_without_training_403(world, campaign, api_client_for):
    record = record_of(campaign, world.librarian)
    for url in (records_url(campaign), record_url(record)):
        anonymous = APIClient().get(url)
        assert anonymous.status_code == 401 and "detail" in anonymous.json()
        for role in ("trainer", "reader"):
            refused = api_client_for(getattr(world, role)).get(url)
            assert refused.status_code == 403 and list(refused.json()) == ["detail"]


def _more_people(world, campaign, count: int, start: int) -> None:
    for number in range(start, start + count):
        user = make_user(f"them_{number}", f"Người Thứ {number:03d}")
        Enrolment.objects.create(
            campaign=campaign,
            user=user,
            school=world.school_a2,
            role=Role.LIBRARIAN,
            enrolled_on=dt.date(2025, 12, 4),
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


def test_list_query_count_does_not_grow_with_records(world, campaign, api_client_for):
    client = api_client_for(world.office_officer)
    url = records_url(campaign)
    _more_people(world, campaign, 3, 1)
    few, few_rows = _queries(client, url)
    _more_people(world, campaign, 30, 4)
    many, many_rows = _queries(client, url)

    assert (few_rows, many_rows) == (5, 35)
    assert many == few
    # token, memberships, campaign, count, rows, milestones, extra topics
    assert many <= 7, many


def test_list_is_paginated(world, campaign, api_client_for):
    _more_people(world, campaign, 55, 1)
    client = api_client_for(world.dept_admin)

    first = client.get(records_url(campaign)).json()
    second = client.get(records_url(campaign), {"page": 2}).json()

    assert first["count"] == 59 and len(first["results"]) == 50
    assert len(second["results"]) == 9 and second["next"] is None
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(set(seen)) == 59
    assert client.get(records_url(campaign), {"page": 9}).status_code == 404


def test_detail_query_count_is_fixed(world, campaign, api_client_for):
    client = api_client_for(world.principal)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(record_url(record_of(campaign, world.librarian))).status_code == 200
    # token, the scope, the record (its notes counted), milestones, extra topics, the report
    # handed in
    assert len(captured) <= 7, len(captured)
