"""Organising an event: event, sessions, audience, invitations, registration (agreements are in
`agreements`).

Anyone with VIEW_EVENTS sees the events that reach their scope; organisers (MANAGE_EVENTS, and
the event organised or co-organised inside their scope: `Event.policy`) change them: out of
sight → 404, seen but not theirs → 403. Who may cancel a registration is `Registration.policy`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, allows, file_response, get_scoped_or_404, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.documents import official_filename, render_docx, render_pdf
from thuvien.events import letters, queries
from thuvien.events.forms import (
    MAX_MATCHES,
    CancelEventForm,
    EventForm,
    EventSearchForm,
    InviteForm,
    NominateForm,
    SessionForm,
    SignatureForm,
    StaffSearchForm,
    matching_staff,
)
from thuvien.events.models import Event, EventSession, EventStatus, Registration
from thuvien.events.services import organising, registrations
from thuvien.events.services.common import EventError

PAGE_SIZE = 30
FINISHED = (EventStatus.HELD, EventStatus.CANCELLED)
MOVES: dict[str, tuple[Callable[..., Any], Promise]] = {
    "close": (organising.close_registration, gettext_lazy("Registration is closed.")),
    "held": (organising.mark_held, gettext_lazy("The event is marked as held.")),
}


def _event(request: HttpRequest, event_id: int, action: Action | None = None) -> Event:
    """The event: out of sight → 404; with `action`, not one the person may do it on → 403."""
    queryset = Event.objects.select_related("organiser", "target", "agreement", "created_by")
    return get_scoped_or_404(queryset, scope_for(request), action, pk=event_id)


def _managed(request: HttpRequest, event_id: int) -> Event:
    """An event the person organises: out of sight → 404, someone else's → 403."""
    return _event(request, event_id, Action.MANAGE_EVENTS)


def _managed_session(request: HttpRequest, session_id: int) -> EventSession:
    rows = EventSession.objects.select_related("event")
    return get_scoped_or_404(rows, scope_for(request), Action.MANAGE_EVENTS, pk=session_id)


@requires(Action.VIEW_EVENTS)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    upcoming, past = queries.events_in_scope(scope_for(request), query)
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "upcoming": upcoming, "page": page, "query_string": params.urlencode()}
    return render_page_or_partial(request, "events/event_list.html", "results", context)


def _form_page(
    request: HttpRequest, form: Any, title: str, event: Event | None = None
) -> HttpResponse:
    context = {"form": form, "title": title, "event": event}
    return render(request, "events/event_form.html", context, status=422 if form.errors else 200)


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    # MANAGE_EVENTS is held only in a partner or the department (ROLE_UNIT_KIND): the organiser.
    organiser = scope.unit
    assert organiser is not None
    form = EventForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        fields, co = form.event_fields(), form.cleaned_data["co_organisers"]
        try:
            event = organising.create_event(organiser, by=request.user, co_organisers=co, **fields)
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft event was created; now add its sessions."))
            return redirect("events:event_detail", event_id=event.pk)
    return _form_page(request, form, _("New event"))


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed(request, event_id)
    form = EventForm(request.POST or None, scope=scope_for(request), instance=event)
    if request.method == "POST" and form.is_valid():
        fields, co = form.event_fields(), form.cleaned_data["co_organisers"]
        try:
            organising.update_event(event, by=request.user, co_organisers=co, **fields)
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("events:event_detail", event_id=event.pk)
    return _form_page(request, form, _("Edit %(title)s") % {"title": event.title}, event)


@requires(Action.VIEW_EVENTS)
@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    scope = scope_for(request)
    manage = allows(scope, Action.MANAGE_EVENTS, event)
    context = {
        "event": event,
        "registration": queries.viewer_registration(scope, event),
        "can_manage": manage,
        # The service refuses to change the programme of a held or cancelled event.
        "can_change_programme": manage and event.status not in FINISHED,
        "can_attend": scope.can(Action.ATTEND_EVENTS),
        "can_nominate": scope.can(Action.NOMINATE_ATTENDEES),
        "page": queries.event_page(scope, event, manage=manage),
        "session_form": SessionForm(),
        "cancel_form": CancelEventForm(),
        "signature_form": SignatureForm(unit=event.organiser if manage else None),
    }
    return render(request, "events/event_detail.html", context)


