"""URLs of the catalogue (filled in by its views)."""

from django.urls import URLPattern, URLResolver

app_name = "catalogue_imports"
urlpatterns: list[URLPattern | URLResolver] = []
