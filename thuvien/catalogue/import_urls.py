"""The catalogue's imports and its spreadsheet export, under /catalogue/import/."""

from django.urls import path

from thuvien.catalogue import import_views as views
from thuvien.core.models import ImportKind

app_name = "catalogue_imports"
MARC = {"kind": ImportKind.CATALOGUE_MARC}
SHEET = {"kind": ImportKind.CATALOGUE_SHEET}
urlpatterns = [
    path("", views.import_index, name="index"),
    path("marc/", views.marc_upload, name="marc_upload"),
    path("marc/<uuid:batch_id>/confirm/", views.confirm, MARC, name="marc_confirm"),
    path("marc/<uuid:batch_id>/", views.status, MARC, name="marc_status"),
    path("sheet/", views.sheet_upload, name="sheet_upload"),
    path("sheet/<uuid:batch_id>/columns/", views.sheet_columns, name="sheet_columns"),
    path("sheet/<uuid:batch_id>/confirm/", views.confirm, SHEET, name="sheet_confirm"),
    path("sheet/<uuid:batch_id>/", views.status, SHEET, name="sheet_status"),
    path("template.xlsx", views.sheet_template, name="template"),
    path("export.xlsx", views.catalogue_export, name="export"),
]
