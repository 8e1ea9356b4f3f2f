"""GET /api/v1/campaigns/{campaign_id}/progress/: a campaign's progress at a unit in scope."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from tests.training.conftest import D, at, make_campaign
from thuvien.access import resolve_scope
from thuvien.training import api, dashboard, services
from thuvien.training.models import Enrolment, UnitReport, UnitReportStatus
from thuvien.training.serializers import ProgressSerializer


def url(campaign, unit=None):
    base = f"/api/v1/campaigns/{campaign.pk}/progress/"
    return base if unit is None else f"{base}?unit={unit.pk}"


def not_submitted_url(campaign, unit=None):
    base = f"/api/v1/campaigns/{campaign.pk}/progress/not-submitted/"
    return base if unit is None else f"{base}?unit={unit.pk}"


@pytest.fixture
def campaign(world):
    with translation.override("en"):
        campaign = make_campaign(world)
        services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
        librarian = Enrolment.objects.get(campaign=campaign, user=world.librarian)
        services.choose_topic(librarian, campaign.topics.first(), on=D(2026, 1, 1))
        services.submit_report(librarian, on=at(2026, 4, 1))
        services.evaluate(librarian, by=world.principal, grade="fair")
        late = Enrolment.objects.get(campaign=campaign, user=world.teacher_librarian)
        services.choose_topic(late, campaign.topics.first(), on=D(2026, 1, 1))
        services.submit_report(late, on=at(2026, 4, 12))
    return campaign


def test_department_rows_as_json(world, campaign, api_client_for):
    response = api_client_for(world.dept_officer).get(url(campaign))
    assert response.status_code == 200
    data = response.json()
    assert data["unit"] == {
        "id": world.department.pk,
        "name": world.department.name,
        "kind": "department",
    }
    rows = {row["name"]: row for row in data["rows"]}
    assert [row["kind"] for row in data["rows"]] == ["office", "office", "school"]
    office = rows[world.office.name]["figures"]
    assert {k: office[k] for k in ("expected", "submitted", "on_time", "late", "missing")} == {
        "expected": 2,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 0,
    }
    assert (office["evaluated"], office["passed"]) == (1, 1)
    assert {g["code"]: g["count"] for g in office["grades"]}["fair"] == 1
    assert office["topics"][0] == {
        "topic_id": campaign.topics.first().pk,
        "title": campaign.topics.first().title,
        "count": 2,
    }
    thpt = rows[world.thpt.name]
    assert (thpt["figures"]["expected"], thpt["figures"]["missing"]) == (1, 1)
    assert thpt["submission"]["status"] == "not_sent"
    assert data["totals"]["expected"] == 4
    assert (data["count"], data["next"], data["previous"]) == (3, None, None)
    assert data["not_submitted_count"] == 5
    listed = api_client_for(world.dept_officer).get(not_submitted_url(campaign)).json()
    pending = {(p["kind"], p["id"]) for p in listed["results"]}
    assert ("school", world.thpt.pk) in pending and ("office", world.office.pk) in pending
    assert listed["count"] == len(pending) == 5


def test_drill_down_to_a_school_lists_people(world, campaign, api_client_for):
    response = api_client_for(world.office_officer).get(url(campaign, world.school))
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert {row["name"] for row in rows} == {
        world.librarian.display_name,
        world.teacher_librarian.display_name,
    }
    assert {row["kind"] for row in rows} == {"person"}
    late = next(r for r in rows if r["name"] == world.teacher_librarian.display_name)
    assert (late["report_status"], late["figures"]["late"], late["deadline"]) == (
        "submitted",
        1,
        "2026-04-10",
    )


def test_a_unit_out_of_scope_answers_404(world, campaign, api_client_for):
    client = api_client_for(world.office_officer)
    for unit in (world.office_b, world.outsider_school, world.department, world.thpt):
        assert client.get(url(campaign, unit)).status_code == 404, unit
        assert client.get(not_submitted_url(campaign, unit)).status_code == 404, unit


def test_the_rows_come_in_pages_with_the_totals_of_all(world, campaign, api_client_for):
    client = api_client_for(world.dept_admin)
    every = [row["id"] for row in client.get(url(campaign)).json()["rows"]]
    first = client.get(f"{url(campaign)}?page_size=2").json()
    assert [row["id"] for row in first["rows"]] == every[:2]
    assert (first["count"], first["previous"]) == (3, None)
    assert first["next"].endswith(f"/api/v1/campaigns/{campaign.pk}/progress/?page=2&page_size=2")
    assert first["totals"]["expected"] == 4  # the totals are of every row, not of the page
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["rows"]] == every[2:]
    assert second["next"] is None and second["previous"] is not None
    assert client.get(f"{url(campaign)}?page=9").status_code == 404
    assert client.get(f"{url(campaign)}?page_size=501").status_code == 400


def test_the_not_submitted_list_at_an_office(world, campaign, api_client_for):
    response = api_client_for(world.office_officer).get(not_submitted_url(campaign))
    assert response.status_code == 200
    data = response.json()
    kinds = [(p["kind"], p["id"]) for p in data["results"]]
    assert kinds == [("office", world.office.pk), ("school", world.school.pk)]
    assert api_client_for(world.librarian).get(not_submitted_url(campaign)).status_code == 403


def test_the_progress_costs_the_same_queries_on_every_page(world, campaign, api_client_for):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for(world.dept_admin)

    def queries(address):  # a request that computes the figures: nothing kept (`kept`)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured.captured_queries)

    first = queries(f"{url(campaign)}?page_size=1")
    assert queries(f"{url(campaign)}?page_size=1&page=3") == first
    assert queries(url(campaign, world.office)) == first


def test_a_campaign_out_of_scope_answers_404(world, api_client_for):
    office_b_campaign = make_campaign(world, issuer=world.office_b, roles=["librarian"])
    services.publish_campaign(office_b_campaign, by=world.office_b_officer, on=D(2025, 12, 4))
    response = api_client_for(world.office_officer).get(url(office_b_campaign))
    assert response.status_code == 404


def test_library_staff_get_403_and_anonymous_401(world, campaign, api_client_for, client):
    assert api_client_for(world.librarian).get(url(campaign)).status_code == 403
    assert client.get(url(campaign)).status_code == 401


def test_a_bad_unit_parameter_is_400(world, campaign, api_client_for):
    response = api_client_for(world.dept_admin).get(f"{url(campaign)}?unit=abc")
    assert response.status_code == 400
    assert "unit" in response.json()


def test_the_endpoint_is_in_the_openapi_document(db, client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operation = schema["paths"]["/api/v1/campaigns/{campaign_id}/progress/"]["get"]
    assert operation["operationId"] == "campaigns_progress_retrieve"
    assert {p["name"] for p in operation["parameters"]} >= {"campaign_id", "unit", "X-Membership"}
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404"}
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size"}
    progress = schema["components"]["schemas"]["Progress"]["properties"]
    assert {"campaign", "unit", "totals", "rows", "not_submitted_count"} <= set(progress)
    assert {"count", "next", "previous"} <= set(progress)
    listed = schema["paths"]["/api/v1/campaigns/{campaign_id}/progress/not-submitted/"]["get"]
    assert listed["operationId"] == "campaigns_progress_not_submitted_list"
    assert {p["name"] for p in listed["parameters"]} == {
        "campaign_id",
        "unit",
        "page",
        "X-Membership",
    }
    page = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page == "#/components/schemas/PaginatedPendingList"
    figures = schema["components"]["schemas"]["Figures"]["properties"]
    assert {"expected", "submitted", "on_time", "late", "missing", "grades", "topics"} <= set(
        figures
    )


def test_the_response_has_the_documented_shape(world, campaign, api_client_for):
    """The view answers plain data for speed; it must be what ProgressSerializer describes."""
    UnitReport.objects.create(
        campaign=campaign,
        unit=world.office_b,
        status=UnitReportStatus.SUBMITTED,
        submitted_at=at(2026, 4, 21, 23),  # 21/04, after the office deadline (20/04)
        submitted_to=world.department,
    )
    answered = api_client_for(world.dept_admin).get(url(campaign)).json()
    office_b = next(row for row in answered["rows"] if row["id"] == world.office_b.pk)
    assert office_b["submission"]["late"] is True
    assert office_b["submission"]["submitted_at"].startswith("2026-04-21T23:00:00+07")
    scope = resolve_scope(world.dept_admin, None)
    with translation.override("vi"):
        data = api.progress_data(dashboard.progress_in_scope(scope, campaign.pk, None))
        shaped = json.loads(JSONRenderer().render(ProgressSerializer(data).data))
    assert shaped == answered
    assert set(answered["rows"][0]) == set(ProgressSerializer().fields["rows"].child.fields)
