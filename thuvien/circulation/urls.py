"""URLs of the loan desk and the school's readers (mounted at /circulation/)."""

from django.urls import URLPattern, URLResolver

from thuvien.circulation.views import (
    activities,
    classes,
    desk,
    holds,
    readers,
    rules,
    statistics,
)

app_name = "circulation"
urlpatterns: list[URLPattern | URLResolver] = [
    *desk.urlpatterns,
    *classes.urlpatterns,
    *holds.urlpatterns,
    *readers.urlpatterns,
    *rules.urlpatterns,
    *activities.urlpatterns,
    *statistics.urlpatterns,
]
