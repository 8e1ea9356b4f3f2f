"""The screens every spreadsheet import shares: upload and preview, confirm, status.

Domain-free: an app describes its import with an `ImportScreens` and keeps its own thin views,
which check access (`@requires`) and resolve the scope, then call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_tasks.base import Task

from thuvien.access import get_scoped_or_404, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.core.import_batches import BatchError, queue_batch
from thuvien.core.models import ImportBatch
from thuvien.core.spreadsheets import Preview, SpreadsheetError, SpreadsheetForm


@dataclass(frozen=True)
class ImportScreens:
    kind: str
    preview: Callable[[ImportBatch, Any], Preview]  # (batch, scope) → the dry-run preview
    errors: tuple[type[Exception], ...]  # the domain's error types, shown on the form
    task: Task[[str, str], Any]  # applies a confirmed batch in the worker
    form_template: str
    preview_template: str
    status_template: str
    status_url: str  # URL name of the status page, with the kwarg batch_id


def upload(request: HttpRequest, screens: ImportScreens, scope: Any) -> HttpResponse:
    """GET: the upload form. POST: read and check the file, show the preview (422 with errors);
    only a clean file is kept, for the confirm."""
    if request.method != "POST":
        return render(request, screens.form_template, {"form": SpreadsheetForm()})
    form = SpreadsheetForm(request.POST, request.FILES)
    if form.is_valid():
        batch = form.batch(screens.kind, request.user)
        caught: tuple[type[Exception], ...] = (SpreadsheetError, *screens.errors)
        try:
            preview = screens.preview(batch, scope)
        except caught as error:
            form.add_error("file", str(error))
        else:
            if preview.is_valid:
                batch.save()  # kept for the confirm; a file with errors is not worth keeping
            context = {"preview": preview, "batch": batch}
            status = 200 if preview.is_valid else 422
            return render(request, screens.preview_template, context, status=status)
    return render(request, screens.form_template, {"form": form}, status=422)


def _batch_of(request: HttpRequest, screens: ImportScreens, batch_id: UUID) -> ImportBatch:
    batches = ImportBatch.objects.all()
    return get_scoped_or_404(batches, scope_for(request), pk=batch_id, kind=screens.kind)


def confirm(
    request: HttpRequest, screens: ImportScreens, batch_id: UUID, *, membership_id: int
) -> HttpResponse:
    """Queue the batch for the worker, remembering the role the importer acts in now."""
    batch = _batch_of(request, screens, batch_id)
    try:
        queue_batch(batch, membership_id=membership_id, task=screens.task)
    except BatchError as error:
        messages.warning(request, str(error))
    return redirect(screens.status_url, batch_id=batch.pk)


def status(request: HttpRequest, screens: ImportScreens, batch_id: UUID) -> HttpResponse:
    """The batch's state; while it runs, htmx asks again every 2 s for the `status` partial."""
    batch = _batch_of(request, screens, batch_id)
    if getattr(request, "htmx", False) and request.GET.get("since") == batch.status:
        return HttpResponse(status=204)  # unchanged: nothing to swap, nor to read out again
    return render_page_or_partial(request, screens.status_template, "status", {"batch": batch})
