"""The school's copies: filtered by collection, status and a text (the title without
diacritics, through the staff search; or a registration number or barcode), in pages, in the
order of the registration numbers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from thuvien.access import Action, requires, scope_for
from thuvien.catalogue.forms import CopyFilterForm
from thuvien.catalogue.models import Collection, Copy
from thuvien.catalogue.services import records
from thuvien.core.htmx import render_page_or_partial

PER_PAGE = 50
MATCHED_RECORDS = 1000  # records a text may match (the staff search's limit)


@requires(Action.VIEW_CATALOGUE)
@require_GET
def copy_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    collections = Collection.objects.visible_to(scope).order_by("code")
    form = CopyFilterForm(request.GET or None, collections=collections)
    rows = Copy.objects.visible_to(scope)
    if form.is_valid():
        data = form.cleaned_data
        if data["collection"] is not None:
            rows = rows.filter(collection=data["collection"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if text := data["q"].strip():
            found = [record.pk for record in records.search(text, limit=MATCHED_RECORDS)]
            rows = rows.filter(
                Q(record_id__in=found) | Q(registration_number__iexact=text) | Q(barcode=text)
            )
    rows = rows.select_related("record", "collection", "school").order_by(
        "registration_number", "pk"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "many_schools": scope.is_subtree,
        "can_edit": scope.can(Action.CATALOGUE),
    }
    return render_page_or_partial(request, "catalogue/copy_list.html", "copies", context)


urlpatterns: list[URLPattern] = [
    path("copies/", copy_list, name="copy_list"),
]
