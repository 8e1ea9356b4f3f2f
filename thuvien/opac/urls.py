"""URLs of the public catalogue (mounted at /opac/)."""

from django.urls import URLPattern, URLResolver

from thuvien.opac import views

app_name = "opac"
urlpatterns: list[URLPattern | URLResolver] = [*views.urlpatterns]
