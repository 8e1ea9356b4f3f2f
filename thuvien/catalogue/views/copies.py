"""A school's copies and acquisition batches: a copy's edit form, the batches (part I of the
general register) and a new one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.catalogue.forms import BatchForm, CopyForm
from thuvien.catalogue.models import AcquisitionBatch, Collection, Copy
from thuvien.catalogue.services import CatalogueError, acquisitions, copies
from thuvien.catalogue.views.records import school_of

CHANGEABLE = ("barcode", "collection", "location", "price_vnd", "source", "donor", "notes")


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def copy_edit(request: HttpRequest, copy_id: int) -> HttpResponse:
    scope = scope_for(request)
    copy = get_scoped_or_404(Copy.objects.select_related("record"), scope, pk=copy_id)
    initial: dict[str, Any] = {name: getattr(copy, name) for name in CHANGEABLE}
    initial["status"] = copy.status
    form = CopyForm(
        request.POST or None,
        initial=initial,
        collections=Collection.objects.visible_to(scope).filter(school_id=copy.school_id),
        status=copy.status,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in CHANGEABLE}
        changes["donor"] = changes["donor"].strip()
        changes["location"] = changes["location"].strip()
        if data["status"] != copy.status:
            changes["status"] = data["status"]
        try:
            copies.update_copy(copy, by=request.user, **changes)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Copy %(code)s is saved.") % {"code": copy.registration_number}
            )
            return redirect("catalogue:record_detail", record_id=copy.record_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "catalogue/copy_form.html", {"form": form, "copy": copy}, status=status)


@requires(Action.VIEW_CATALOGUE)
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    batches = (
        AcquisitionBatch.objects.visible_to(scope)
        .select_related("school")
        .annotate(copies_count=Count("copies"))
    )
    can_open = scope.can(Action.CATALOGUE) and school_of(request) is not None
    context = {"batches": list(batches[:200]), "can_open": can_open}
    return render(request, "catalogue/batch_list.html", context)


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form = BatchForm(request.POST or None)
    if school is None:  # a supervisor's scope: nothing to open a batch for
        messages.error(request, _("An acquisition batch is opened by a school's library staff."))
        return render(request, "catalogue/batch_form.html", {"form": form}, status=403)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = acquisitions.open_batch(school, by=request.user, **data)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Acquisition batch %(number)s is in the general register.")
                % {"number": batch.number},
            )
            return redirect("catalogue:batch_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "catalogue/batch_form.html", {"form": form}, status=status)


urlpatterns: list[URLPattern] = [
    path("copies/<int:copy_id>/edit/", copy_edit, name="copy_edit"),
    path("acquisitions/", batch_list, name="batch_list"),
    path("acquisitions/new/", batch_new, name="batch_new"),
]
