from thuvien.training.views import campaigns, files, office, plans, province, records, school

app_name = "training"
urlpatterns = [
    *campaigns.urlpatterns,
    *records.urlpatterns,
    *plans.urlpatterns,
    *school.urlpatterns,
    *office.urlpatterns,
    *province.urlpatterns,
    *files.urlpatterns,
]
