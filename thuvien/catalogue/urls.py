"""URLs of the librarian's catalogue screens (mounted at /catalogue/)."""

from django.urls import URLPattern, URLResolver

from thuvien.catalogue.views import copies, records, withdrawals

app_name = "catalogue"
urlpatterns: list[URLPattern | URLResolver] = [
    *records.urlpatterns,
    *copies.urlpatterns,
    *withdrawals.urlpatterns,
]
