"""URLs of the librarian's catalogue screens (mounted at /catalogue/)."""

from django.urls import URLPattern, URLResolver

from thuvien.catalogue.views import (
    collections,
    copies,
    copy_list,
    external,
    province,
    records,
    resources,
    withdrawals,
)

app_name = "catalogue"
urlpatterns: list[URLPattern | URLResolver] = [
    *records.urlpatterns,
    *copies.urlpatterns,
    *copy_list.urlpatterns,
    *collections.urlpatterns,
    *withdrawals.urlpatterns,
    *province.urlpatterns,
    *external.urlpatterns,
    *resources.urlpatterns,
]
