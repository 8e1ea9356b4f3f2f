"""Screens of the organisation tree: list and search units, a unit's page, create, edit, move,
merge, year counts, memberships, the signers of a unit's documents, and the audit history of a
unit."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.organisations import queries, services
from thuvien.organisations.forms import (
    EndMembershipForm,
    MembershipForm,
    MergeUnitForm,
    MoveUnitForm,
    RemoveSignerForm,
    SignerForm,
    StaffFilterForm,
    UnitFilterForm,
    UnitForm,
    YearStatsForm,
)
from thuvien.organisations.models import Membership, Signer, Unit

PAGE_SIZE = 50


@requires(Action.VIEW_UNITS)
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    scope = scope_for(request)
    units = queries.units_in_scope(scope, filters)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = queries.count_page(list(page.object_list), scope)
    within = filters.get("within")
    context = {
        "form": form,
        "page": page,
        "query_string": _query_without_page(request),
        "within": within and Unit.objects.visible_to(scope).filter(pk=within).first(),
    }
    return render_page_or_partial(request, "organisations/unit_list.html", "results", context)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@requires(Action.VIEW_UNITS)
@require_GET
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = scope_for(request)
    unit = get_scoped_or_404(
        Unit.objects.select_related("parent", "merged_into"), scope, pk=unit_id
    )
    context = {"unit": unit, **queries.unit_page(unit, scope), "stats_form": YearStatsForm()}
    return render(request, "organisations/unit_detail.html", context)


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = UnitForm(
        request.POST or None, scope=scope, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(
                kind=form.cleaned_data["kind"],
                parent=form.cleaned_data["parent"],
                by=request.user,
                **form.unit_fields(),
            )
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The unit “%(name)s” was created.") % {"name": unit.name})
            return redirect("organisations:unit_detail", unit.pk)
    return _form_page(request, form, _("New unit"))


def _form_page(
    request: HttpRequest, form: object, title: str, unit: Unit | None = None
) -> HttpResponse:
    status = 422 if getattr(form, "errors", None) else 200
    context = {"form": form, "title": title, "unit": unit}
    return render(request, "organisations/unit_form.html", context, status=status)


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = scope_for(request)
    unit = get_scoped_or_404(Unit.objects.all(), scope, pk=unit_id)
    initial = UnitForm.initial_for(unit)
    form = UnitForm(request.POST or None, scope=scope, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.unit_fields()
            if not unit.is_school:
                fields = {k: v for k, v in fields.items() if not k.startswith("has_")}
            services.update_unit(unit, by=request.user, **fields)
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisations:unit_detail", unit.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": unit.name}, unit)


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_move(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = scope_for(request)
    unit = get_scoped_or_404(Unit.objects.all(), scope, pk=unit_id)
    form = MoveUnitForm(request.POST or None, scope=scope, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_unit(
                unit,
                new_parent=form.cleaned_data["new_parent"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The unit was moved; its previous supervision is kept."))
            return redirect("organisations:unit_detail", unit.pk)
    return _form_page(request, form, _("Move %(name)s") % {"name": unit.name}, unit)


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = scope_for(request)
    unit = get_scoped_or_404(Unit.objects.active(), scope, pk=unit_id)
    form = MergeUnitForm(request.POST or None, scope=scope, unit=unit)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        try:
            services.merge_units(unit, into=into, on=form.cleaned_data["on"], by=request.user)
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("“%(a)s” was merged into “%(b)s”.") % {"a": unit, "b": into}
            )
            return redirect("organisations:unit_detail", into.pk)
    return _form_page(request, form, _("Merge %(name)s") % {"name": unit.name}, unit)


@requires(Action.MANAGE_UNITS)
@require_POST
def unit_stats(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), scope_for(request), pk=unit_id)
    form = YearStatsForm(request.POST)
    if form.is_valid():
        try:
            services.set_year_stats(unit, **form.cleaned_data)
        except services.OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Counts saved."))
    else:
        messages.error(request, _("The counts were not saved: enter whole numbers of 0 or more."))
    return redirect("organisations:unit_detail", unit.pk)


@requires(Action.VIEW_HISTORY)
@require_GET
def unit_history(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), scope_for(request), pk=unit_id)
    entries = queries.unit_history(unit)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/unit_history.html", {"unit": unit, "page": page})


@requires(Action.VIEW_STAFF)
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    memberships = queries.staff_in_scope(scope_for(request), filters)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": _query_without_page(request)}
    return render_page_or_partial(request, "organisations/staff_list.html", "results", context)


@requires(Action.MANAGE_STAFF)
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.active(), scope_for(request), pk=unit_id)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_membership(
                data["login"],
                unit,
                data["role"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                reader_category=data["reader_category"],
            )
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The role was given."))
            return redirect("organisations:unit_detail", unit.pk)
    return _form_page(request, form, _("Add a person to %(name)s") % {"name": unit.name}, unit)


@requires(Action.MANAGE_STAFF)
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_scoped_or_404(
        Membership.objects.select_related("unit"), scope_for(request), pk=membership_id
    )
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(membership, on=form.cleaned_data["on"])
        except services.OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The role was ended; its history is kept."))
    else:
        messages.error(request, _("Enter the last day as a date."))
    return redirect("organisations:unit_detail", membership.unit_id)


def _signers_page(
    request: HttpRequest, unit: Unit, form: SignerForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "unit": unit,
        "signers": list(unit.signers.visible_to(scope_for(request))),
        "form": form or SignerForm(),
    }
    return render_page_or_partial(
        request, "organisations/signers.html", "signers", context, status=status
    )


@requires(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_signers(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The unit's signers; GET `?edit=<id>` opens one in the form, POST adds or saves one."""
    scope = scope_for(request)
    unit = get_scoped_or_404(Unit.objects.active(), scope, Action.MANAGE_UNITS, pk=unit_id)
    signers = unit.signers.visible_to(scope)
    if request.method == "GET":
        editing = request.GET.get("edit")
        chosen = editing and get_scoped_or_404(signers, scope, Action.MANAGE_UNITS, pk=editing)
        form = SignerForm(initial=SignerForm.initial_for(chosen)) if chosen else None
        return _signers_page(request, unit, form)
    form = SignerForm(request.POST)
    if form.is_valid():
        pk = form.cleaned_data["signer"]
        try:
            if pk:
                signer = get_scoped_or_404(signers, scope, Action.MANAGE_UNITS, pk=pk)
                services.update_signer(signer, **form.signer_fields())
            else:
                services.add_signer(unit, **form.signer_fields())
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The signer was saved."))
            return redirect("organisations:unit_signers", unit.pk)
    return _signers_page(request, unit, form, status=422)


@requires(Action.MANAGE_UNITS)
@require_POST
def unit_signer_remove(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope = scope_for(request)
    unit = get_scoped_or_404(Unit.objects.all(), scope, Action.MANAGE_UNITS, pk=unit_id)
    form = RemoveSignerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the signer to remove."))
        return redirect("organisations:unit_signers", unit.pk)
    signers = Signer.objects.filter(unit=unit)
    signer = get_scoped_or_404(signers, scope, Action.MANAGE_UNITS, pk=form.cleaned_data["signer"])
    services.remove_signer(signer)
    messages.success(request, _("The signer was removed."))
    return redirect("organisations:unit_signers", unit.pk)
