"""The librarian's catalogue: search, copy cataloguing by ISBN, a record's page with the
school's copies and the form adding N of them, a new record, an audited edit.

Records are the province's (every library role sees them); copies are the school's
(`Copy.objects.visible_to(scope)`); who may change a record is the record's policy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from thuvien.access import Action, allows, get_scoped_or_404, requires, scope_for
from thuvien.catalogue.forms import AddCopiesForm, IsbnForm, MergeForm, RecordEditForm, RecordForm
from thuvien.catalogue.models import (
    AcquisitionBatch,
    Collection,
    Copy,
    DigitalResource,
    Record,
)
from thuvien.catalogue.services import CatalogueError, copies, records
from thuvien.core.audit import history_entries
from thuvien.core.htmx import render_page_or_partial
from thuvien.organisations.models import Unit

HOME = "catalogue/home.html"
DETAIL = "catalogue/record_detail.html"
FORM = "catalogue/record_form.html"


def school_of(request: HttpRequest) -> Unit | None:
    return scope_for(request).school


def _home(request: HttpRequest, isbn_form: IsbnForm | None = None) -> dict[str, Any]:
    scope = scope_for(request)
    query = request.GET.get("q", "").strip()
    found = records.search(query) if query else []
    held = {
        row["record_id"]: row["n"]
        for row in Copy.objects.visible_to(scope)
        .filter(record_id__in=[record.pk for record in found])
        .values("record_id")
        .annotate(n=Count("pk"))
    }
    matching = (
        list(
            Copy.objects.visible_to(scope)
            .filter(Q(registration_number=query) | Q(barcode=query))
            .select_related("record", "collection")[:10]
        )
        if query
        else []
    )
    return {
        "query": query,
        "copies": matching,
        "rows": [(record, held.get(record.pk, 0)) for record in found],
        "isbn_form": isbn_form or IsbnForm(),
        "can_catalogue": scope.can(Action.CATALOGUE),
    }


@requires(Action.VIEW_CATALOGUE)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render_page_or_partial(request, HOME, "results", _home(request))


@requires(Action.CATALOGUE)
@require_POST
def isbn_lookup(request: HttpRequest) -> HttpResponse:
    """Copy cataloguing: a scanned ISBN leads to the province's record, or to a new one."""
    form = IsbnForm(request.POST)
    if form.is_valid():
        isbn = form.cleaned_data["isbn"].strip()
        try:
            record = records.find_by_isbn(isbn)
        except CatalogueError as error:
            form.add_error("isbn", str(error))
        else:
            if record is not None:
                return _leave_for(request, reverse("catalogue:record_detail", args=[record.pk]))
            new = reverse("catalogue:record_new")
            return _leave_for(request, f"{new}?{urlencode({'isbn': isbn})}")
    context = _home(request, isbn_form=form)
    return render_page_or_partial(request, HOME, "isbn", context, status=422)


def _leave_for(request: HttpRequest, url: str) -> HttpResponse:
    """To a page, whole: htmx would follow a plain redirect and swap the page's fragment into
    the form's place (the record's copies into the ISBN box), its message left for later."""
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)


def _detail(
    request: HttpRequest,
    record: Record,
    form: AddCopiesForm | None,
    merge_form: MergeForm | None = None,
) -> dict[str, Any]:
    scope = scope_for(request)
    school = school_of(request)
    here = Copy.objects.visible_to(scope).filter(record=record)
    # Other schools' copies of the shared record: counted only, never shown.
    elsewhere = record.copies.exclude(pk__in=here.values("pk"))
    can_add = school is not None and scope.can(Action.CATALOGUE)
    if form is None and can_add:
        form = _copies_form(request, school)
    return {
        "record": record,
        "isbns": list(record.isbns.all()),
        "copies": list(here.select_related("collection", "batch", "school")),
        "elsewhere": elsewhere.count(),
        "resources": list(DigitalResource.objects.visible_to(scope).filter(record=record)),
        "history": history_entries(record.history.all(), limit=50),
        "form": form,
        "can_add": can_add,
        "can_edit": allows(scope, Action.EDIT_RECORDS, record),
        "merge_form": merge_form
        or (MergeForm() if scope.can(Action.MERGE_RECORDS) and not record.deleted_at else None),
    }


