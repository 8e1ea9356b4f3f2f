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
    for path in (
        "/api/v1/campaigns/{campaign_id}/records/",
        "/api/v1/records/{enrolment_id}/",
        "/api/v1/events/{event_id}/sessions/",
        "/api/v1/events/{event_id}/registrations/",
        "/api/v1/events/{event_id}/attendance/",
    ):
        assert paths[path]["get"]["tags"] in (["training"], ["events"]), path


def as_json_schema(node):
    """OpenAPI 3.0's `nullable: true` said the JSON Schema way (null or the schema)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_the_pillar_s_answers_have_the_declared_shapes(world, api_client_for):
    """Each new endpoint answers the shape the document declares, its errors too."""
    from jsonschema import Draft202012Validator

    document = as_json_schema(APIClient().get("/api/v1/openapi.json").json())
    campaign, event = with_campaign(world), with_event(world)

    def check(path, address, client, status):
        response = client.get(address)
        assert response.status_code == status, (address, response.content)
        declared = document["paths"][path]["get"]["responses"][str(status)]
        schema = {**declared["content"]["application/json"]["schema"], **document}
        errors = list(Draft202012Validator(schema).iter_errors(response.json()))
        assert errors == [], (address, errors)
        return response.json()

    trainer, dept = api_client_for(world.trainer), api_client_for(world.dept_admin)
    records = check(
        "/api/v1/campaigns/{campaign_id}/records/",
        f"/api/v1/campaigns/{campaign.pk}/records/",
        dept,
        200,
    )
    assert records["count"] >= 1
    first = records["results"][0]["id"]
    check("/api/v1/records/{enrolment_id}/", f"/api/v1/records/{first}/", dept, 200)
    check("/api/v1/records/{enrolment_id}/", f"/api/v1/records/{first}/", trainer, 403)
    outsider = api_client_for(world.outsider)
    check("/api/v1/records/{enrolment_id}/", f"/api/v1/records/{first}/", outsider, 404)
    bad_state = f"/api/v1/campaigns/{campaign.pk}/records/?state=x"
    check("/api/v1/campaigns/{campaign_id}/records/", bad_state, dept, 400)
    for part in ("sessions", "registrations", "attendance"):
        path = f"/api/v1/events/{{event_id}}/{part}/"
        body = check(path, f"/api/v1/events/{event.pk}/{part}/", trainer, 200)
        assert body["count"] >= 1, part
        check(path, f"/api/v1/events/{event.pk}/{part}/", outsider, 404)
        check(path, f"/api/v1/events/{event.pk}/{part}/", APIClient(), 401)
