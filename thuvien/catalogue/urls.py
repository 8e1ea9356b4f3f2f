"""URLs of the catalogue (filled in by its views)."""

from django.urls import URLPattern, URLResolver

app_name = "catalogue"
urlpatterns: list[URLPattern | URLResolver] = []
