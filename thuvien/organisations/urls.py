from django.urls import path

from thuvien.organisations import audience_views, import_views, views

app_name = "organisations"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("new/", views.unit_create, name="unit_create"),
    path("<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:unit_id>/move/", views.unit_move, name="unit_move"),
    path("<int:unit_id>/merge/", views.unit_merge, name="unit_merge"),
    path("<int:unit_id>/stats/", views.unit_stats, name="unit_stats"),
    path("<int:unit_id>/history/", views.unit_history, name="unit_history"),
    path("<int:unit_id>/signers/", views.unit_signers, name="unit_signers"),
    path("<int:unit_id>/signers/remove/", views.unit_signer_remove, name="unit_signer_remove"),
    path("<int:unit_id>/members/add/", views.membership_add, name="membership_add"),
    path("members/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("staff/", views.staff_list, name="staff_list"),
    path("audience/", audience_views.audience_search, name="audience_search"),
    path("import/", import_views.unit_import, name="unit_import"),
    path("import/template.xlsx", import_views.unit_import_template, name="unit_import_template"),
    path(
        "import/<uuid:batch_id>/confirm/",
        import_views.unit_import_confirm,
        name="unit_import_confirm",
    ),
    path("import/<uuid:batch_id>/", import_views.unit_import_status, name="unit_import_status"),
]
