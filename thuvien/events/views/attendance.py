"""Attendance: the QR poster and the check-in it opens, the organiser's list per session, and the
event's materials (uploaded by the organiser, downloaded by participants only).

The check-in page is the one a phone opens at the venue, often on a poor connection: a page of its
own (no Pico, no htmx, one small stylesheet) with one POST button that works without JavaScript.
The QR code is the key to its session (printed for the room, unguessable): whoever holds it
reaches the page. An anonymous visitor sees the event, the session, its time and venue (never a
participant) and a login button whose `next` brings them back here. The session's registered
participants check in; a person on the list who has not registered (invited, or cancelled)
registers and checks in with one tap when there is a seat, or joins the waiting list when there is
none (`attendance.door_for`, `attendance.take_seat_at_door`); anyone else is refused.
The list and the materials page are the organisers' (`Action.MANAGE_EVENTS` on the event's
rows); a material is opened by the event's organisers and participants (`EventMaterial.policy`).
"""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for, scoped_file
from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    EventMaterial,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from thuvien.events.services import EventError, attendance, registrations

LIST = "events/attendance_list.html"
MATERIALS = "events/material_list.html"


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    file = forms.FileField(label=_("File (PDF, Word, Excel or PowerPoint, at most 50 MB)"))


def _managed_session(request: HttpRequest, session_id: int) -> EventSession:
    rows = EventSession.objects.select_related("event")
    return get_scoped_or_404(rows, scope_for(request), Action.MANAGE_EVENTS, pk=session_id)


def _managed_event(request: HttpRequest, event_id: int) -> Event:
    return get_scoped_or_404(
        Event.objects.all(), scope_for(request), Action.MANAGE_EVENTS, pk=event_id
    )


# --- The QR code at the venue -----------------------------------------------------------------


@requires(Action.MANAGE_EVENTS)
@require_GET
def checkin_poster(request: HttpRequest, session_id: int) -> HttpResponse:
    """A printable page: the session, a big QR code of its check-in URL, the URL in text."""
    session = _managed_session(request, session_id)
    url = request.build_absolute_uri(reverse("events:checkin", args=[session.checkin_code]))
    qr = segno.make(url, error="m").svg_inline(scale=8, omitsize=True)
    context = {"session": session, "event": session.event, "checkin_url": url, "qr_svg": qr}
    return render(request, "events/checkin_poster.html", context)


def _answer(
    request: HttpRequest, session: EventSession, text: str, *, ok: bool, status: int | None = None
) -> HttpResponse:
    """The message page of a check-in; a refusal names no event (the person may have scanned
    another room's code: the refusal says what to do, not which event it is)."""
    context = {"session": session, "event": session.event, "text": text, "ok": ok}
    return render(
        request, "events/checkin_answer.html", context, status=status or (200 if ok else 403)
    )


def _door_page(
    request: HttpRequest, session: EventSession, door: attendance.Door, status: int = 200
) -> HttpResponse:
    context = {"session": session, "event": session.event, "door": door}
    return render(request, "events/checkin_page.html", context, status=status)


def _visitor_page(request: HttpRequest, session: EventSession) -> HttpResponse:
    """Anonymous: which event and session this is (no participant), and a login that returns."""
    event = session.event
    closed = event.status in {EventStatus.CANCELLED, EventStatus.DRAFT}
    context = {"session": session, "event": event, "door": None, "closed": closed}
    return render(request, "events/checkin_page.html", context)


def _take_seat(request: HttpRequest, session: EventSession, *, waiting_list: bool) -> HttpResponse:
    try:
        done = attendance.take_seat_at_door(session, request.user, waiting_list=waiting_list)
    except attendance.EventFull as full:
        return _door_page(request, session, attendance.Door("full", str(full)), status=409)
    except EventError as error:
        return _answer(request, session, str(error), ok=False)
    if done.checkin is None:
        return _answer(request, session, registrations.outcome_message(done.registration), ok=True)
    if not done.new:
        return _answer(request, session, attendance.already_message(done.checkin), ok=True)
    time = formats.date_format(timezone.localtime(done.checkin.at), "H:i")
    text = _("You are registered and checked in at %(time)s. Welcome!") % {"time": time}
    return _answer(request, session, text, ok=True)


@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, checkin_code: str) -> HttpResponse:
    """GET: the "I am here" button (or "Register and check in", or what stands in its way); POST:
    check in (`do=register`: register and check in; `do=wait`: join the waiting list).

    Public by design: the QR code is the key to its session (`attendance.session_at`), so an
    anonymous visitor sees which event and session it opens — never who takes part — and logs
    in to check in; a POST of theirs goes to the login page and records nothing."""
    session = attendance.session_at(checkin_code)
    if session is None:
        raise Http404
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _visitor_page(request, session)
    if request.method == "POST":
        wanted = request.POST.get("do", "")
        if wanted in {"register", "wait"}:
            return _take_seat(request, session, waiting_list=wanted == "wait")
        door = attendance.door_for(session, request.user)
        if door.kind in {"register", "full"}:  # "I am here" from an old tab: offer the seat
            return _door_page(request, session, door)
        try:
            row, new = attendance.check_in_once(session, request.user, method=CheckInMethod.QR)
        except EventError as error:
            return _answer(request, session, str(error), ok=False)
        time = formats.date_format(timezone.localtime(row.at), "H:i")
        text = _("Checked in at %(time)s. Welcome!") % {"time": time}
        return _answer(request, session, text if new else attendance.already_message(row), ok=True)
    door = attendance.door_for(session, request.user)
    if door.kind == "refused":
        return _answer(request, session, door.text, ok=False)
    if door.kind == "checked_in":
        return _answer(request, session, door.text, ok=True)
    return _door_page(request, session, door)


