"""The standards' official documents as PDF or DOCX: a school's biên bản tự đánh giá and tờ
trình, a recognition's quyết định (with every school of the same decision), a development plan.
Each row is opened through the policy; the document is built from the data at download time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from thuvien.access import Action, file_response, get_scoped_or_404, requires, scope_for
from thuvien.core.uploads import CONTENT_TYPES
from thuvien.documents import OfficialDocument, official_filename, render_docx, render_pdf
from thuvien.standards import documents
from thuvien.standards.models import Assessment, DevelopmentPlan, Recognition
from thuvien.standards.queries import assessment_in_scope


def _send(document: OfficialDocument, fmt: str) -> HttpResponse:
    content = render_pdf(document) if fmt == "pdf" else render_docx(document)
    return file_response(content, official_filename(document, fmt), content_type=CONTENT_TYPES[fmt])


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return assessment_in_scope(scope_for(request), assessment_id)


def _assessment_document(
    build: Callable[[Assessment], OfficialDocument],
) -> Callable[..., HttpResponse]:
    @requires(Action.VIEW_STANDARDS)
    @require_GET
    def view(request: HttpRequest, assessment_id: int, fmt: str) -> HttpResponse:
        return _send(build(_assessment(request, assessment_id)), fmt)

    return view


bien_ban = _assessment_document(documents.bien_ban)
to_trinh = _assessment_document(documents.to_trinh)


@requires(Action.VIEW_STANDARDS)
@require_GET
def quyet_dinh(request: HttpRequest, recognition_id: int, fmt: str) -> HttpResponse:
    rows = Recognition.objects.select_related(
        "decided_by", "assessment__window__framework_version__framework", "level"
    )
    recognition = get_scoped_or_404(rows, scope_for(request), pk=recognition_id)
    return _send(documents.quyet_dinh(recognition), fmt)


@requires(Action.VIEW_STANDARDS)
@require_GET
def ke_hoach(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    plan = get_scoped_or_404(
        DevelopmentPlan.objects.select_related("school"), scope_for(request), pk=plan_id
    )
    return _send(documents.ke_hoach(plan), fmt)


def _both(route: str, view: Any, name: str) -> list[URLPattern]:
    return [
        path(f"{route}.{fmt}", view, {"fmt": fmt}, name=f"{name}_{fmt}") for fmt in ("pdf", "docx")
    ]


urlpatterns: list[URLPattern] = [
    *_both("assessments/<int:assessment_id>/bien-ban", bien_ban, "bien_ban"),
    *_both("assessments/<int:assessment_id>/to-trinh", to_trinh, "to_trinh"),
    *_both("recognitions/<int:recognition_id>/quyet-dinh", quyet_dinh, "quyet_dinh"),
    *_both("plans/<int:plan_id>/ke-hoach", ke_hoach, "ke_hoach"),
]
