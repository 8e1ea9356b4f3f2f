"""Every answer under /api/ is JSON, errors included, and has the shape the OpenAPI document
declares for that status on that operation (issue 8 §3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from thuvien.core.api_errors import MESSAGES

DOCUMENT = "/api/v1/openapi.json"
ENGLISH = {settings.LANGUAGE_COOKIE_NAME: "en"}


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    return json.loads(APIClient().get(DOCUMENT).content)


def declared(document: dict[str, Any], path: str, status: int) -> dict[str, Any]:
    """The schema the document declares for a JSON answer with this status on GET path."""
    answer = document["paths"][path]["get"]["responses"][str(status)]
    return answer["content"]["application/json"]["schema"]


def error_component(document: dict[str, Any]) -> dict[str, Any]:
    """For answers no operation declares (an unknown address, 405): the document's Error."""
    assert "Error" in document["components"]["schemas"]
    return {"$ref": "#/components/schemas/Error"}


def problems(document: dict[str, Any], schema: dict[str, Any], body: object) -> list[str]:
    rooted = {**schema, "components": document["components"]}  # so that "#/components/…" resolves
    return [error.message for error in Draft202012Validator(rooted).iter_errors(body)]


def json_body(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def anonymous_request(path: str) -> Any:
    request = RequestFactory().get(path)
    request.user = AnonymousUser()  # as AuthenticationMiddleware leaves it
    return request


def test_400_of_a_bad_membership_header(world, api_client_for, document):
    client = api_client_for(world.librarian)
    body = json_body(client.get("/api/v1/me/", HTTP_X_MEMBERSHIP="987654"), 400)
    assert list(body) == ["X-Membership"]
    assert problems(document, declared(document, "/api/v1/me/", 400), body) == []


def test_400_of_a_bad_query_parameter(world, api_client_for, document):
    client = api_client_for(world.dept_admin)
    body = json_body(client.get("/api/v1/units/", {"kind": "nonsense"}), 400)
    assert list(body) == ["kind"] and isinstance(body["kind"], list)
    assert problems(document, declared(document, "/api/v1/units/", 400), body) == []


def test_401_without_a_token(db, document):
    response = APIClient().get("/api/v1/me/")
    body = json_body(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert problems(document, declared(document, "/api/v1/me/", 401), body) == []


def test_403_for_a_role_without_the_action(world, api_client_for, document):
    body = json_body(api_client_for(world.reader).get("/api/v1/units/"), 403)
    assert problems(document, declared(document, "/api/v1/units/", 403), body) == []


def test_404_of_a_unit_outside_the_scope_names_no_model(world, api_client_for, document):
    client = api_client_for(world.librarian)
    client.cookies.load(ENGLISH)
    body = json_body(client.get(f"/api/v1/units/{world.outsider_school.pk}/"), 404)
    with translation.override("en"):  # the client asked for English
        assert body == {"detail": str(MESSAGES[404])}
    assert problems(document, declared(document, "/api/v1/units/{unit_id}/", 404), body) == []


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/units/not-a-number/", "/api/"])
def test_404_of_an_unknown_address_is_json(world, api_client_for, document, path):
    for client in (APIClient(), api_client_for(world.dept_admin)):
        body = json_body(client.get(path), 404)
        assert problems(document, error_component(document), body) == []


def test_405_is_json(world, api_client_for, document):
    body = json_body(api_client_for(world.librarian).post("/api/v1/me/"), 405)
    assert problems(document, error_component(document), body) == []


@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (400, SuspiciousOperation("bad")),
        (403, PermissionDenied()),
        (500, None),
    ],
)
def test_django_s_own_error_answers_are_json_under_api(document, status, exception):
    """The handlers urls.py names (handler400/403/500) answer an API path in JSON, a page in
    HTML: they answer what DRF does not catch (a crash, a request refused before any view)."""
    handler = get_resolver().resolve_error_handler(status)
    arguments = () if exception is None else (exception,)
    api = handler(anonymous_request("/api/v1/me/"), *arguments)
    body = json_body(api, status)
    assert problems(document, error_component(document), body) == []
    page = handler(anonymous_request("/units/"), *arguments)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")


def test_a_request_refused_before_any_view_answers_json(db, document):
    """Django refuses a request whose Host it does not serve before any view: handler400."""
    response = APIClient().get("/api/v1/me/", HTTP_HOST="not-served.example")
    body = json_body(response, 400)
    assert problems(document, error_component(document), body) == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/me/", 400),
        ("/api/v1/me/", 401),
        ("/api/v1/units/", 403),
        ("/api/v1/units/{unit_id}/", 404),
    ],
)
def test_the_declared_error_schemas_are_not_free_form(document, path, status):
    """A schema that accepts anything describes nothing: each declared error schema refuses a
    body of the wrong shape."""
    schema = declared(document, path, status)
    wrong = [{"message": "x"}, {"detail": 1}, [], "x"]
    if status == 400:
        wrong += [{"q": "not a list"}, {}]
    for body in wrong:
        assert problems(document, schema, body), body
