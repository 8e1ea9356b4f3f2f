"""Import of units: the template, the upload and its dry-run preview, the confirm, the status."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.core.htmx import render_page_or_partial
from thuvien.core.import_batches import BatchError, queue_batch
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.core.spreadsheets import SpreadsheetError, SpreadsheetForm, xlsx_response
from thuvien.organisations import importing, tasks
from thuvien.organisations.access import Action, requires, scope_for
from thuvien.organisations.services import OrganisationError


@requires(Action.MANAGE_UNITS)
@require_GET
def unit_import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(importing.unit_template(scope_for(request)), "mau-nhap-don-vi.xlsx")


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    form = SpreadsheetForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        batch = form.batch(ImportKind.UNITS, request.user)
        try:
            preview = importing.preview_unit_import(batch, scope_for(request))
        except (SpreadsheetError, OrganisationError) as error:
            form.add_error("file", str(error))
        else:
            if preview.is_valid:
                batch.save()  # kept for the confirm; a file with errors is not worth keeping
            context = {"preview": preview, "batch": batch}
            status = 200 if preview.is_valid else 422
            return render(request, "organisations/import_preview.html", context, status=status)
    if form is None:
        return render(request, "organisations/import_form.html", {"form": SpreadsheetForm()})
    return render(request, "organisations/import_form.html", {"form": form}, status=422)


def _get_batch_for_user(request: HttpRequest, batch_id: UUID) -> ImportBatch:
    batches = ImportBatch.objects.owned_by(request.user)
    return get_object_or_404(batches, pk=batch_id, kind=ImportKind.UNITS)


@requires(Action.MANAGE_UNITS)
@require_POST
def unit_import_confirm(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    batch = _get_batch_for_user(request, batch_id)
    membership = scope_for(request).membership
    assert membership is not None  # @requires admits only a person acting in a role
    try:
        queue_batch(batch, membership_id=membership.pk, task=tasks.apply_unit_batch)
    except BatchError as error:
        messages.warning(request, str(error))
    return redirect("organisations:unit_import_status", batch_id=batch.pk)


@requires(Action.MANAGE_UNITS)
@require_GET
def unit_import_status(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    """The batch's state; while it runs, htmx asks again every 2 s for the `status` partial."""
    batch = _get_batch_for_user(request, batch_id)
    if getattr(request, "htmx", False) and request.GET.get("since") == batch.status:
        return HttpResponse(status=204)  # unchanged: nothing to swap, nor to read out again
    return render_page_or_partial(
        request, "organisations/import_status.html", "status", {"batch": batch}
    )