def _copies_form(request: HttpRequest, school: Unit | None, data: Any = None) -> AddCopiesForm:
    scope = scope_for(request)
    return AddCopiesForm(
        data,
        collections=Collection.objects.visible_to(scope).filter(school=school),
        batches=AcquisitionBatch.objects.visible_to(scope).filter(school=school),
    )


@requires(Action.VIEW_CATALOGUE)
@require_GET
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_scoped_or_404(Record.objects.all(), scope_for(request), pk=record_id)
    return render_page_or_partial(request, DETAIL, "copies", _detail(request, record, None))


@requires(Action.CATALOGUE)
@require_POST
def copies_add(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_scoped_or_404(Record.objects.all(), scope_for(request), pk=record_id)
    school = school_of(request)
    form = _copies_form(request, school, request.POST)
    if school is None:
        form.add_error(None, _("Copies are added by a school's library staff."))
        context = _detail(request, record, form)
        return render_page_or_partial(request, DETAIL, "copies", context, status=403)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = copies.add_copies(
                record,
                school=school,
                count=data["count"],
                by=request.user,
                collection=data["collection"],
                batch=data["batch"],
                price_vnd=data["price_vnd"],
                source=data["source"] or None,
                donor=data["donor"].strip(),
                location=data["location"].strip(),
            )
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(count)s copies added: %(first)s to %(last)s.")
                % {
                    "count": len(made),
                    "first": made[0].registration_number,
                    "last": made[-1].registration_number,
                },
            )
            return _leave_for(request, reverse("catalogue:record_detail", args=[record.pk]))
    context = _detail(request, record, form)
    return render_page_or_partial(request, DETAIL, "copies", context, status=422)


@requires(Action.CATALOGUE)
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    initial = {"isbns": request.GET.get("isbn", "")}
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = records.create_record(
                form.record_data(), school=scope_for(request).unit, by=request.user
            )
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The record is in the catalogue: add its copies."))
            return redirect("catalogue:record_detail", record_id=record.pk)
    status = 422 if request.method == "POST" else 200
    return render_page_or_partial(request, FORM, "form", {"form": form}, status=status)


@requires(Action.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_scoped_or_404(
        Record.objects.live(), scope_for(request), Action.EDIT_RECORDS, pk=record_id
    )
    isbns = [(row.isbn13, row.qualifier) for row in record.isbns.all()]
    form = RecordEditForm(request.POST or None, initial=RecordForm.initial_of(record, isbns))
    if request.method == "POST" and form.is_valid():
        try:
            records.update_record(
                record, form.record_data(), by=request.user, reason=form.cleaned_data["reason"]
            )
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The record is changed for every school holding it."))
            return redirect("catalogue:record_detail", record_id=record.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "record": record}
    return render_page_or_partial(request, FORM, "form", context, status=status)


@requires(Action.MERGE_RECORDS)
@require_POST
def record_merge(request: HttpRequest, record_id: int) -> HttpResponse:
    """Merge this record into another (duplicates): its copies, every school's, move."""
    scope = scope_for(request)
    drop = get_scoped_or_404(Record.objects.live(), scope, pk=record_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        keep = get_scoped_or_404(Record.objects.live(), scope, pk=form.cleaned_data["keep"])
        try:
            moved = records.merge_records(keep, drop, by=request.user)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Merged: %(count)s copies moved to this record.") % {"count": moved},
            )
            return redirect("catalogue:record_detail", record_id=keep.pk)
    context = _detail(request, drop, None, form)
    return render_page_or_partial(request, DETAIL, "copies", context, status=422)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("isbn/", isbn_lookup, name="isbn"),
    path("records/new/", record_new, name="record_new"),
    path("records/<int:record_id>/", record_detail, name="record_detail"),
    path("records/<int:record_id>/edit/", record_edit, name="record_edit"),
    path("records/<int:record_id>/copies/", copies_add, name="copies_add"),
    path("records/<int:record_id>/merge/", record_merge, name="record_merge"),
]
