"""A school's collections (kho) and their numbering: the list with each sequence's last number
given, a new collection, a collection's name, type and prefix changed (its copies keep their
registration numbers: `services.collections`)."""

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
from thuvien.catalogue.forms import CollectionForm
from thuvien.catalogue.models import Collection, Sequence
from thuvien.catalogue.services import CatalogueError
from thuvien.catalogue.services.collections import save_collection
from thuvien.catalogue.services.copies import USUAL_COLLECTIONS, set_up_collections
from thuvien.catalogue.views.records import school_of
from thuvien.organisations.models import Unit

FORM = "catalogue/collection_form.html"


@requires(Action.VIEW_CATALOGUE)
@require_GET
def collection_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    collections = list(
        Collection.objects.visible_to(scope)
        .select_related("sequence", "school")
        .annotate(copies_count=Count("copies"))
        .order_by("school__path", "code")
    )
    sequences = Sequence.objects.visible_to(scope).select_related("school")
    users: dict[int, list[str]] = {}
    for collection in collections:
        users.setdefault(collection.sequence_id, []).append(collection.code)
    context = {
        "collections": collections,
        "sequences": [
            (sequence, users.get(sequence.pk, []), sequence.format(sequence.last_number + 1))
            for sequence in sequences.order_by("school__path", "prefix")
        ],
        "many_schools": scope.is_subtree,
        "can_manage": scope.can(Action.CATALOGUE),
        "can_add": scope.can(Action.CATALOGUE) and school_of(request) is not None,
        "usual": USUAL_COLLECTIONS,
    }
    return render(request, "catalogue/collection_list.html", context)


def _save(
    request: HttpRequest, form: CollectionForm, school: Unit, collection: Collection | None
) -> HttpResponse | None:
    """The form saved through the service (a redirect), or None with the refusal on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        data = dict(form.cleaned_data)
        data["prefix"] = data.pop("number_prefix")
        saved = save_collection(school, collection=collection, **data)
    except CatalogueError as error:
        form.add_error(None, str(error))
        return None
    messages.success(
        request,
        _("Collection %(code)s is saved; its next registration number is %(next)s.")
        % {"code": saved.code, "next": saved.sequence.format(saved.sequence.last_number + 1)},
    )
    return redirect("catalogue:collection_list")


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def collection_new(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form = CollectionForm(request.POST or None, initial={"digits": 6, "public": True})
    if school is None:
        messages.error(request, _("A collection is kept by a school's library staff."))
        return render(request, FORM, {"form": form}, status=403)
    done = _save(request, form, school, None)
    status = 422 if request.method == "POST" else 200
    return done or render(request, FORM, {"form": form}, status=status)


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def collection_edit(request: HttpRequest, collection_id: int) -> HttpResponse:
    rows = Collection.objects.select_related("sequence", "school")
    collection = get_scoped_or_404(rows, scope_for(request), pk=collection_id)
    initial: dict[str, Any] = {
        name: getattr(collection, name) for name in ("code", "name", "doc_type", "public")
    }
    initial.update(number_prefix=collection.sequence.prefix, digits=collection.sequence.digits)
    form = CollectionForm(request.POST or None, initial=initial)
    done = _save(request, form, collection.school, collection)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "collection": collection}
    return done or render(request, FORM, context, status=status)


@requires(Action.CATALOGUE)
@require_http_methods(["POST"])
def collections_set_up(request: HttpRequest) -> HttpResponse:
    """The usual collections of the librarian's school at once (SGK, SGV, SNV, STK, STN, BTC,
    TLK), each numbered with its own prefix or all with one sequence of the school; those the
    school has already are kept as they are."""
    school = school_of(request)
    if school is None:
        messages.error(request, _("A collection is kept by a school's library staff."))
        return redirect("catalogue:collection_list")
    per_school = request.POST.get("numbering") == "school"
    prefix = request.POST.get("prefix", "").strip()[:20]
    rows = Collection.objects.visible_to(scope_for(request)).filter(school=school)
    before = set(rows.values_list("code", flat=True))
    try:
        made = set_up_collections(school, per_school=per_school, prefix=prefix)
    except CatalogueError as error:
        messages.error(request, str(error))
        return redirect("catalogue:collection_list")
    added = [collection.code for collection in made if collection.code not in before]
    if added:
        messages.success(
            request,
            _("Collections added: %(codes)s.") % {"codes": ", ".join(added)},
        )
    else:
        messages.info(request, _("The school has every usual collection already."))
    return redirect("catalogue:collection_list")


urlpatterns: list[URLPattern] = [
    path("collections/", collection_list, name="collection_list"),
    path("collections/new/", collection_new, name="collection_new"),
    path("collections/usual/", collections_set_up, name="collections_set_up"),
    path("collections/<int:collection_id>/edit/", collection_edit, name="collection_edit"),
]
