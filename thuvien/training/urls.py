from thuvien.training.views import campaigns, records

app_name = "training"
urlpatterns = [*campaigns.urlpatterns, *records.urlpatterns]
