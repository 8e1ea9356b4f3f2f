"""Errors of the JSON API, answered and described in one place.

Every answer under `/api/` is JSON, errors included, in two shapes:

- **400** from a validation: each invalid parameter (or header) name with its messages,
  `{"q": ["…"]}`; a request Django or DRF could not parse at all answers `{"detail": "…"}`.
- **401, 403, 404, 405, 500**: `{"detail": "…"}`.

DRF's errors go through `exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]); errors
raised before or outside DRF (an unknown address under /api/, a crash) through Django's
handler404/handler500/…, which call `json_error` for an API path (`core.views`).
`ERROR_RESPONSES` declares the same shapes in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"

MESSAGES = {
    400: _("The request could not be understood: check its parameters and headers."),
    403: _(
        "Your active membership may not do this. If you hold another membership, choose it "
        "with the X-Membership header."
    ),
    404: _(
        "Not found: check the address. What you asked for does not exist or is outside the "
        "scope of your active membership."
    ),
    500: _(
        "The server met an error. Try again in a moment; if it happens again, tell your "
        "administrator."
    ),
}


class ErrorSerializer(serializers.Serializer[dict[str, object]]):
    """The body of a 401, 403, 404 or 405 answer, and of a 400 that is not about one parameter."""

    detail = serializers.CharField()


class ValidationErrorsSerializer(serializers.Serializer[dict[str, list[str]]]):
    """The body of a 400 from a validation: each invalid parameter's name with its messages.
    Its schema (a mapping, not fixed fields) is given by the extension below."""


class _ValidationErrorsSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    target_class = ValidationErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "Each invalid parameter or header, by name, with its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "minProperties": 1,
        }


BAD_REQUEST = PolymorphicProxySerializer(
    component_name="BadRequest",
    serializers=[ValidationErrorsSerializer, ErrorSerializer],
    resource_type_field_name=None,
)

ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        BAD_REQUEST,
        description="An invalid query parameter or `X-Membership` header: its messages by "
        "name. A request that cannot be parsed at all: one `detail`.",
    ),
    401: OpenApiResponse(ErrorSerializer, description="No valid token or session."),
    403: OpenApiResponse(ErrorSerializer, description="The active membership may not do this."),
    404: OpenApiResponse(
        ErrorSerializer, description="Nothing by this id in the caller's scope, or no such address."
    ),
}


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, detail: object | None = None) -> JsonResponse:
    """`{"detail": "…"}` with the status; the message is the status's own unless given."""
    return JsonResponse(
        {"detail": str(detail if detail is not None else MESSAGES[status])}, status=status
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DRF's answer, in the two shapes above. A 404 from
    Django's Http404 says our message (DRF's repeats Django's, which may name the model)."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's handler500 answers
    if isinstance(exc, Http404):
        response.data = {"detail": str(MESSAGES[404])}
    elif isinstance(exc, ValidationError) and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response
