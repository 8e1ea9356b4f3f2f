"""The JSON API, version 1: each app's api.py contributes its routes here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="api-openapi"),
    path("", include("thuvien.accounts.api")),
    path("", include("thuvien.organisations.api")),
]
