"""SRU and OAI-PMH URLs, at the site root: /sru and /oai."""

from django.urls import URLPattern, URLResolver, path

from thuvien.catalogue.interop import views

app_name = "interop"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sru", views.sru_endpoint, name="sru"),
    path("oai", views.oai_endpoint, name="oai"),
]
