"""The campaign list, which is also the archive: what reaches the scope, search without diacritics,
filters by school year, status and issuer, pagination, the columns shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.training.conftest import make_campaign
from thuvien.organisations.models import Role
from thuvien.training import queries, services
from thuvien.training.models import Campaign
from thuvien.training.views.campaigns import PAGE_SIZE

LIST = reverse("training:campaign_list")
NEW = reverse("training:campaign_create")


def english(client: Any) -> Any:
    client.cookies["thuvien_language"] = "en"
    return client


def office_b_campaign(world: Any) -> Campaign:
    return services.create_campaign(
        world.office_b, by=world.office_b_officer, subject="Chiến dịch phòng B", school_year=2025,
        roles=[Role.LIBRARIAN], school_deadline=dt.date(2026, 4, 10),
    )  # fmt: skip


def shown(response: Any) -> list[int]:
    assert response.status_code == 200
    return [campaign.pk for campaign in response.context["page"].object_list]


# --- The list -----------------------------------------------------------------------------------


@pytest.fixture
def campaigns(world: Any) -> dict[str, Campaign]:
    """Three published campaigns (a draft is seen only by its issuer's scope)."""
    department, office_b = make_campaign(world), office_b_campaign(world)
    services.publish_campaign(department, by=world.dept_admin)
    services.publish_campaign(office_b, by=world.office_b_officer)
    return {
        "office_a": Campaign.objects.get(issuer=world.office),
        "department": department,
        "office_b": office_b,
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
    services.create_campaign(
        world.department, by=world.dept_admin, subject="Bản nháp", school_year=2025,
        roles=[Role.LIBRARIAN],
    )  # fmt: skip
    drafts = client.get(LIST, {"status": "draft"}).context["page"].object_list
    assert {c.subject for c in drafts} == {"Năm trước", "Bản nháp"}
    published = client.get(LIST, {"status": "published"}).context["page"].object_list
    assert {c.pk for c in published} == {c.pk for c in campaigns.values()}
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


# --- Search without diacritics, filters ---------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "tu boi duong chuyen mon",
        "TỰ BỒI DƯỠNG chuyên môn",
        "Tu  Boi   Duong  Chuyen MON",
        "giao vien kiem nhiem",
    ],
)
def test_search_ignores_diacritics_case_and_spaces(world, client_for, campaigns, query):
    found = shown(client_for(world.dept_admin).get(LIST, {"q": query}))
    assert found == [campaigns["department"].pk]


def test_search_finds_đ_typed_as_d_and_nothing_for_a_stranger_word(world, client_for, campaigns):
    client = client_for(world.dept_admin)
    assert shown(client.get(LIST, {"q": "phong b"})) == [campaigns["office_b"].pk]
    assert shown(client.get(LIST, {"q": "dao tao giao vien mam non"})) == []


def test_search_by_number_symbol_or_the_reference_as_written(world, client_for, campaigns):
    client = client_for(world.dept_admin)
    department = [campaigns["department"].pk]
    assert shown(client.get(LIST, {"q": "2458"})) == department
    assert shown(client.get(LIST, {"q": "KHTC"})) == department
    assert shown(client.get(LIST, {"q": "2458/SGDĐT-KHTC"})) == department
    assert shown(client.get(LIST, {"q": "2459/SGDĐT-KHTC"})) == []


def test_search_never_reaches_beyond_the_scope(world, client_for, campaigns):
    # Office A's officer does not see office B's campaign, even searching for it by name.
    assert shown(client_for(world.office_officer).get(LIST, {"q": "phong b"})) == []


def test_subject_folded_follows_the_subject_when_it_is_edited(world, client_for, campaigns):
    campaign = make_campaign(world, subject="Kế hoạch thử nghiệm Alpha")
    services.update_campaign(campaign, by=world.dept_admin, subject="Bồi dưỡng thư viện số")
    client = client_for(world.dept_admin)
    assert shown(client.get(LIST, {"q": "thu vien so"})) == [campaign.pk]
    assert shown(client.get(LIST, {"q": "thu nghiem alpha"})) == []


def test_filter_by_issuer_offers_only_issuers_in_sight(world, client_for, campaigns):
    client = client_for(world.dept_admin)
    by_office_b = shown(client.get(LIST, {"issuer": str(world.office_b.pk)}))
    assert by_office_b == [campaigns["office_b"].pk]
    by_department = shown(client.get(LIST, {"issuer": str(world.department.pk)}))
    assert by_department == [campaigns["department"].pk]
    office_choices = client_for(world.office_officer).get(LIST).context["form"].fields["issuer"]
    assert {pk for pk, _name in office_choices.choices if pk} == {
        world.department.pk,
        world.office.pk,
    }


def test_an_issuer_out_of_sight_is_not_a_valid_choice(world, client_for, campaigns):
    # Office B's id from office A's officer: the filter is ignored, nothing of office B shows.
    response = client_for(world.office_officer).get(LIST, {"issuer": str(world.office_b.pk)})
    assert "issuer" in response.context["form"].errors
    assert set(shown(response)) == {campaigns["office_a"].pk, campaigns["department"].pk}


def test_filters_combine_year_status_issuer_and_search(world, client_for, campaigns):
    old = make_campaign(world, school_year=2024, subject="Tự bồi dưỡng năm học 2024–2025")
    services.publish_campaign(old, by=world.dept_admin, on=dt.date(2024, 12, 4))
    services.close_campaign(old, by=world.dept_admin)
    client = client_for(world.dept_admin)
    params = {"q": "tu boi duong", "school_year": "2024", "status": "closed",
              "issuer": str(world.department.pk)}  # fmt: skip
    assert shown(client.get(LIST, params)) == [old.pk]
    assert shown(client.get(LIST, {**params, "status": "published"})) == []


def test_the_archive_is_newest_school_year_first_and_shows_its_columns(
    world, client_for, campaigns
):
    old = make_campaign(world, school_year=2023, subject="Năm học 2023")
    response = english(client_for(world.dept_admin)).get(LIST)
    assert shown(response)[-1] == old.pk
    body = response.content.decode()
    assert "2023–2024" in body and "2458/SGDĐT-KHTC" in body
    assert world.department.name in body and "Draft" in body and "Published" in body


# --- Pagination ---------------------------------------------------------------------------------


@pytest.fixture
def many(world: Any) -> list[Campaign]:
    return [
        services.create_campaign(
            world.department, by=world.dept_admin, subject=f"Chiến dịch số {n}", school_year=2030,
            roles=[Role.LIBRARIAN],
        )
        for n in range(PAGE_SIZE + 1)
    ]  # fmt: skip


def test_the_list_is_paginated_and_pages_keep_the_filters(world, client_for, many):
    client = client_for(world.dept_admin)
    first = client.get(LIST, {"school_year": "2030", "q": "chien dich"})
    assert len(shown(first)) == PAGE_SIZE
    assert first.context["page"].paginator.count == PAGE_SIZE + 1
    assert "school_year=2030&amp;q=chien+dich&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"school_year": "2030", "q": "chien dich", "page": "2"})
    assert len(shown(second)) == 1
    assert set(shown(first)) | set(shown(second)) == {c.pk for c in many}
    # A page past the end shows the last page rather than an error.
    assert shown(client.get(LIST, {"school_year": "2030", "page": "99"})) == shown(second)


def test_filter_choices_come_from_the_scope_only(world, campaigns):
    from thuvien.access import resolve_scope

    scope = resolve_scope(world.outsider, None)
    assert queries.school_years(scope) == [2025]
    assert {pk for pk, _name in queries.issuers(scope)} == {world.department.pk, world.office_b.pk}
