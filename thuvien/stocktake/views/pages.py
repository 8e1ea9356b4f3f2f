"""Stocktake pages: the school's stocktakes and a new one; a stocktake's scanning page (the
desk's scan queue, from a phone or a PC, by several people at once), its outcome, the
principal's approval, the biên bản kiểm kê as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, file_response, get_scoped_or_404, requires, scope_for
from thuvien.catalogue.models import Collection
from thuvien.stocktake import services
from thuvien.stocktake.minutes import minutes_pdf
from thuvien.stocktake.models import Outcome, Stocktake, StocktakeLine, StocktakeStatus


@requires(Action.VIEW_CATALOGUE)
@require_http_methods(["GET", "POST"])
def stocktake_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    school = scope_for(request).school
    collections = Collection.objects.visible_to(scope).filter(school=school)
    if request.method == "POST":
        if not scope.can(Action.CATALOGUE) or school is None:
            messages.error(request, _("A stocktake is opened by a school's library staff."))
            return redirect("stocktake:list")
        wanted = request.POST.get("collection", "")
        collection = collections.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        try:
            stocktake = services.open_stocktake(
                school, by=request.user, collection=collection,
                location=request.POST.get("location", "")[:100],
            )  # fmt: skip
        except services.StocktakeError as error:
            messages.error(request, str(error))
            return redirect("stocktake:list")
        return redirect("stocktake:detail", stocktake.pk)
    context = {
        "stocktakes": list(
            Stocktake.objects.visible_to(scope).select_related("collection", "school")[:100]
        ),
        "collections": list(collections.order_by("code")),
        "can_open": scope.can(Action.CATALOGUE) and school is not None,
        "many_schools": scope.is_subtree,
    }
    return render(request, "stocktake/list.html", context)


@requires(Action.VIEW_CATALOGUE)
@require_GET
def stocktake_detail(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    scope = scope_for(request)
    rows = Stocktake.objects.select_related("collection", "school", "opened_by", "approved_by")
    stocktake = get_scoped_or_404(rows, scope, pk=stocktake_id)
    lines = (
        StocktakeLine.objects.visible_to(scope)
        .filter(stocktake=stocktake)
        .select_related("copy__record")
    )
    context = {
        "stocktake": stocktake,
        "summary": services.summary(stocktake),
        "lines": {outcome: [] for outcome in Outcome.values} | _grouped(lines),
        "outcomes": Outcome,
        "can_scan": scope.can(Action.CATALOGUE) and stocktake.status == StocktakeStatus.OPEN,
        "can_apply": stocktake.status == StocktakeStatus.CLOSED
        and scope.can(Action.APPROVE_WITHDRAWALS),
        "today": timezone.localdate(),
    }
    return render(request, "stocktake/detail.html", context)


def _grouped(lines: Any) -> dict[str, list[StocktakeLine]]:
    grouped: dict[str, list[StocktakeLine]] = {}
    for line in lines:
        grouped.setdefault(line.outcome, []).append(line)
    return grouped


@requires(Action.CATALOGUE)
@require_POST
def stocktake_scan(request: HttpRequest, stocktake_id: int) -> JsonResponse:
    stocktake = get_scoped_or_404(
        Stocktake.objects.select_related("school"), scope_for(request), pk=stocktake_id
    )
    try:
        done = services.scan(
            stocktake, request.POST.get("barcode", ""), by=request.user,
            key=request.POST.get("key", ""), found_at=request.POST.get("found_at", ""),
        )  # fmt: skip
    except services.StocktakeError as error:
        return JsonResponse({"state": "refused", "message": str(error)}, status=422)
    return JsonResponse({"state": "repeated" if done.repeated else "done", "message": done.message})


@requires(Action.CATALOGUE)
@require_POST
def stocktake_close(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    stocktake = get_scoped_or_404(
        Stocktake.objects.select_related("school"), scope_for(request), pk=stocktake_id
    )
    try:
        counts = services.close(stocktake, by=request.user)
        messages.success(
            request,
            _("The stocktake is closed: %(scanned)s scanned, %(missing)s missing.")
            % {"scanned": counts["scanned"], "missing": counts.get(Outcome.MISSING, 0)},
        )
    except services.StocktakeError as error:
        messages.error(request, str(error))
    return redirect("stocktake:detail", stocktake.pk)


@requires(Action.APPROVE_WITHDRAWALS)
@require_POST
def stocktake_apply(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    stocktake = get_scoped_or_404(
        Stocktake.objects.select_related("school"), scope_for(request),
        Action.APPROVE_WITHDRAWALS, pk=stocktake_id,
    )  # fmt: skip
    try:
        lost, back = services.apply(stocktake, by=request.user)
        messages.success(
            request,
            _("Applied: %(lost)s copies marked lost, %(back)s found copies back on the shelf.")
            % {"lost": lost, "back": back},
        )
    except services.StocktakeError as error:
        messages.error(request, str(error))
    return redirect("stocktake:detail", stocktake.pk)


@requires(Action.VIEW_CATALOGUE)
@require_GET
def stocktake_minutes(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    scope = scope_for(request)
    rows = Stocktake.objects.select_related("collection", "school")
    stocktake = get_scoped_or_404(rows, scope, pk=stocktake_id)
    lines = (
        StocktakeLine.objects.visible_to(scope)
        .filter(stocktake=stocktake)
        .select_related("copy__record")
    )
    pdf = minutes_pdf(stocktake, services.summary(stocktake), _grouped(lines))
    return file_response(pdf, f"bien-ban-kiem-ke-{stocktake.opened_at:%Y%m%d}.pdf")


urlpatterns: list[URLPattern] = [
    path("", stocktake_list, name="list"),
    path("<int:stocktake_id>/", stocktake_detail, name="detail"),
    path("<int:stocktake_id>/scan/", stocktake_scan, name="scan"),
    path("<int:stocktake_id>/close/", stocktake_close, name="close"),
    path("<int:stocktake_id>/apply/", stocktake_apply, name="apply"),
    path("<int:stocktake_id>/bien-ban.pdf", stocktake_minutes, name="minutes"),
]
