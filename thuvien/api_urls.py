"""The JSON API, version 1: each app's api.py contributes its routes here."""

from typing import Any

from django.urls import include, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.request import Request
from rest_framework.response import Response


class OpenAPIDocument(SpectacularJSONAPIView):
    """The OpenAPI 3 document, in English (the language of identifiers and integrators) unless
    `?lang=vi` asks for Vietnamese field titles."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        language = "vi" if request.query_params.get("lang") == "vi" else "en"
        with translation.override(language):
            response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        return response


urlpatterns = [
    path("openapi.json", OpenAPIDocument.as_view(), name="api-openapi"),
    path("", include("thuvien.accounts.api")),
    path("", include("thuvien.organisations.api")),
    path("", include("thuvien.training.api")),
    path("", include("thuvien.training.record_api")),
    path("", include("thuvien.events.api")),
    path("", include("thuvien.standards.api")),
    path("", include("thuvien.circulation.api")),
    path("", include("thuvien.opac.api")),
]
