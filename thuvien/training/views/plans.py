"""The person's plan in their self-training record: what to study when, linked to the campaign's
milestones, materials and topics. A page of its own, linked from the record page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.training import record_queries, services
from thuvien.training.models import Enrolment
from thuvien.training.plans import PlanEntryActionForm, PlanEntryForm, plan_rows


def _own_record(request: HttpRequest, enrolment_id: int) -> Enrolment:
    scope = scope_for(request)
    return get_scoped_or_404(record_queries.own_records(scope), scope, pk=enrolment_id)


def _plan_page(request: HttpRequest, enrolment: Enrolment, form: PlanEntryForm) -> HttpResponse:
    campaign = enrolment.campaign
    context: dict[str, Any] = {
        "enrolment": enrolment,
        "campaign": campaign,
        "entries": plan_rows(enrolment),
        "form": form,
        # A handed-in report closes the plan (it reads done, as the record does) until returned.
        "open": enrolment.left_on is None
        and campaign.status == "published"
        and not enrolment.handed_in,
    }
    return render(request, "training/plan.html", context, status=422 if form.errors else 200)


@requires(Action.TAKE_TRAINING)
@require_http_methods(["GET", "POST"])
def record_plan(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_record(request, enrolment_id)
    data = request.POST if request.method == "POST" else None
    form = PlanEntryForm(data, campaign=enrolment.campaign)
    if data is not None and form.is_valid():
        try:
            services.plans.add_plan_entry(enrolment, **form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan entry was added."))
            return redirect("training:record_plan", enrolment.pk)
    return _plan_page(request, enrolment, form)


@requires(Action.TAKE_TRAINING)
@require_POST
def record_plan_entry(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_record(request, enrolment_id)
    form = PlanEntryActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an entry of your plan."))
        return redirect("training:record_plan", enrolment.pk)
    entry, action = form.cleaned_data["entry"], form.cleaned_data["action"]
    try:
        if action == "remove":
            services.plans.remove_plan_entry(enrolment, entry)
        else:
            services.plans.mark_plan_entry(enrolment, entry, done=action == "done")
    except services.TrainingError as error:
        messages.error(request, str(error))
    return redirect("training:record_plan", enrolment.pk)


urlpatterns: list[URLPattern] = [
    path("records/<int:enrolment_id>/plan/", record_plan, name="record_plan"),
    path("records/<int:enrolment_id>/plan/entry/", record_plan_entry, name="record_plan_entry"),
]