@requires(Action.MANAGE_EVENTS)
@require_POST
def event_open(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed(request, event_id)
    try:
        invited = organising.open_registration(event, by=request.user)
    except EventError as error:
        messages.error(request, str(error))
    else:
        text = ngettext(
            "Registration is open; %(count)d person was invited.",
            "Registration is open; %(count)d people were invited.",
            invited,
        )
        messages.success(request, text % {"count": invited})
    return redirect("events:event_detail", event_id=event.pk)


@requires(Action.MANAGE_EVENTS)
@require_POST
def event_move(request: HttpRequest, event_id: int, move: str) -> HttpResponse:
    """Close registration, mark held or cancel (with a reason sent to the people registered)."""
    event = _managed(request, event_id)
    form = CancelEventForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if move == "cancel":
            organising.cancel_event(event, by=request.user, reason=reason)
            done = str(_("The event is cancelled; the people registered were told."))
        else:
            service, message = MOVES[move]
            service(event, by=request.user)
            done = str(message)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("events:event_detail", event_id=event.pk)


@requires(Action.VIEW_EVENTS)
@require_GET
def event_invitation(request: HttpRequest, event_id: int, fmt: str) -> HttpResponse:
    """Anyone who sees the event downloads the draft; only its organisers may choose the signer
    among the organiser's (`?signatory=`) or type one (`?position=`, `?signer=`): others get the
    organiser's head signer (else its head over a blank name line)."""
    event = _event(request, event_id)
    manage = allows(scope_for(request), Action.MANAGE_EVENTS, event)
    given: dict[str, Any] = {}
    if manage:
        form = SignatureForm(request.GET, unit=event.organiser)
        if not form.is_valid():
            for name, errors in form.errors.items():
                text = " ".join(str(error) for error in errors)
                messages.error(request, f"{form.fields[name].label}: {text}")
            return redirect("events:event_detail", event_id=event.pk)
        given = form.cleaned_data
    document = letters.invitation(event, **given)
    content = render_pdf(document) if fmt == "pdf" else render_docx(document)
    return file_response(content, official_filename(document, fmt))


# --- Sessions --------------------------------------------------------------------------------


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def session_form(
    request: HttpRequest, event_id: int | None = None, session_id: int | None = None
) -> HttpResponse:
    """Add a session to the programme (`event_id`) or change one (`session_id`)."""
    session = _managed_session(request, session_id) if session_id else None
    event = session.event if session else _managed(request, event_id or 0)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                organising.add_session(event, **form.session_fields())
            else:
                organising.update_session(session, **form.session_fields())
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("events:event_detail", event_id=event.pk)
    title = _("Edit the session") if session else _("New session")
    context = {"form": form, "event": event, "title": title}
    return render(request, "events/session_form.html", context, status=422 if form.errors else 200)


@requires(Action.MANAGE_EVENTS)
@require_POST
def session_remove(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _managed_session(request, session_id)
    try:
        organising.remove_session(session)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The session was removed."))
    return redirect("events:event_detail", event_id=session.event_id)


# --- Registration ----------------------------------------------------------------------------


@requires(Action.ATTEND_EVENTS)
@require_POST
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    try:
        registration = registrations.register(event, by=request.user)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, registrations.outcome_message(registration))
    return redirect("events:event_detail", event_id=event.pk)


@requires(Action.VIEW_EVENTS)
@require_POST
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The person, their principal, or an organiser gives the seat up."""
    registration = get_scoped_or_404(
        Registration.objects.select_related("event", "user"),
        scope_for(request),
        Action.CANCEL_REGISTRATION,
        pk=registration_id,
    )
    try:
        registrations.cancel(registration, by=request.user)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The registration is cancelled; the seat is free."))
    return redirect("events:event_detail", event_id=registration.event_id)


@requires(Action.NOMINATE_ATTENDEES)
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, event_id: int) -> HttpResponse:
    """The principal ticks the staff of their school to register them."""
    event = _event(request, event_id)
    staff = queries.school_staff(scope_for(request), event)
    form = NominateForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        for person in form.cleaned_data["people"]:
            try:
                done = registrations.nominate(event, person, by=request.user)
            except EventError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, registrations.outcome_message(done))
        return redirect("events:nominate", event_id=event.pk)
    context = {"event": event, "form": form, "staff": staff}
    return render(request, "events/nominate.html", context, status=422 if form.errors else 200)


@requires(Action.MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, event_id: int) -> HttpResponse:
    """Organisers find school staff of the department by name, accents aside (`?q=`), and invite
    those ticked, outside the event's audience: an invitation and a notification each."""
    event = _managed(request, event_id)
    search = StaffSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = InviteForm(request.POST if request.method == "POST" else None, event=event)
    if form.is_bound and form.is_valid():
        try:
            count = organising.invite_people(event, form.cleaned_data["people"], by=request.user)
        except EventError as error:
            form.add_error(None, str(error))
        else:
            text = ngettext(
                "%(count)d person was invited.", "%(count)d people were invited.", count
            )
            messages.success(request, text % {"count": count})
            return redirect(request.get_full_path())
    matches = matching_staff(event, query)
    context = {
        "event": event, "search": search, "form": form, "query": query,
        "matches": matches[:MAX_MATCHES], "more": len(matches) > MAX_MATCHES,
    }  # fmt: skip
    status = 422 if form.errors else 200
    return render_page_or_partial(request, "events/invite.html", "results", context, status=status)


urlpatterns: list[URLPattern] = [
    path("", event_list, name="event_list"),
    path("new/", event_create, name="event_create"),
    path("<int:event_id>/", event_detail, name="event_detail"),
    path("<int:event_id>/edit/", event_edit, name="event_edit"),
    path("<int:event_id>/open/", event_open, name="event_open"),
    path("<int:event_id>/close/", event_move, {"move": "close"}, name="event_close"),
    path("<int:event_id>/held/", event_move, {"move": "held"}, name="event_held"),
    path("<int:event_id>/cancel/", event_move, {"move": "cancel"}, name="event_cancel"),
    path("<int:event_id>/invitation.pdf", event_invitation, {"fmt": "pdf"}, name="invitation_pdf"),
    path(
        "<int:event_id>/invitation.docx", event_invitation, {"fmt": "docx"}, name="invitation_docx"
    ),
    path("<int:event_id>/sessions/add/", session_form, name="session_add"),
    path("sessions/<int:session_id>/edit/", session_form, name="session_edit"),
    path("sessions/<int:session_id>/remove/", session_remove, name="session_remove"),
    path("<int:event_id>/register/", register, name="register"),
    path("<int:event_id>/nominate/", nominate, name="nominate"),
    path("<int:event_id>/invite/", invite, name="invite"),
    path(
        "registrations/<int:registration_id>/cancel/",
        registration_cancel,
        name="registration_cancel",
    ),
]
