"""Import of units: the template, the upload and its dry-run preview, the confirm, the status.

The screens are shared with the staff import (`core.import_screens`); these views decide access."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, requires, scope_for
from thuvien.core import import_screens
from thuvien.core.models import ImportKind
from thuvien.core.spreadsheets import xlsx_response
from thuvien.organisations import importing, tasks
from thuvien.organisations.services import OrganisationError

SCREENS = import_screens.ImportScreens(
    kind=ImportKind.UNITS,
    preview=importing.preview_unit_import,
    errors=(OrganisationError,),
    task=tasks.apply_unit_batch,
    form_template="organisations/import_form.html",
    preview_template="organisations/import_preview.html",
    status_template="organisations/import_status.html",
    status_url="organisations:unit_import_status",
)


@requires(Action.MANAGE_UNITS)
@require_GET
def unit_import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(importing.unit_template(scope_for(request)), "mau-nhap-don-vi.xlsx")


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    return import_screens.upload(request, SCREENS, scope_for(request))


@requires(Action.MANAGE_UNITS)
@require_POST
def unit_import_confirm(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    membership = scope_for(request).membership
    assert membership is not None  # @requires admits only a person acting in a role
    return import_screens.confirm(request, SCREENS, batch_id, membership_id=membership.pk)


@requires(Action.MANAGE_UNITS)
@require_GET
def unit_import_status(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    return import_screens.status(request, SCREENS, batch_id)
