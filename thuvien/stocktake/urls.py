"""URLs of the stocktake (mounted at /stocktake/)."""

from django.urls import URLPattern, URLResolver

from thuvien.stocktake.views import pages

app_name = "stocktake"
urlpatterns: list[URLPattern | URLResolver] = [*pages.urlpatterns]
