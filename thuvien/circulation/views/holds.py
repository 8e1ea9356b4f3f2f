"""The school's holds at the desk: the queue (and which titles have a copy on the shelf to take
off for it), the copies set aside awaiting pickup, a hold placed for a reader, cancelled."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.circulation.models import Hold, HoldStatus, Reader
from thuvien.circulation.services import CirculationError, class_sets, holds


@requires(Action.VIEW_CIRCULATION)
@require_GET
def hold_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    school = scope_for(request).school
    if school is not None:
        holds.expire_holds(school=school)  # the school's own holds past their pickup day
    visible = Hold.objects.visible_to(scope)
    context = {
        "waiting": holds.waiting_list(school) if school is not None else [],
        "ready": list(
            visible.filter(status=HoldStatus.READY)
            .select_related("record", "reader", "copy", "school")
            .order_by("pickup_by", "pk")
        ),
        "today": timezone.localdate(),
        "can_lend": scope.can(Action.LEND) and school is not None,
    }
    return render(request, "circulation/hold_list.html", context)


@requires(Action.LEND)
@require_POST
def hold_set_aside(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    if school is None:
        messages.error(request, _("The loan desk is a school's: choose your school's role."))
        return redirect("circulation:hold_list")
    try:
        hold = holds.set_aside_from_shelf(school, request.POST.get("barcode", ""))
        messages.success(
            request,
            _("Set aside for %(reader)s until %(date)s.")
            % {"reader": hold.reader, "date": f"{hold.pickup_by:%d/%m/%Y}"},
        )
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("circulation:hold_list")


@requires(Action.LEND)
@require_POST
def hold_place(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = get_scoped_or_404(Reader.objects.all(), scope_for(request), Action.LEND, pk=reader_id)
    school = scope_for(request).school
    try:
        if school != reader.school:
            raise CirculationError(_("The loan desk is a school's: choose your school's role."))
        record = class_sets.title_of(reader.school, request.POST.get("title_code", ""))
        holds.place_hold(reader.school, reader, record)
        messages.success(request, _("%(title)s is on hold.") % {"title": record.title})
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("circulation:reader_detail", reader.pk)


@requires(Action.LEND)
@require_POST
def hold_cancel(request: HttpRequest, hold_id: int) -> HttpResponse:
    hold = get_scoped_or_404(
        Hold.objects.select_related("record", "school"), scope_for(request), Action.LEND, pk=hold_id
    )
    try:
        holds.cancel_hold(hold)
        messages.success(
            request, _("The hold on %(title)s is cancelled.") % {"title": hold.record.title}
        )
    except CirculationError as error:
        messages.error(request, str(error))
    if request.POST.get("next") == "reader":
        return redirect("circulation:reader_detail", hold.reader_id)
    return redirect("circulation:hold_list")


urlpatterns: list[URLPattern] = [
    path("holds/", hold_list, name="hold_list"),
    path("holds/set-aside/", hold_set_aside, name="hold_set_aside"),
    path("holds/<int:hold_id>/cancel/", hold_cancel, name="hold_cancel"),
    path("readers/<int:reader_id>/hold/", hold_place, name="hold_place"),
]
