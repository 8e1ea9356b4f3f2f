"""The catalogue's imports (MARC, spreadsheet) and its spreadsheet export, for a school library.

Upload → dry-run preview (every rejected record or row with its position and reason) → confirm
(all, or only the valid ones) → the task worker applies it → the status page (a progress bar
while it runs). The confirm and the batch's life are the shared ones (`core.import_screens`,
`core.import_batches`); the school is the unit of the librarian's scope."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.catalogue import import_progress, spreadsheet, tasks
from thuvien.catalogue.import_forms import MappingForm, MarcFileForm
from thuvien.catalogue.models import Copy
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.core import import_screens
from thuvien.core.htmx import render_page_or_partial
from thuvien.core.models import ImportBatch, ImportKind, ImportStatus
from thuvien.core.spreadsheets import SpreadsheetError, SpreadsheetForm, xlsx_response
from thuvien.organisations.models import Unit

T = "catalogue/imports/"
# What the shared confirm needs (kind, task, status page); the MARC dry run is `import_marc`'s
# own, the spreadsheet's `preview_sheet` (both called by the views below).
SCREENS = {
    ImportKind.CATALOGUE_MARC: import_screens.ImportScreens(
        kind=ImportKind.CATALOGUE_MARC, preview=spreadsheet.preview_sheet, errors=tasks.ERRORS,
        task=tasks.apply_marc_batch, form_template=f"{T}marc_form.html",
        preview_template=f"{T}marc_preview.html", status_template=f"{T}status.html",
        status_url="catalogue_imports:marc_status",
    ),
    ImportKind.CATALOGUE_SHEET: import_screens.ImportScreens(
        kind=ImportKind.CATALOGUE_SHEET, preview=spreadsheet.preview_sheet, errors=tasks.ERRORS,
        task=tasks.apply_sheet_batch, form_template=f"{T}sheet_form.html",
        preview_template=f"{T}sheet_preview.html", status_template=f"{T}status.html",
        status_url="catalogue_imports:sheet_status",
    ),
}  # fmt: skip


def _school(request: HttpRequest) -> Unit | None:
    return scope_for(request).school


def _not_school(request: HttpRequest) -> HttpResponse:
    return render(request, f"{T}not_school.html", status=403)


def _batch(request: HttpRequest, kind: str, batch_id: UUID) -> ImportBatch:
    return get_scoped_or_404(ImportBatch.objects.all(), scope_for(request), pk=batch_id, kind=kind)


@requires(Action.CATALOGUE)
@require_GET
def import_index(request: HttpRequest) -> HttpResponse:
    return render(request, f"{T}index.html", {"school": _school(request)})


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def marc_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: a dry run of the file, every rejected record with its position."""
    school = _school(request)
    if school is None:
        return _not_school(request)
    form = MarcFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request, f"{T}marc_form.html", {"form": form}, status=422 if form.errors else 200
        )
    from thuvien.catalogue.marc.importer import import_marc

    upload = form.cleaned_data["file"]
    user: Any = request.user  # @requires admits only a person
    batch = ImportBatch(kind=ImportKind.CATALOGUE_MARC, created_by=user,
                        filename=upload.name[:255], content=upload.read())  # fmt: skip
    try:
        report = import_marc(bytes(batch.content), school=school, by=request.user, dry_run=True)
    except (CatalogueError, ValueError) as error:
        form.add_error("file", str(error))
        return render(request, f"{T}marc_form.html", {"form": form}, status=422)
    summary = tasks.report_summary(report)
    valid = summary["total"] - len(summary["rejected"])
    if valid > 0:
        batch.summary = {"preview": summary}
        batch.save()  # kept for the confirm
    context = {"batch": batch, "report": summary, "valid": valid}
    return render(request, f"{T}marc_preview.html", context, status=200 if valid else 422)


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def sheet_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the file is read and kept, then its columns are mapped."""
    if _school(request) is None:
        return _not_school(request)
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = form.batch(ImportKind.CATALOGUE_SHEET, request.user)
        try:
            sheet = spreadsheet.read_sheet(bytes(batch.content))
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            headers = [header for header in sheet.headers if header]
            mapping = spreadsheet.guess_mapping(headers)
            batch.summary = {"headers": headers, "mapping": mapping}
            batch.save()
            return redirect("catalogue_imports:sheet_columns", batch_id=batch.pk)
    return render(
        request, f"{T}sheet_form.html", {"form": form}, status=422 if form.errors else 200
    )


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def sheet_columns(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    """The mapping of the file's columns (guessed from their headers); POST: the dry run."""
    batch = _batch(request, ImportKind.CATALOGUE_SHEET, batch_id)
    school = _school(request)
    if school is None:
        return _not_school(request)
    if batch.status != ImportStatus.PENDING:
        return redirect("catalogue_imports:sheet_status", batch_id=batch.pk)
    headers, mapping = batch.summary.get("headers", []), batch.summary.get("mapping", {})
    form = MappingForm(headers, mapping, request.POST or None)
    sheet = spreadsheet.read_sheet(bytes(batch.content))
    samples = [[str(values.get(h, "")) for _n, values in sheet.rows[:3]] for h in form.headers]
    columns = list(zip(form.visible_fields(), samples, strict=True))
    if request.method != "POST" or not form.is_valid():
        context = {"form": form, "batch": batch, "columns": columns}
        return render(
            request, f"{T}sheet_columns.html", context, status=422 if form.errors else 200
        )
    batch.summary = {"headers": headers, "mapping": form.mapping}
    ImportBatch.objects.visible_to(scope_for(request)).filter(
        pk=batch.pk, status=ImportStatus.PENDING
    ).update(summary=batch.summary)
    try:
        preview = spreadsheet.preview_sheet(batch, school)
    except (SpreadsheetError, CatalogueError) as error:
        form.add_error(None, str(error))
        context = {"form": form, "batch": batch, "columns": columns}
        return render(request, f"{T}sheet_columns.html", context, status=422)
    valid = len(preview.rows) - len(preview.bad_rows)
    context = {"batch": batch, "preview": preview, "valid": valid}
    return render(request, f"{T}sheet_preview.html", context, status=200 if valid else 422)


