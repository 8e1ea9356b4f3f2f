"""Top-level URLs: one include per app; the JSON API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from thuvien.core import views as core_views

urlpatterns = [
    path("", include("thuvien.core.urls")),
    path("accounts/", include("thuvien.accounts.urls")),
    path("units/", include("thuvien.organisations.urls")),
    path("training/", include("thuvien.training.urls")),
    path("events/", include("thuvien.events.urls")),
    path("standards/", include("thuvien.standards.urls")),
    path("circulation/", include("thuvien.circulation.urls")),
    path("circulation/import/", include("thuvien.circulation.import_urls")),
    path("opac/", include("thuvien.opac.urls")),
    path("stocktake/", include("thuvien.stocktake.urls")),
    path("catalogue/", include("thuvien.catalogue.urls")),
    path("catalogue/registers/", include("thuvien.catalogue.register_urls")),
    path("catalogue/import/", include("thuvien.catalogue.import_urls")),
    path("", include("thuvien.catalogue.interop.urls")),  # /sru and /oai
    path("notifications/", include("thuvien.notifications.urls")),
    path("api/v1/", include("thuvien.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
