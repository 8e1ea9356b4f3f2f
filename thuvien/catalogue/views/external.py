"""Copy cataloguing from an external catalogue: the librarian searches one of the province's
SRU targets and copies a record found there into the union catalogue (matched with the record
already in it when it is a duplicate), then adds its copies on the record's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, requires, scope_for
from thuvien.catalogue.forms import ExternalImportForm, ExternalSearchForm
from thuvien.catalogue.interop import client
from thuvien.catalogue.models import SruTarget
from thuvien.catalogue.services import CatalogueError
from thuvien.catalogue.services.province import import_found, matches_of, province_of
from thuvien.core.htmx import render_page_or_partial

PAGE = "catalogue/external_search.html"
SHOWN = 10


def _targets(request: HttpRequest) -> QuerySet[SruTarget]:
    scope = scope_for(request)
    rows = SruTarget.objects.visible_to(scope).filter(enabled=True)
    return rows.filter(department_id=province_of(scope.unit))


def _context(request: HttpRequest, form: ExternalSearchForm) -> dict[str, Any]:
    """The form and, when it is valid, what the target found with the records it duplicates."""
    targets = form.fields["target"].queryset  # type: ignore[attr-defined]
    context: dict[str, Any] = {"form": form, "rows": None, "has_targets": targets.exists()}
    if form.is_bound and form.is_valid():
        try:
            page = client.search_page(
                form.cleaned_data["target"], form.cql(), start=_start(request), max_records=SHOWN
            )
            matches = matches_of(page.records, school=scope_for(request).unit)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            positions = range(page.start, page.end + 1)
            context["rows"] = list(zip(positions, page.records, matches, strict=True))
            context["page"] = page
            if page.start > 1:
                context["previous_url"] = _page_url(request, max(1, page.start - SHOWN))
            # More to see: the target says so, or (when it gives no count) sent a full page.
            more = page.end < page.total if page.total is not None else len(page.records) == SHOWN
            if page.records and more:
                context["next_url"] = _page_url(request, page.end + 1)
    return context


def _start(request: HttpRequest) -> int:
    """The first position asked for (`start`, 1 when absent or not a number)."""
    value = request.GET.get("start", "")
    return max(1, min(int(value), 100_000)) if value.isdigit() else 1


def _page_url(request: HttpRequest, start: int) -> str:
    query = request.GET.copy()
    query["start"] = str(start)
    return f"{reverse('catalogue:external_search')}?{query.urlencode()}"


@requires(Action.CATALOGUE)
@require_GET
def external_search(request: HttpRequest) -> HttpResponse:
    data = request.GET if "q" in request.GET else None
    form = ExternalSearchForm(data, targets=_targets(request))
    return render_page_or_partial(request, PAGE, "results", _context(request, form))


@requires(Action.CATALOGUE)
@require_POST
def external_import(request: HttpRequest) -> HttpResponse:
    form = ExternalImportForm(request.POST, targets=_targets(request))
    if form.is_valid():
        position = form.cleaned_data["position"]
        try:
            found = client.search_page(
                form.cleaned_data["target"], form.cql(), start=position, max_records=1
            ).records
            if not found:
                raise CatalogueError(_("The target no longer finds this record: search again."))
            record, made = import_found(found[0], school=scope_for(request).unit, by=request.user)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            if made:
                messages.success(request, _("The record is in the catalogue: add its copies."))
            else:
                messages.info(
                    request, _("This record was already in the catalogue: add its copies to it.")
                )
            return redirect("catalogue:record_detail", record_id=record.pk)
    context = {"form": form, "rows": None, "has_targets": True}
    return render_page_or_partial(request, PAGE, "results", context, status=422)


urlpatterns: list[URLPattern] = [
    path("external/", external_search, name="external_search"),
    path("external/import/", external_import, name="external_import"),
]
