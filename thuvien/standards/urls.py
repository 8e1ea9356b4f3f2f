from thuvien.standards.views import frameworks

app_name = "standards"
urlpatterns = [*frameworks.urlpatterns]
