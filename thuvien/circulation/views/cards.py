"""Library cards as a PDF: a class's, every active reader's, or one reader's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from thuvien.access import Action, file_response, get_scoped_or_404, requires, scope_for
from thuvien.circulation.cards import cards_pdf
from thuvien.circulation.models import Reader


@requires(Action.LEND)
@require_GET
def cards(request: HttpRequest) -> HttpResponse:
    """?class=6A1: the class's cards; ?kind=teacher: the teachers'; nothing: every active
    reader's, class by class."""
    school = scope_for(request).school
    rows = Reader.objects.visible_to(scope_for(request)).filter(school=school, active=True)
    name = "the-thu-vien"
    if class_name := request.GET.get("class", "").strip():
        rows = rows.filter(class_name=class_name)
        name += f"-lop-{slugify(class_name)}"
    if kind := request.GET.get("kind", "").strip():
        rows = rows.filter(kind=kind)
    readers = list(rows.order_by("class_name", "folded_name", "code")[:2000])
    school_name = school.name if school is not None else ""
    return file_response(cards_pdf(readers, school_name=school_name), f"{name}.pdf")


@requires(Action.LEND)
@require_GET
def reader_card(request: HttpRequest, reader_id: int) -> HttpResponse:
    rows = Reader.objects.select_related("school")
    reader = get_scoped_or_404(rows, scope_for(request), Action.LEND, pk=reader_id)
    pdf = cards_pdf([reader], school_name=reader.school.name)
    return file_response(pdf, f"the-thu-vien-{slugify(reader.code)}.pdf")
