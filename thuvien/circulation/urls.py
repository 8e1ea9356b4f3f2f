"""URLs of the loan desk and the school's readers (mounted at /circulation/)."""

from django.urls import URLPattern, URLResolver

from thuvien.circulation.views import classes, desk, holds, readers, rules

app_name = "circulation"
urlpatterns: list[URLPattern | URLResolver] = [
    *desk.urlpatterns,
    *classes.urlpatterns,
    *holds.urlpatterns,
    *readers.urlpatterns,
    *rules.urlpatterns,
]
