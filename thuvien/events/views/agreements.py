"""Cooperation agreements between partner organisations and the department: the list, the form
(with the signed copy) and the signed copy's download, for those who organise events."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thuvien.access import Action, get_scoped_or_404, requires, scope_for, scoped_file
from thuvien.events.forms import AgreementForm, agreements_for
from thuvien.events.services import organising
from thuvien.events.services.common import EventError

PAGE_SIZE = 30


@requires(Action.MANAGE_EVENTS)
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = agreements_for(scope_for(request))
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/agreement_list.html", {"page": page})


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def agreement_form(request: HttpRequest, agreement_id: int | None = None) -> HttpResponse:
    scope = scope_for(request)
    agreement = None
    if agreement_id is not None:
        agreement = get_scoped_or_404(agreements_for(scope), scope, pk=agreement_id)
    form = AgreementForm(
        request.POST or None, request.FILES or None, scope=scope, instance=agreement
    )
    if request.method == "POST" and form.is_valid():
        fields, upload = form.agreement_fields(), form.cleaned_data.get("signed_file")
        fields.pop("signed_file", None)
        try:
            if agreement is None:
                partner, department = form.parties(scope)
                organising.create_agreement(
                    partner, department, by=request.user, signed_file=upload, **fields
                )
            else:
                organising.update_agreement(
                    agreement, by=request.user, signed_file=upload, **fields
                )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("events:agreement_list")
    context = {"form": form, "agreement": agreement}
    return render(
        request, "events/agreement_form.html", context, status=422 if form.errors else 200
    )


@requires(Action.MANAGE_EVENTS)
@require_GET
def agreement_file(request: HttpRequest, agreement_id: int) -> HttpResponse:
    return scoped_file(
        request,
        agreements_for(scope_for(request)),
        lambda agreement: (
            agreement.signed_file,
            (agreement.signed_file.name or "").rsplit("/")[-1],
        ),
        pk=agreement_id,
    )


urlpatterns: list[URLPattern] = [
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/new/", agreement_form, name="agreement_create"),
    path("agreements/<int:agreement_id>/edit/", agreement_form, name="agreement_edit"),
    path("agreements/<int:agreement_id>/file/", agreement_file, name="agreement_file"),
]
