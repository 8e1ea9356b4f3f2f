from thuvien.standards.views import assessments, documents, frameworks, overview, plans

app_name = "standards"
urlpatterns = [
    *frameworks.urlpatterns,
    *assessments.urlpatterns,
    *overview.urlpatterns,
    *plans.urlpatterns,
    *documents.urlpatterns,
]
