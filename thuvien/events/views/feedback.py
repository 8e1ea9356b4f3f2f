"""The participants' survey and its summary for the organiser and the department; the quotes the
organiser chose, as a fragment of the event page, for those who see the event's participants
(`models.scoping.participants_seen`): the event's audience sees the event, not who took part."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, allows, get_scoped_or_404, requires, scope_for
from thuvien.core.form_help import COMMENT_MAX_CHARS, MaxChars
from thuvien.core.htmx import render_page_or_partial
from thuvien.events import reports
from thuvien.events.models import Event, EventSession, Feedback, Registration
from thuvien.events.services import EventError
from thuvien.events.services import feedback as services
from thuvien.events.views.reports import reporting_event

RATING_CHOICES = [("", "—"), *((str(n), str(n)) for n in services.RATINGS)]


class FeedbackForm(forms.Form):
    """A 1–5 rating per attended session (`session_<id>`), comments and the change plan."""

    comments = forms.CharField(
        label=gettext_lazy("Comments on the event"),
        widget=forms.Textarea,
        required=False,
        validators=[MaxChars(COMMENT_MAX_CHARS)],
    )
    change_plan = forms.CharField(
        label=gettext_lazy("What will you change in your library?"),
        widget=forms.Textarea,
        required=False,
        validators=[MaxChars(COMMENT_MAX_CHARS)],
    )

    def __init__(self, *args: Any, sessions: list[EventSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rated = {
            f"session_{session.pk}": forms.TypedChoiceField(
                label=session.title, choices=RATING_CHOICES, coerce=int, empty_value=None,
                required=False, help_text=gettext_lazy("1 = poor, 5 = excellent"),
            )
            for session in sessions
        }  # fmt: skip
        self.fields = {**rated, **self.fields}
        self.sessions = sessions

    def ratings(self) -> dict[int, int | None]:
        return {s.pk: self.cleaned_data.get(f"session_{s.pk}") for s in self.sessions}


def _initial(registration: Registration) -> dict[str, Any]:
    try:
        answer = registration.feedback
    except Feedback.DoesNotExist:
        return {}
    initial: dict[str, Any] = {"comments": answer.comments, "change_plan": answer.change_plan}
    initial.update({f"session_{r.session_id}": str(r.rating) for r in answer.ratings.all()})
    return initial


@requires(Action.ATTEND_EVENTS)
@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, event_id: int) -> HttpResponse:
    scope = scope_for(request)
    rows = Registration.objects.select_related("event")
    registration = get_scoped_or_404(rows, scope, event_id=event_id, user=scope.user_id)
    sessions = services.attended_sessions(registration)
    data = request.POST if request.method == "POST" else None
    form = FeedbackForm(data, sessions=sessions, initial=_initial(registration))
    if form.is_valid():
        try:
            services.submit_feedback(
                registration, ratings=form.ratings(), comments=form.cleaned_data["comments"],
                change_plan=form.cleaned_data["change_plan"],
            )  # fmt: skip
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your answer was saved."))
            return redirect("events:feedback", event_id)
    context = {"event": registration.event, "form": form, "open": services.may_answer(registration)}
    status = 422 if form.is_bound else 200
    return render(request, "events/feedback_form.html", context, status=status)


@requires(Action.VIEW_EVENTS)
@require_GET
def feedback_summary(request: HttpRequest, event_id: int) -> HttpResponse:
    event = reporting_event(request, event_id)
    scope = scope_for(request)
    context = {
        "event": event,
        "summary": reports.feedback_summary(event, scope),
        "can_manage": allows(scope, Action.MANAGE_EVENTS, event),
    }
    return render_page_or_partial(request, "events/feedback_summary.html", "answers", context)


@requires(Action.MANAGE_EVENTS)
@require_POST
def feedback_quote(request: HttpRequest, registration_id: int) -> HttpResponse:
    answer = get_scoped_or_404(
        Feedback.objects.select_related("registration"),
        scope_for(request),
        Action.MANAGE_EVENTS,
        registration=registration_id,
    )
    try:
        services.show_quote(answer, request.POST.get("shown") == "1", by=request.user)
    except EventError as error:
        messages.error(request, str(error))
    return redirect("events:feedback_summary", answer.registration.event_id)


@requires(Action.VIEW_EVENTS)
@require_GET
def feedback_quotes(request: HttpRequest, event_id: int) -> HttpResponse:
    """The chosen quotes, for the event page (loaded as a fragment); empty for those who see the
    event but not its participants."""
    scope = scope_for(request)
    event = get_scoped_or_404(Event.objects.all(), scope, pk=event_id)
    context = {"event": event, "quotes": reports.shown_quotes(event, scope)}
    return render(request, "events/feedback_quotes.html", context)


urlpatterns: list[URLPattern] = [
    path("<int:event_id>/feedback/", feedback_form, name="feedback"),
    path("<int:event_id>/feedback/summary/", feedback_summary, name="feedback_summary"),
    path("<int:event_id>/feedback/quotes/", feedback_quotes, name="feedback_quotes"),
    path("registrations/<int:registration_id>/quote/", feedback_quote, name="feedback_quote"),
]
