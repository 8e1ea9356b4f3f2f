from thuvien.standards.views import assessments, frameworks

app_name = "standards"
urlpatterns = [*frameworks.urlpatterns, *assessments.urlpatterns]
