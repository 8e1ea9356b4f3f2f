from thuvien.events.views import (
    attendance,
    certificates,
    feedback,
    gallery,
    organise,
    reports,
    themes,
)

app_name = "events"
urlpatterns = [
    *organise.urlpatterns,
    *attendance.urlpatterns,
    *certificates.urlpatterns,
    *gallery.urlpatterns,
    *feedback.urlpatterns,
    *reports.urlpatterns,
    *themes.urlpatterns,
]
