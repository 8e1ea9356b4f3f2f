"""GET /api/v1/campaigns/ and /api/v1/events/ (list and detail): scoped like the pages."""

from __future__ import annotations

from rest_framework.test import APIClient

from thuvien.events.testing import extend_world as with_event
from thuvien.training.testing import extend_world as with_campaign


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_campaigns_are_scoped(world, api_client_for):
    campaign = with_campaign(world)

    assert campaign.pk in ids(api_client_for(world.librarian).get("/api/v1/campaigns/"))
    assert campaign.pk not in ids(api_client_for(world.outsider).get("/api/v1/campaigns/"))
    mine = api_client_for(world.librarian).get(f"/api/v1/campaigns/{campaign.pk}/")
    assert mine.status_code == 200 and mine.json()["subject"] == campaign.subject
    foreign = api_client_for(world.outsider).get(f"/api/v1/campaigns/{campaign.pk}/")
    assert foreign.status_code == 404
    assert APIClient().get("/api/v1/campaigns/").status_code == 401


def test_events_are_scoped_with_sessions(world, api_client_for):
    event = with_event(world)

    assert event.pk not in ids(api_client_for(world.outsider).get("/api/v1/events/"))
    assert api_client_for(world.outsider).get(f"/api/v1/events/{event.pk}/").status_code == 404
    assert APIClient().get(f"/api/v1/events/{event.pk}/").status_code == 401


def test_openapi_lists_the_new_operations(db):
    from drf_spectacular.validation import validate_schema

    schema = APIClient().get("/api/v1/openapi.json").json()
    validate_schema(schema)
    paths = schema["paths"]
    assert paths["/api/v1/campaigns/"]["get"]["operationId"] == "campaigns_list"
    assert paths["/api/v1/campaigns/{campaign_id}/"]["get"]["operationId"] == "campaigns_retrieve"
    assert paths["/api/v1/events/"]["get"]["operationId"] == "events_list"
    assert paths["/api/v1/events/{event_id}/"]["get"]["operationId"] == "events_retrieve"
