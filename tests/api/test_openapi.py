"""GET /api/v1/openapi.json: the OpenAPI 3 document describing the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

URL = "/api/v1/openapi.json"


@pytest.fixture
def schema(db):
    response = APIClient().get(URL)
    assert response.status_code == 200
    assert (
        response["Content-Type"].startswith("application/") and "json" in response["Content-Type"]
    )
    return json.loads(response.content)


def test_openapi_url_is_named():
    assert reverse("api-openapi") == URL


def test_openapi_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_openapi_lists_the_endpoints_with_stable_operation_ids(schema):
    operations = {
        path: {method: op["operationId"] for method, op in item.items()}
        for path, item in schema["paths"].items()
    }
    assert operations["/api/v1/me/"] == {"get": "me_retrieve"}
    assert operations["/api/v1/units/"] == {"get": "units_list"}
    assert operations["/api/v1/units/{unit_id}/"] == {"get": "units_retrieve"}
    pillar = {
        "/api/v1/campaigns/{campaign_id}/records/": "campaigns_records_list",
        "/api/v1/records/{enrolment_id}/": "records_retrieve",
        "/api/v1/events/{event_id}/sessions/": "events_sessions_list",
        "/api/v1/events/{event_id}/registrations/": "events_registrations_list",
        "/api/v1/events/{event_id}/attendance/": "events_attendance_list",
    }
    for path, operation_id in pillar.items():
        assert operations[path] == {"get": operation_id}


def test_openapi_describes_the_records_and_event_people(schema):
    paths, components = schema["paths"], schema["components"]["schemas"]
    records = paths["/api/v1/campaigns/{campaign_id}/records/"]["get"]
    query = {p["name"] for p in records["parameters"] if p["in"] == "query"}
    assert query == {"school", "state", "page"}
    for path in (
        "/api/v1/campaigns/{campaign_id}/records/",
        "/api/v1/records/{enrolment_id}/",
        "/api/v1/events/{event_id}/sessions/",
        "/api/v1/events/{event_id}/registrations/",
        "/api/v1/events/{event_id}/attendance/",
    ):
        assert set(paths[path]["get"]["responses"]) == {"200", "400", "401", "403", "404"}, path
    page = records["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page == "#/components/schemas/PaginatedRecordList"
    record = components["Record"]["properties"]
    assert {"person", "school", "state", "topics", "milestones", "late", "grade"} <= set(record)
    assert {"plan", "notes_count", "report"} <= set(components["RecordDetail"]["properties"])
    assert "venue" not in components["EventSession"]["properties"]
    assert "certificate_code" in components["Registration"]["properties"]
    # Each state's codes are a named enum of their own (no "CodeEnum" guessed by the generator).
    assert components["RecordStateCodeEnum"]["enum"] == [
        "not_started", "draft", "submitted", "returned", "evaluated"
    ]  # fmt: skip
    assert "RegistrationStatusCodeEnum" in components and "CheckInMethodCodeEnum" in components


def test_openapi_declares_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    token = next(s for s in schemes.values() if s.get("name") == "Authorization")
    assert token["type"] == "apiKey"
    assert token["in"] == "header"
    for item in schema["paths"].values():
        for operation in item.values():
            assert {"tokenAuth": []} in operation["security"]


def test_openapi_documents_the_membership_header_on_every_operation(schema):
    for item in schema["paths"].values():
        for operation in item.values():
            headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
            assert headers == ["X-Membership"]


def test_openapi_describes_responses(schema):
    units = schema["paths"]["/api/v1/units/"]["get"]
    unit = schema["paths"]["/api/v1/units/{unit_id}/"]["get"]
    query = {p["name"] for p in units["parameters"] if p["in"] == "query"}

    assert query == {"q", "kind", "tier", "show_inactive", "page"}
    assert set(units["responses"]) == {"200", "400", "401", "403", "404"}  # 404: no such page
    assert set(unit["responses"]) == {"200", "400", "401", "403", "404"}
    page = units["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page == "#/components/schemas/PaginatedUnitList"
    listed = schema["components"]["schemas"]["Unit"]["properties"]
    assert {"id", "name", "kind", "code", "parent", "tiers", "students", "teachers"} <= set(listed)
    detail = schema["components"]["schemas"]["UnitDetail"]["properties"]
    assert {"parent_links", "year_stats"} <= set(detail)
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert set(me) == {"user", "memberships", "active_membership_id"}


def test_openapi_document_is_english_by_default_and_vietnamese_on_request(db, client):
    english = client.get("/api/v1/openapi.json").text
    assert "Tên đăng nhập" not in english
    vietnamese = client.get("/api/v1/openapi.json?lang=vi").text
    assert "Tên đăng nhập" in vietnamese
