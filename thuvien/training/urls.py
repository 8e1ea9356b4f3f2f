from thuvien.training.views import campaigns, files, office, province, records, school

app_name = "training"
urlpatterns = [
    *campaigns.urlpatterns,
    *records.urlpatterns,
    *school.urlpatterns,
    *office.urlpatterns,
    *province.urlpatterns,
    *files.urlpatterns,
]
