"""The import of a school's readers from a spreadsheet, under /circulation/import/."""

from django.urls import path

from thuvien.circulation import import_views as views

app_name = "circulation_import"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:batch_id>/columns/", views.columns, name="columns"),
    path("<uuid:batch_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:batch_id>/", views.status, name="status"),
    path("template.xlsx", views.template, name="template"),
]
