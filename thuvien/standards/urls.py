from thuvien.standards.views import assessments, frameworks, overview

app_name = "standards"
urlpatterns = [*frameworks.urlpatterns, *assessments.urlpatterns, *overview.urlpatterns]
