"""Files of the training records, served only through the scoping module (never from media):
a campaign's material, a study note's attachment, an uploaded report, and the whole record as
one PDF. A librarian reads only their own record's files; the principal and the supervisors
those of every record in their scope (`record_queries.readable_records`)."""

from __future__ import annotations

from typing import cast

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from thuvien.core import uploads
from thuvien.organisations.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.training import record_queries
from thuvien.training.models import Campaign, Enrolment, Material, ReportVersion, StudyNote
from thuvien.training.record_pdf import render_record_pdf

KINDS_BY_EXTENSION = {extension: kind for kind, extension in uploads.EXTENSIONS.items()}


def _content_type(name: str) -> str:
    kind = KINDS_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower())
    return uploads.CONTENT_TYPES[kind] if kind else "application/octet-stream"


def download_file(stored: FieldFile, name: str) -> HttpResponse:
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except OSError as error:  # the row outlived its file
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=_content_type(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    # It streams the file; `requires` (and so every view) is typed for HttpResponse.
    return cast(HttpResponse, response)


def _readable(request: HttpRequest) -> list[int]:
    rows = record_queries.readable_records(request.user, scope_for(request))
    return list(rows.values_list("pk", flat=True))


@requires(Action.VIEW_TRAINING)
@require_GET
def material_file(request: HttpRequest, material_id: int) -> HttpResponse:
    campaigns = Campaign.objects.visible_to(scope_for(request))
    material = get_object_or_404(Material, campaign__in=campaigns, pk=material_id)
    return download_file(material.file, (material.file.name or "").rsplit("/", 1)[-1])


@requires(Action.VIEW_TRAINING)
@require_GET
def note_file(request: HttpRequest, note_id: int) -> HttpResponse:
    rows = StudyNote.objects.filter(enrolment__in=_readable(request))
    note = get_scoped_or_404(rows, scope_for(request), pk=note_id)
    return download_file(note.attachment, note.attachment_name)


@requires(Action.VIEW_TRAINING)
@require_GET
def version_file(request: HttpRequest, version_id: int) -> HttpResponse:
    rows = ReportVersion.objects.filter(enrolment__in=_readable(request))
    version = get_scoped_or_404(rows, scope_for(request), pk=version_id)
    return download_file(version.file, version.file_name)


@requires(Action.VIEW_TRAINING)
@require_GET
def record_pdf(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    rows = record_queries.readable_records(request.user, scope_for(request))
    enrolment: Enrolment = get_scoped_or_404(rows, scope_for(request), pk=enrolment_id)
    pdf = render_record_pdf(record_queries.record_content(enrolment))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"ho-so-tu-boi-duong-{enrolment.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("materials/<int:material_id>/file/", material_file, name="material_file"),
    path("notes/<int:note_id>/attachment/", note_file, name="note_file"),
    path("versions/<int:version_id>/file/", version_file, name="version_file"),
    path("records/<int:enrolment_id>/record.pdf", record_pdf, name="record_pdf"),
]