@requires(Action.CATALOGUE)
@require_POST
def confirm(request: HttpRequest, kind: str, batch_id: UUID) -> HttpResponse:
    """Queue the batch, all of it or (when chosen) only its valid records."""
    scope = scope_for(request)
    batch = _batch(request, kind, batch_id)
    if _school(request) is None:
        return _not_school(request)
    valid_only = request.POST.get("valid_only") == "1"
    ImportBatch.objects.visible_to(scope).filter(pk=batch.pk, status=ImportStatus.PENDING).update(
        summary={**batch.summary, "valid_only": valid_only}
    )
    assert scope.membership is not None  # @requires admits only a person acting in a role
    return import_screens.confirm(
        request, SCREENS[ImportKind(kind)], batch.pk, membership_id=scope.membership.pk
    )


@requires(Action.CATALOGUE)
@require_GET
def status(request: HttpRequest, kind: str, batch_id: UUID) -> HttpResponse:
    """The batch's state and, while the worker applies it, how far it got; htmx asks again every
    2 s and gets 204 while nothing changed."""
    batch = _batch(request, kind, batch_id)
    progress = import_progress.read(batch.pk) if batch.status == ImportStatus.RUNNING else None
    state = f"{batch.status}:{progress[0] if progress else ''}"
    if getattr(request, "htmx", False) and request.GET.get("since") == state:
        return HttpResponse(status=204)
    context = {"batch": batch, "progress": progress, "state": state, "kind": kind,
               "upload_url": "catalogue_imports:marc_upload" if kind == ImportKind.CATALOGUE_MARC
               else "catalogue_imports:sheet_upload"}  # fmt: skip
    return render_page_or_partial(request, f"{T}status.html", "status", context)


@requires(Action.CATALOGUE)
@require_GET
def sheet_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(spreadsheet.template_bytes(), "mau-nhap-danh-muc-sach.xlsx")


@requires(Action.VIEW_CATALOGUE)
@require_GET
def catalogue_export(request: HttpRequest) -> HttpResponse:
    """The school's catalogue, one row a copy, in the template's columns (it imports back)."""
    school = _school(request)
    if school is None:
        return _not_school(request)
    copies = (
        Copy.objects.visible_to(scope_for(request))
        .filter(school=school)
        .select_related("record", "collection")
        .prefetch_related("record__isbns")
        .order_by("sequence_id", "number")
    )
    content = spreadsheet.export_bytes(copies.iterator(chunk_size=2000))
    return xlsx_response(content, f"danh-muc-sach-{school.code or school.pk}.xlsx")