# --- The organiser's list ---------------------------------------------------------------------


def _rows(request: HttpRequest, session: EventSession) -> list[dict[str, Any]]:
    scope = scope_for(request)
    people = (
        Registration.objects.visible_to(scope)
        .filter(event=session.event_id, status=RegistrationStatus.REGISTERED)
        .select_related("user", "school")
    )
    checkins = CheckIn.objects.visible_to(scope).filter(session=session)
    present = {c.registration_id: c for c in checkins}
    return [{"registration": r, "checkin": present.get(r.pk)} for r in people]


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {"present": sum(1 for r in rows if r["checkin"]), "registered": len(rows)}


def _tick(request: HttpRequest, session: EventSession) -> HttpResponse:
    wanted = request.POST.get("registration", "")
    people = Registration.objects.filter(event=session.event_id).select_related("user", "school")
    registration = get_scoped_or_404(
        people, scope_for(request), Action.MANAGE_EVENTS, pk=int(wanted) if wanted.isdigit() else 0
    )
    error = ""
    try:
        if request.POST.get("present") == "1":
            attendance.check_in(
                session, registration.user, method=CheckInMethod.LIST, by=request.user
            )
        else:
            attendance.undo_check_in(session, registration, by=request.user)
    except EventError as refusal:
        error = str(refusal)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect("events:attendance", session_id=session.pk)
    rows = _rows(request, session)
    row = next(r for r in rows if r["registration"].pk == registration.pk)
    context = {"session": session, "row": row, "error": error, "counts": _counts(rows)}
    html = render_to_string(f"{LIST}#row", context, request)
    html += render_to_string(f"{LIST}#counts_oob", context, request)
    return HttpResponse(html)


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def attendance_list(request: HttpRequest, session_id: int) -> HttpResponse:
    """Registered people with a tick box each; one POST per tick (htmx, or a plain form)."""
    session = _managed_session(request, session_id)
    if request.method == "POST":
        return _tick(request, session)
    rows = _rows(request, session)
    context = {"session": session, "event": session.event, "rows": rows, "counts": _counts(rows)}
    return render(request, LIST, context)


# --- Materials --------------------------------------------------------------------------------


def _materials_page(request: HttpRequest, event: Event, form: MaterialForm) -> HttpResponse:
    registrations = Registration.objects.visible_to(scope_for(request)).filter(event=event)
    attended = registrations.filter(checkins__isnull=False).distinct()
    context = {
        "event": event,
        "form": form,
        "sessions": event.sessions.all(),
        "materials": event.materials.all(),
        "attended": attended.count(),
        "certified": attended.exclude(certificate_code="").count(),
    }
    return render(request, MATERIALS, context, status=422 if form.errors else 200)


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def materials(request: HttpRequest, event_id: int) -> HttpResponse:
    """The organiser's page of the event's attendance: sessions, materials, certificates."""
    event = _managed_event(request, event_id)
    if request.method == "GET":
        return _materials_page(request, event, MaterialForm())
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attendance.add_material(
                event, form.cleaned_data["title"], form.cleaned_data["file"], by=request.user
            )
        except EventError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The material was added."))
            return redirect("events:materials", event_id=event.pk)
    return _materials_page(request, event, form)


@requires(Action.MANAGE_EVENTS)
@require_POST
def material_remove(request: HttpRequest, event_material_id: int) -> HttpResponse:
    material = get_scoped_or_404(
        EventMaterial.objects.all(), scope_for(request), Action.MANAGE_EVENTS, pk=event_material_id
    )
    attendance.remove_material(material, by=request.user)
    messages.success(request, _("The material was removed."))
    return redirect("events:materials", event_id=material.event_id)


@requires(Action.VIEW_EVENTS)
@require_GET
def material_file(request: HttpRequest, event_material_id: int) -> HttpResponse:
    """For the event's registered participants and its organisers only (`EventMaterial.policy`):
    others who see the event are refused (403), those who do not get 404."""
    return scoped_file(
        request,
        EventMaterial.objects.all(),
        lambda material: (material.file, material.file_name),
        action=Action.OPEN_EVENT_FILES,
        pk=event_material_id,
    )


urlpatterns: list[URLPattern] = [
    path("check-in/<str:checkin_code>/", checkin, name="checkin"),
    path("sessions/<int:session_id>/poster/", checkin_poster, name="checkin_poster"),
    path("sessions/<int:session_id>/attendance/", attendance_list, name="attendance"),
    path("<int:event_id>/attendance/", materials, name="materials"),
    path("materials/<int:event_material_id>/remove/", material_remove, name="material_remove"),
    path("materials/<int:event_material_id>/file/", material_file, name="material_file"),
]
