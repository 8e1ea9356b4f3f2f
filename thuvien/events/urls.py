from thuvien.events.views import (
    agreements,
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
    *agreements.urlpatterns,
    *attendance.urlpatterns,
    *certificates.urlpatterns,
    *gallery.urlpatterns,
    *feedback.urlpatterns,
    *reports.urlpatterns,
    *themes.urlpatterns,
]
