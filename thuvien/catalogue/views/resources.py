"""A record's digital resources: the ones the scope sees (its school's, and those shared with
everyone), the form adding a file or a link (with the TT 16 copyright confirmation), the
download (through the policy: `scoped_file`) and the removal by the school that added it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, allowed_ids, get_scoped_or_404, requires, scope_for, scoped_file
from thuvien.catalogue.forms import ResourceForm
from thuvien.catalogue.models import DigitalResource, Record
from thuvien.catalogue.services import CatalogueError, resources
from thuvien.catalogue.views.records import school_of

PAGE = "catalogue/resources.html"


def _context(request: HttpRequest, record: Record, form: ResourceForm | None) -> dict[str, Any]:
    scope = scope_for(request)
    rows = DigitalResource.objects.visible_to(scope).filter(record=record).select_related("school")
    can_add = scope.can(Action.CATALOGUE) and school_of(request) is not None
    return {
        "record": record,
        "resources": list(rows),
        "removable": allowed_ids(rows, scope, Action.CATALOGUE),
        "form": form or (ResourceForm() if can_add and not record.deleted_at else None),
    }


@requires(Action.VIEW_CATALOGUE)
@require_GET
def record_resources(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_scoped_or_404(Record.objects.all(), scope_for(request), pk=record_id)
    return render(request, PAGE, _context(request, record, None))


@requires(Action.CATALOGUE)
@require_POST
def resource_add(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_scoped_or_404(Record.objects.all(), scope_for(request), pk=record_id)
    school = school_of(request)
    form = ResourceForm(request.POST, request.FILES)
    if school is None:
        form.add_error(None, _("Digital resources are added by a school's library staff."))
        return render(request, PAGE, _context(request, record, form), status=403)
    if form.is_valid():
        data = form.cleaned_data
        try:
            resources.add_resource(
                record, school=school, by=request.user, upload=data["file"], url=data["url"],
                kind=data["kind"], visibility=data["visibility"],
                rights_confirmed=data["rights_confirmed"],
            )  # fmt: skip
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The digital resource is attached to the record."))
            return redirect("catalogue:record_resources", record_id=record.pk)
    return render(request, PAGE, _context(request, record, form), status=422)


def _file_of(resource: DigitalResource) -> tuple[FieldFile | None, str]:
    return (resource.file or None), resource.file_name


@requires(Action.VIEW_CATALOGUE)
@require_GET
def resource_file(request: HttpRequest, resource_id: int) -> HttpResponse:
    return scoped_file(request, DigitalResource.objects.all(), _file_of, pk=resource_id)


@requires(Action.CATALOGUE)
@require_POST
def resource_remove(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = get_scoped_or_404(
        DigitalResource.objects.all(), scope_for(request), Action.CATALOGUE, pk=resource_id
    )
    record_id = resource.record_id
    resources.remove_resource(resource)
    messages.success(request, _("The digital resource is removed."))
    return redirect("catalogue:record_resources", record_id=record_id)


urlpatterns: list[URLPattern] = [
    path("records/<int:record_id>/resources/", record_resources, name="record_resources"),
    path("records/<int:record_id>/resources/new/", resource_add, name="resource_add"),
    path("resources/<int:resource_id>/file/", resource_file, name="resource_file"),
    path("resources/<int:resource_id>/remove/", resource_remove, name="resource_remove"),
]
