"""The campaign screens: list, create, edit, parts, publish, close (department and office side)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.training.conftest import make_campaign
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import Campaign, CampaignStatus, Enrolment, Milestone, Topic

LIST = reverse("training:campaign_list")
NEW = reverse("training:campaign_create")


def url(name: str, campaign: Campaign) -> str:
    return reverse(f"training:{name}", args=[campaign.pk])


def english(client: Any) -> Any:
    client.cookies["thuvien_language"] = "en"
    return client


def office_b_campaign(world: Any) -> Campaign:
    return services.create_campaign(
        world.office_b, by=world.office_b_officer, subject="Chiến dịch phòng B", school_year=2025,
        roles=[Role.LIBRARIAN], school_deadline=dt.date(2026, 4, 10),
    )  # fmt: skip


CAMPAIGN_POST = {
    "subject": "Tự bồi dưỡng 2026",
    "school_year": "2026",
    "roles": ["librarian"],
    "tiers": ["primary"],
    "symbol": "PGDĐT",
    "place": "Bến Tre",
    "school_deadline": "2027-04-10",
    "office_deadline": "2027-04-20",
    "scale": "marks_10",
    "reminder_days": "7,1",
}


# --- The list -----------------------------------------------------------------------------------


@pytest.fixture
def campaigns(world: Any) -> dict[str, Campaign]:
    return {
        "office_a": Campaign.objects.get(issuer=world.office),
        "department": make_campaign(world),
        "office_b": office_b_campaign(world),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("dept_admin", {"office_a", "department", "office_b"}),
        ("dept_officer", {"office_a", "department", "office_b"}),
        ("office_officer", {"office_a", "department"}),
        ("principal", {"office_a", "department"}),
        ("librarian", {"office_a", "department"}),
        ("teacher_librarian", {"office_a", "department"}),
        ("outsider", {"department", "office_b"}),
        ("thpt_librarian", {"department"}),
    ],
)
def test_list_shows_exactly_the_campaigns_that_reach_the_scope(
    world, client_for, campaigns, role, expected
):
    response = client_for(getattr(world, role)).get(LIST)
    assert response.status_code == 200
    shown = {c.pk for c in response.context["page"].object_list}
    assert shown == {campaigns[name].pk for name in expected}


def test_list_filters_by_year_status_and_search(world, client_for, campaigns):
    client = client_for(world.dept_admin)
    services.create_campaign(
        world.department, by=world.dept_admin, subject="Năm trước", school_year=2024,
        roles=[Role.LIBRARIAN],
    )  # fmt: skip
    by_year = client.get(LIST, {"school_year": "2024"}).context["page"].object_list
    assert [c.subject for c in by_year] == ["Năm trước"]
    published = client.get(LIST, {"status": "published"}).context["page"].object_list
    assert {c.pk for c in published} == {campaigns["office_a"].pk}
    found = client.get(LIST, {"q": "2458"}).context["page"].object_list
    assert [c.pk for c in found] == [campaigns["department"].pk]
    found = client.get(LIST, {"q": "phòng B"}).context["page"].object_list
    assert [c.pk for c in found] == [campaigns["office_b"].pk]


def test_list_query_count_does_not_grow_with_campaigns(world, client_for, campaigns):
    client = client_for(world.dept_admin)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for year in range(2010, 2020):
        make_campaign(world, school_year=year)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 13
    assert len(many) == len(few)


def test_list_new_button_only_for_managers(world, client_for):
    assert NEW in english(client_for(world.office_officer)).get(LIST).content.decode()
    assert NEW not in english(client_for(world.librarian)).get(LIST).content.decode()


def test_list_htmx_answers_the_results_fragment(world, client_for):
    response = client_for(world.dept_admin).get(LIST, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="results"' in body and "<html" not in body


def test_list_refuses_post_anonymous_and_roles_without_training(world, client, client_for):
    assert client_for(world.dept_admin).post(LIST).status_code == 405
    assert client.get(LIST).status_code == 302
    assert client.get(LIST)["Location"].startswith("/accounts/login/")
    assert client_for(world.reader).get(LIST).status_code == 403
    assert client_for(world.trainer).get(LIST).status_code == 403


# --- Create and edit ----------------------------------------------------------------------------


def test_office_officer_creates_a_draft_of_the_office(world, client_for):
    response = client_for(world.office_officer).post(
        NEW, {**CAMPAIGN_POST, "target": world.school.pk}
    )
    campaign = Campaign.objects.get(subject="Tự bồi dưỡng 2026")
    assert response.status_code == 302 and response["Location"] == url("campaign_detail", campaign)
    assert campaign.issuer == world.office and campaign.target == world.school
    assert campaign.status == CampaignStatus.DRAFT and campaign.roles == ["librarian"]
    assert campaign.target_primary and not campaign.target_lower_secondary
    assert campaign.created_by == world.office_officer and campaign.scale == "marks_10"


def test_create_with_a_target_outside_the_scope_is_refused(world, client_for):
    before = Campaign.objects.count()
    data = {**CAMPAIGN_POST, "target": world.outsider_school.pk}
    response = client_for(world.office_officer).post(NEW, data)
    assert response.status_code == 422
    assert Campaign.objects.count() == before


def test_create_invalid_answers_422_and_saves_nothing(world, client_for):
    before = Campaign.objects.count()
    bad = {
        **CAMPAIGN_POST,
        "target": world.department.pk,
        "office_deadline": "2027-01-01",
    }  # before the school deadline
    response = english(client_for(world.dept_officer)).post(NEW, bad)
    assert response.status_code == 422
    assert "The office deadline cannot be before the school deadline." in response.content.decode()
    assert client_for(world.dept_officer).post(NEW, {"subject": ""}).status_code == 422
    assert Campaign.objects.count() == before


def test_create_refuses_wrong_method_anonymous_and_school_roles(world, client, client_for):
    assert client_for(world.dept_admin).get(NEW).status_code == 200
    assert client_for(world.dept_admin).put(NEW).status_code == 405
    assert client.get(NEW)["Location"].startswith("/accounts/login/")
    assert client_for(world.principal).get(NEW).status_code == 403


def test_issuer_edits_the_draft(world, client_for, campaign):
    client = client_for(world.dept_officer)
    assert client.get(url("campaign_edit", campaign)).status_code == 200
    data = {**CAMPAIGN_POST, "target": world.department.pk, "subject": "Đã sửa"}
    response = client.post(url("campaign_edit", campaign), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.subject == "Đã sửa" and campaign.school_year == 2026


def test_edit_invalid_answers_422_and_changes_nothing(world, client_for, campaign):
    data = {**CAMPAIGN_POST, "target": world.department.pk, "roles": ["reader"]}
    response = client_for(world.dept_officer).post(url("campaign_edit", campaign), data)
    assert response.status_code == 422
    campaign.refresh_from_db()
    assert campaign.school_year == 2025


def test_edit_of_a_campaign_issued_by_another_unit_is_403_or_404(world, client_for, campaign):
    office_a = Campaign.objects.get(issuer=world.office)
    assert client_for(world.office_officer).get(url("campaign_edit", campaign)).status_code == 403
    assert client_for(world.dept_officer).get(url("campaign_edit", office_a)).status_code == 403
    assert client_for(world.office_b_officer).get(url("campaign_edit", office_a)).status_code == 404
    assert client_for(world.principal).get(url("campaign_edit", campaign)).status_code == 403


def test_edit_anonymous_and_wrong_method(world, client, client_for, campaign):
    assert client.get(url("campaign_edit", campaign))["Location"].startswith("/accounts/login/")
    assert client_for(world.dept_admin).delete(url("campaign_edit", campaign)).status_code == 405


def test_a_published_campaign_can_no_longer_be_edited(world, client_for, published):
    data = {**CAMPAIGN_POST, "target": world.department.pk}
    response = client_for(world.dept_admin).post(url("campaign_edit", published), data)
    assert response.status_code == 422
    published.refresh_from_db()
    assert published.school_year == 2025


# --- The page, its parts ------------------------------------------------------------------------


def test_page_shows_the_letter_fields_and_parts(world, client_for, campaign):
    response = english(client_for(world.librarian)).get(url("campaign_detail", campaign))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thư viện xanh" in body and "Nộp bài thu hoạch" in body and "10/04/2026" in body
    assert "NXB Giáo dục Việt Nam" in body
    assert url("campaign_publish", campaign) not in body  # read-only for school staff
    admin_body = english(client_for(world.dept_admin)).get(url("campaign_detail", campaign))
    assert url("campaign_publish", campaign) in admin_body.content.decode()


def test_page_refuses_outsider_anonymous_post_and_readers(world, client, client_for):
    office_a = Campaign.objects.get(issuer=world.office)
    assert client_for(world.outsider).get(url("campaign_detail", office_a)).status_code == 404
    assert client_for(world.thpt_librarian).get(url("campaign_detail", office_a)).status_code == 404
    assert client.get(url("campaign_detail", office_a)).status_code == 302
    assert (
        client_for(world.office_officer).post(url("campaign_detail", office_a)).status_code == 405
    )
    assert client_for(world.reader).get(url("campaign_detail", office_a)).status_code == 403


@pytest.mark.parametrize(
    ("part", "data", "model", "field", "value"),
    [
        ("topic", {"title": "Thư viện số"}, Topic, "title", "Thư viện số"),
        (
            "material",
            {"title": "Sổ tay", "author": "A", "publisher": "NXB", "year": "2020",
             "url": "https://example.org/a"},
            None, "title", "Sổ tay",
        ),
        (
            "milestone",
            {"name": "Tháng 6", "start": "2026-05-01", "end": "2026-05-31", "expected_output": ""},
            Milestone, "name", "Tháng 6",
        ),
    ],
)  # fmt: skip
def test_issuer_adds_and_removes_parts(
    world, client_for, campaign, part, data, model, field, value
):
    client = client_for(world.dept_officer)
    response = client.post(url(f"campaign_add_{part}", campaign), data)
    assert response.status_code == 302
    rows = getattr(campaign, f"{part}s").filter(**{field: value})
    assert rows.count() == 1
    response = client.post(url(f"campaign_remove_{part}", campaign), {"item": rows.get().pk})
    assert response.status_code == 302
    assert not rows.exists()


def test_adding_a_bad_part_answers_422_and_saves_nothing(world, client_for, campaign):
    client = english(client_for(world.dept_officer))
    before = campaign.milestones.count()
    bad = {"name": "Ngược", "start": "2026-05-31", "end": "2026-05-01"}
    response = client.post(url("campaign_add_milestone", campaign), bad)
    assert response.status_code == 422
    assert "A milestone cannot end before it starts." in response.content.decode()
    second_lock = {"name": "Khóa 2", "start": "2026-05-01", "end": "2026-05-31",
                   "locks_topic_choice": "on"}  # fmt: skip
    assert client.post(url("campaign_add_milestone", campaign), second_lock).status_code == 422
    assert client.post(url("campaign_add_topic", campaign), {"title": ""}).status_code == 422
    duplicate = {"title": "Thư viện xanh"}
    assert client.post(url("campaign_add_topic", campaign), duplicate).status_code == 422
    assert campaign.milestones.count() == before and campaign.topics.count() == 5


def test_parts_refuse_other_units_anonymous_get_and_published(world, client, client_for, published):
    add = url("campaign_add_topic", published)
    assert client_for(world.office_officer).post(add, {"title": "X"}).status_code == 403
    office_a = url("campaign_add_topic", Campaign.objects.get(issuer=world.office))
    assert client_for(world.office_b_officer).post(office_a, {"title": "X"}).status_code == 404
    assert client_for(world.librarian).post(add, {"title": "X"}).status_code == 403
    assert client.post(add, {"title": "X"}).status_code == 302
    assert client_for(world.dept_admin).get(add).status_code == 405
    assert client_for(world.dept_admin).post(add, {"title": "X"}).status_code == 422
    topic = published.topics.first()
    remove = url("campaign_remove_topic", published)
    client_for(world.dept_admin).post(remove, {"item": topic.pk})
    assert published.topics.filter(pk=topic.pk).exists()
    assert published.topics.count() == 5


# --- Publish and close --------------------------------------------------------------------------


def test_publish_enrols_and_says_how_many_then_again_changes_nothing(world, client_for, campaign):
    client = english(client_for(world.dept_officer))
    response = client.post(url("campaign_publish", campaign), follow=True)
    campaign.refresh_from_db()
    enrolled = Enrolment.objects.filter(campaign=campaign).count()
    assert campaign.status == CampaignStatus.PUBLISHED and enrolled > 0
    assert f"{enrolled} people were enrolled" in response.content.decode()
    again = client.post(url("campaign_publish", campaign), follow=True)
    assert "already published; nothing changed" in again.content.decode()
    assert Enrolment.objects.filter(campaign=campaign).count() == enrolled


def test_publish_without_a_school_deadline_is_refused(world, client_for):
    campaign = make_campaign(world, school_deadline=None, office_deadline=None)
    response = english(client_for(world.dept_officer)).post(
        url("campaign_publish", campaign), follow=True
    )
    assert "Set the school deadline before publishing." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_close_a_published_campaign(world, client_for, published):
    response = client_for(world.dept_officer).post(url("campaign_close", published))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == CampaignStatus.CLOSED


def test_closing_a_draft_is_refused(world, client_for, campaign):
    client_for(world.dept_officer).post(url("campaign_close", campaign))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


@pytest.mark.parametrize("name", ["campaign_publish", "campaign_close"])
def test_publish_and_close_refuse_strangers(world, client, client_for, campaign, name):
    target = url(name, campaign)
    assert client_for(world.dept_admin).get(target).status_code == 405
    assert client.post(target)["Location"].startswith("/accounts/login/")
    assert client_for(world.office_officer).post(target).status_code == 403
    assert client_for(world.principal).post(target).status_code == 403
    office_a = Campaign.objects.get(issuer=world.office)
    assert client_for(world.office_b_officer).post(url(name, office_a)).status_code == 404
    campaign.refresh_from_db()
    office_a.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert office_a.status == CampaignStatus.PUBLISHED
