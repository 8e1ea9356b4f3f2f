"""Withdrawals (thanh lý): the library proposes a list of the school's copies with reasons, the
principal approves it with the minutes; its copies are then withdrawn ("đã thanh lọc")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, allows, get_scoped_or_404, requires, scope_for
from thuvien.catalogue.forms import ApproveWithdrawalForm, WithdrawalForm
from thuvien.catalogue.models import Copy, Withdrawal, WithdrawalLine, WithdrawalStatus
from thuvien.catalogue.services import CatalogueError, acquisitions
from thuvien.catalogue.views.records import school_of

LIST = "catalogue/withdrawal_list.html"
DETAIL = "catalogue/withdrawal_detail.html"


def _list(request: HttpRequest, form: WithdrawalForm | None = None) -> dict[str, Any]:
    scope = scope_for(request)
    withdrawals = (
        Withdrawal.objects.visible_to(scope)
        .select_related("school", "proposed_by", "approved_by")
        .annotate(copies=Count("lines"))
    )
    can_propose = scope.can(Action.CATALOGUE) and school_of(request) is not None
    return {
        "withdrawals": list(withdrawals[:200]),
        "form": form or (WithdrawalForm() if can_propose else None),
        "can_propose": can_propose,
    }


@requires(Action.VIEW_CATALOGUE)
@require_GET
def withdrawal_list(request: HttpRequest) -> HttpResponse:
    return render(request, LIST, _list(request))


@requires(Action.CATALOGUE)
@require_POST
def withdrawal_propose(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    school = school_of(request)
    form = WithdrawalForm(request.POST)
    if school is None:
        form.add_error(None, _("A withdrawal is proposed by a school's library staff."))
        return render(request, LIST, _list(request, form), status=403)
    if form.is_valid():
        wanted = form.lines()
        codes = [code for code, _why in wanted]
        found: dict[str, Copy] = {}
        for copy in (
            Copy.objects.visible_to(scope)
            .filter(school=school)
            .filter(Q(registration_number__in=codes) | Q(barcode__in=codes))
        ):
            found[copy.registration_number] = copy
            found.setdefault(copy.barcode, copy)
        unknown = [code for code in codes if code not in found]
        if unknown:
            form.add_error(
                "codes",
                _("No copy of the school has the number %(codes)s.")
                % {"codes": ", ".join(unknown)},
            )
        else:
            try:
                withdrawal = acquisitions.propose_withdrawal(
                    school,
                    [(found[code], why) for code, why in wanted],
                    by=request.user,
                    reason=form.cleaned_data["reason"].strip(),
                )
            except CatalogueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The withdrawal list is sent to the principal."))
                return redirect("catalogue:withdrawal_detail", withdrawal_id=withdrawal.pk)
    return render(request, LIST, _list(request, form), status=422)


def _detail(
    request: HttpRequest, withdrawal: Withdrawal, form: ApproveWithdrawalForm | None = None
) -> dict[str, Any]:
    scope = scope_for(request)
    proposed = withdrawal.status == WithdrawalStatus.PROPOSED
    can_approve = (
        proposed
        and scope.can(Action.APPROVE_WITHDRAWALS)
        and allows(scope, Action.APPROVE_WITHDRAWALS, withdrawal)
    )
    lines = (
        WithdrawalLine.objects.visible_to(scope)
        .filter(withdrawal=withdrawal)
        .select_related("copy__record", "copy__collection")
    )
    return {
        "withdrawal": withdrawal,
        "lines": list(lines),
        "can_approve": can_approve,
        "can_cancel": proposed and scope.can(Action.CATALOGUE),
        "form": form or (ApproveWithdrawalForm() if can_approve else None),
    }


@requires(Action.VIEW_CATALOGUE)
@require_GET
def withdrawal_detail(request: HttpRequest, withdrawal_id: int) -> HttpResponse:
    withdrawal = get_scoped_or_404(Withdrawal.objects.all(), scope_for(request), pk=withdrawal_id)
    return render(request, DETAIL, _detail(request, withdrawal))


@requires(Action.APPROVE_WITHDRAWALS)
@require_POST
def withdrawal_approve(request: HttpRequest, withdrawal_id: int) -> HttpResponse:
    withdrawal = get_scoped_or_404(
        Withdrawal.objects.all(), scope_for(request), Action.APPROVE_WITHDRAWALS, pk=withdrawal_id
    )
    form = ApproveWithdrawalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            count = acquisitions.approve_withdrawal(
                withdrawal,
                by=request.user,
                minutes_number=data["minutes_number"],
                minutes_date=data["minutes_date"],
                decision_number=data["decision_number"],
            )
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Approved: %(count)s copies are withdrawn.") % {"count": count}
            )
            return redirect("catalogue:withdrawal_detail", withdrawal_id=withdrawal.pk)
    return render(request, DETAIL, _detail(request, withdrawal, form), status=422)


@requires(Action.CATALOGUE)
@require_http_methods(["POST"])
def withdrawal_cancel(request: HttpRequest, withdrawal_id: int) -> HttpResponse:
    withdrawal = get_scoped_or_404(Withdrawal.objects.all(), scope_for(request), pk=withdrawal_id)
    try:
        acquisitions.cancel_withdrawal(withdrawal, by=request.user)
    except CatalogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The withdrawal is cancelled; its copies stay in stock."))
    return redirect("catalogue:withdrawal_detail", withdrawal_id=withdrawal.pk)


urlpatterns: list[URLPattern] = [
    path("withdrawals/", withdrawal_list, name="withdrawal_list"),
    path("withdrawals/new/", withdrawal_propose, name="withdrawal_propose"),
    path("withdrawals/<int:withdrawal_id>/", withdrawal_detail, name="withdrawal_detail"),
    path("withdrawals/<int:withdrawal_id>/approve/", withdrawal_approve, name="withdrawal_approve"),
    path("withdrawals/<int:withdrawal_id>/cancel/", withdrawal_cancel, name="withdrawal_cancel"),
]
