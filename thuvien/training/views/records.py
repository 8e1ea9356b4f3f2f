"""The person's own self-training record: the list of their records, the record page (topic,
study notes, the report with autosave, submit), and the printable record. The principal's
school page lives in `views.school`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.training import record_queries, services
from thuvien.training.models import Enrolment
from thuvien.training.plans import plan_rows
from thuvien.training.record_forms import (
    OwnTopicForm,
    ReportForm,
    ReportUploadForm,
    StudyNoteForm,
    TopicForm,
)

DETAIL = "training/record_detail.html"


def _own_record(request: HttpRequest, enrolment_id: int) -> Enrolment:
    """Only the person's own record, and only in the active scope: anything else is a 404."""
    scope = scope_for(request)
    return get_scoped_or_404(record_queries.own_records(scope), scope, pk=enrolment_id)


def _record_page(request: HttpRequest, enrolment: Enrolment, **forms: Any) -> HttpResponse:
    campaign, day = enrolment.campaign, timezone.localdate()
    latest = record_queries.latest_version(enrolment)
    context = {
        "enrolment": enrolment,
        "campaign": campaign,
        "stances": record_queries.stances(list(campaign.milestones.all()), day, enrolment),
        "plan": plan_rows(enrolment),
        "lock_date": campaign.topic_lock_date(),
        # The picker is offered only while the choice is open (the rule of `choose_topic`).
        "choice_open": enrolment.topic_choice_open(day),
        "notes": enrolment.notes.select_related("material", "topic"),
        "latest": latest,
        "editable": enrolment.report_status in services.records.EDITABLE,
        "chosen_topics": enrolment.chosen_topics(),
        "topic_form": forms.get("topic_form") or _topic_form(enrolment),
        "note_form": forms.get("note_form") or StudyNoteForm(campaign=campaign),
        "report_form": forms.get("report_form")
        or ReportForm(initial={"body": latest.body if latest else ""}),
        "upload_form": forms.get("upload_form") or ReportUploadForm(),
        "own_topic_form": forms.get("own_topic_form")
        or OwnTopicForm(initial={"own_topic": enrolment.own_topic}),
        "versions": record_queries.versions(enrolment),
        # Refusals of a report that can no longer change, shown where the forms would be.
        "report_errors": [forms[n] for n in ("report_form", "upload_form") if n in forms],
    }
    status = 422 if any(form.errors for form in forms.values()) else 200
    return render(request, DETAIL, context, status=status)


def _topic_form(enrolment: Enrolment) -> TopicForm:
    """The choice form, showing the current choice as chosen."""
    if enrolment.campaign.topics_per_person == 1:
        return TopicForm(campaign=enrolment.campaign, initial={"topic": enrolment.topic_id})
    initial = {"topics": enrolment.chosen_topics(), "own_topic": enrolment.own_topic}
    return TopicForm(campaign=enrolment.campaign, initial=initial)


@requires(Action.TAKE_TRAINING)
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    records = record_queries.my_records(scope_for(request), day)
    return render(request, "training/record_list.html", {"records": records})


@requires(Action.TAKE_TRAINING)
@require_GET
def record_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _record_page(request, _own_record(request, enrolment_id))


def _attempt(
    request: HttpRequest,
    enrolment: Enrolment,
    name: str,
    form: django_forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate, change the record through one service, or show the page again (422)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("training:record_detail", enrolment.pk)
    return _record_page(request, enrolment, **{name: form})


@requires(Action.TAKE_TRAINING)
@require_POST
def record_topic(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_record(request, enrolment_id)
    form = TopicForm(request.POST, campaign=enrolment.campaign)

    def act(data: dict[str, Any]) -> object:
        return services.choose_topic(enrolment, **form.choice())

    done = _("Your topic was saved.") if form.wanted == 1 else _("Your topics were saved.")
    return _attempt(request, enrolment, "topic_form", form, act, done)


@requires(Action.TAKE_TRAINING)
@require_POST
def record_own_topic(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_record(request, enrolment_id)
    form = OwnTopicForm(request.POST)

    def act(data: dict[str, Any]) -> object:
        return services.choose_topic(enrolment, own_topic=data["own_topic"])

    done = _("Your topic was proposed; your principal will approve it.")
    return _attempt(request, enrolment, "own_topic_form", form, act, done)


@requires(Action.TAKE_TRAINING)
@require_POST
def record_note(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_record(request, enrolment_id)
    form = StudyNoteForm(request.POST, request.FILES, campaign=enrolment.campaign)

    def act(data: dict[str, Any]) -> object:
        return services.add_study_note(enrolment, **data)

    return _attempt(request, enrolment, "note_form", form, act, _("The study note was added."))


@requires(Action.TAKE_TRAINING)
@require_POST
def record_upload(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The report as a DOCX or PDF file: kept as a new version, saved or submitted."""
    enrolment = _own_record(request, enrolment_id)
    form = ReportUploadForm(request.POST, request.FILES)
    submitting = request.POST.get("action") == "submit"

    def act(data: dict[str, Any]) -> object:
        return services.records.save_report_file(enrolment, upload=data["file"], submit=submitting)

    done = _("Your report was submitted.") if submitting else _("Your report file was saved.")
    return _attempt(request, enrolment, "upload_form", form, act, done)


@requires(Action.TAKE_TRAINING)
@require_POST
def record_draft(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The autosave (htmx): keeps the text, answers the "saved at" line."""
    enrolment = _own_record(request, enrolment_id)
    form = ReportForm(request.POST)
    context: dict[str, Any] = {"error": None, "version": None}
    if form.is_valid():
        try:
            context["version"] = services.save_report_version(
                enrolment, body=form.cleaned_data["body"], autosave=True
            )
        except services.TrainingError as error:
            context["error"] = str(error)
    else:
        messages = [str(message) for message in form.errors.get("body", [])]
        context["error"] = " ".join(messages) or _("The report is empty.")
    status = 422 if context["error"] else 200
    return render(request, "training/record_saved.html", context, status=status)


@requires(Action.TAKE_TRAINING)
@require_POST
def record_report(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """ "Save" keeps a version; "Submit" keeps the submitted version and submits."""
    enrolment = _own_record(request, enrolment_id)
    form = ReportForm(request.POST)
    submitting = request.POST.get("action") == "submit"
    if form.is_valid():
        body = form.cleaned_data["body"]
        try:
            if submitting:
                services.submit_report_text(enrolment, body=body)
            else:
                services.save_report_version(enrolment, body=body)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            done = _("Your report was submitted.") if submitting else _("Your report was saved.")
            messages.success(request, done)
            return redirect("training:record_detail", enrolment.pk)
    return _record_page(request, enrolment, report_form=form)


@requires(Action.TAKE_TRAINING)
@require_GET
def record_print(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    context = record_queries.record_content(_own_record(request, enrolment_id))
    return render_page_or_partial(request, "training/record_print.html", "record", context)


urlpatterns: list[URLPattern] = [
    path("records/", record_list, name="record_list"),
    path("records/<int:enrolment_id>/", record_detail, name="record_detail"),
    path("records/<int:enrolment_id>/topic/", record_topic, name="record_topic"),
    path("records/<int:enrolment_id>/own-topic/", record_own_topic, name="record_own_topic"),
    path("records/<int:enrolment_id>/notes/", record_note, name="record_note"),
    path("records/<int:enrolment_id>/draft/", record_draft, name="record_draft"),
    path("records/<int:enrolment_id>/report/", record_report, name="record_report"),
    path("records/<int:enrolment_id>/upload/", record_upload, name="record_upload"),
    path("records/<int:enrolment_id>/print/", record_print, name="record_print"),
]
