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
