"""The import of a school's readers: upload → the columns mapped (guessed from the headers) →
dry-run preview (every bad row with its number and reason; new or updated readers) → confirm (all,
or only the valid rows) → the task worker applies it → the status page. The confirm, the status
and the batch's life are the shared ones (`core.import_screens`, `core.import_batches`); the school
is the desk's (`Scope.school`)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.circulation import importing, tasks
from thuvien.circulation.services.errors import CirculationError
from thuvien.core import import_screens
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus
from thuvien.core.spreadsheets import SpreadsheetError, SpreadsheetForm, xlsx_response

T = "circulation/imports/"
SCREENS = import_screens.ImportScreens(
    kind=ImportKind.READERS, preview=importing.preview_readers, errors=tasks.ERRORS,
    task=tasks.apply_reader_batch, form_template=f"{T}upload.html",
    preview_template=f"{T}preview.html", status_template=f"{T}status.html",
    status_url="circulation_import:status",
)  # fmt: skip


def _batch(request: HttpRequest, batch_id: UUID) -> ImportBatch:
    batches = ImportBatch.objects.all()
    return get_scoped_or_404(batches, scope_for(request), pk=batch_id, kind=ImportKind.READERS)


def _not_school(request: HttpRequest) -> HttpResponse:
    return render(request, f"{T}not_school.html", status=403)


@requires(Action.LEND)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the file is read and kept, then its columns are mapped."""
    if scope_for(request).school is None:
        return _not_school(request)
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = form.batch(ImportKind.READERS, request.user)
        try:
            sheet = importing.read_sheet(bytes(batch.content))
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            headers = [header for header in sheet.headers if header]
            batch.summary = {"headers": headers, "mapping": importing.guess_mapping(headers)}
            batch.save()
            return redirect("circulation_import:columns", batch_id=batch.pk)
    return render(request, f"{T}upload.html", {"form": form}, status=422 if form.errors else 200)


def _columns_page(
    request: HttpRequest, form: importing.MappingForm, batch: ImportBatch
) -> HttpResponse:
    sheet = importing.read_sheet(bytes(batch.content))
    samples = [[str(values.get(h, "")) for _n, values in sheet.rows[:3]] for h in form.headers]
    context = {"form": form, "batch": batch, "columns": list(zip(form, samples, strict=True))}
    return render(request, f"{T}columns.html", context, status=422 if form.errors else 200)


@requires(Action.LEND)
@require_http_methods(["GET", "POST"])
def columns(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    """The mapping of the file's columns (guessed from their headers); POST: the dry run."""
    batch = _batch(request, batch_id)
    school = scope_for(request).school
    if school is None:
        return _not_school(request)
    if batch.status != ImportStatus.PENDING:
        return redirect("circulation_import:status", batch_id=batch.pk)
    headers, mapping = batch.summary.get("headers", []), batch.summary.get("mapping", {})
    form = importing.MappingForm(headers, mapping, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _columns_page(request, form, batch)
    batch.summary = {"headers": headers, "mapping": form.mapping}
    ImportBatch.objects.visible_to(scope_for(request)).filter(
        pk=batch.pk, status=ImportStatus.PENDING
    ).update(summary=batch.summary)
    try:
        preview = importing.preview_readers(batch, school)
    except (SpreadsheetError, CirculationError) as error:
        form.add_error(None, str(error))
        return _columns_page(request, form, batch)
    valid = len(preview.rows) - len(preview.bad_rows)
    context = {"batch": batch, "preview": preview, "valid": valid}
    return render(request, f"{T}preview.html", context, status=200 if valid else 422)


@requires(Action.LEND)
@require_POST
def confirm(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    """Queue the batch, all of it or (when chosen) only its valid rows."""
    scope = scope_for(request)
    batch = _batch(request, batch_id)
    if scope_for(request).school is None:
        return _not_school(request)
    valid_only = request.POST.get("valid_only") == "1"
    ImportBatch.objects.visible_to(scope).filter(pk=batch.pk, status=ImportStatus.PENDING).update(
        summary={**batch.summary, "valid_only": valid_only}
    )
    assert scope.membership is not None  # @requires admits only a person acting in a role
    return import_screens.confirm(request, SCREENS, batch.pk, membership_id=scope.membership.pk)


@requires(Action.LEND)
@require_GET
def status(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    """The batch's state; htmx asks again every 2 s while it runs (204 while unchanged)."""
    return import_screens.status(request, SCREENS, batch_id)


@requires(Action.LEND)
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(importing.template_bytes(), "mau-nhap-ban-doc.xlsx")
