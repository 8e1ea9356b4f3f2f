"""Files of the training records, served only through the policy (never from media): a
campaign's material, a study note's attachment, an uploaded report, and the whole record as one
PDF. Each goes out through `thuvien.access.scoped_file` or `file_response`. A librarian reads only
their own record's files; the principal and the supervisors those of every record in their scope
(the READ_RECORDS rule of `Enrolment`, `StudyNote` and `ReportVersion`): anyone else gets 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from thuvien.access import (
    Action,
    file_response,
    get_scoped_or_404,
    requires,
    scope_for,
    scoped_file,
)
from thuvien.training import record_queries
from thuvien.training.models import Material, ReportVersion, StudyNote
from thuvien.training.record_pdf import render_record_pdf


def _base_name(material: Material) -> str:
    return (material.file.name or "").rsplit("/", 1)[-1]


@requires(Action.VIEW_TRAINING)
@require_GET
def material_file(request: HttpRequest, material_id: int) -> HttpResponse:
    rows = Material.objects.all()
    return scoped_file(request, rows, lambda m: (m.file, _base_name(m)), pk=material_id)


@requires(Action.VIEW_TRAINING)
@require_GET
def note_file(request: HttpRequest, note_id: int) -> HttpResponse:
    rows = StudyNote.objects.allowed_to(scope_for(request), Action.READ_RECORDS)
    return scoped_file(request, rows, lambda n: (n.attachment, n.attachment_name), pk=note_id)


@requires(Action.VIEW_TRAINING)
@require_GET
def version_file(request: HttpRequest, version_id: int) -> HttpResponse:
    rows = ReportVersion.objects.allowed_to(scope_for(request), Action.READ_RECORDS)
    return scoped_file(request, rows, lambda v: (v.file, v.file_name), pk=version_id)


@requires(Action.VIEW_TRAINING)
@require_GET
def record_pdf(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    scope = scope_for(request)
    enrolment = get_scoped_or_404(record_queries.readable_records(scope), scope, pk=enrolment_id)
    pdf = render_record_pdf(record_queries.record_content(enrolment))
    return file_response(pdf, f"ho-so-tu-boi-duong-{enrolment.pk}.pdf")


urlpatterns: list[URLPattern] = [
    path("materials/<int:material_id>/file/", material_file, name="material_file"),
    path("notes/<int:note_id>/attachment/", note_file, name="note_file"),
    path("versions/<int:version_id>/file/", version_file, name="version_file"),
    path("records/<int:enrolment_id>/record.pdf", record_pdf, name="record_pdf"),
]
