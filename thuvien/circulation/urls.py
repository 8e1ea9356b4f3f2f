"""URLs of the loan desk and the school's readers (mounted at /circulation/)."""

from django.urls import URLPattern, URLResolver

from thuvien.circulation.views import classes, desk, readers, rules

app_name = "circulation"
urlpatterns: list[URLPattern | URLResolver] = [
    *desk.urlpatterns,
    *classes.urlpatterns,
    *readers.urlpatterns,
    *rules.urlpatterns,
]
