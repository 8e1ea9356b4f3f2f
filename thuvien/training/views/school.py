"""The principal's school page of a campaign: each person's progress, reading, returning and
evaluating reports, extensions, reopening the topic choice, and sending the school package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.organisations.models import Unit
from thuvien.organisations.services import supervisor_on
from thuvien.training import record_queries, services
from thuvien.training.models import Campaign, CampaignStatus, Enrolment, SchoolPackage
from thuvien.training.plans import plan_rows
from thuvien.training.record_forms import (
    CommentForm,
    EvaluateForm,
    ExtensionForm,
    OwnTopicDecisionForm,
    PackageForm,
)
from thuvien.training.sending_forms import ConfirmMissingForm
from thuvien.training.services import sending


def _school(request: HttpRequest) -> Unit:
    """The principal's school: the unit of the active scope, which must be a school."""
    unit = scope_for(request).unit
    if unit is None or not unit.is_school:
        raise Http404
    return unit


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    _school(request)
    rows = Campaign.objects.exclude(status=CampaignStatus.DRAFT)
    return get_scoped_or_404(rows, scope_for(request), pk=campaign_id)


def _enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    """A record of the principal's school (the record's policy for EVALUATE_TRAINING)."""
    _school(request)
    rows = Enrolment.objects.select_related("campaign", "user", "topic")
    return get_scoped_or_404(rows, scope_for(request), Action.EVALUATE_TRAINING, pk=enrolment_id)


def _confirm_form(check: sending.PackageCheck, data: Any = None) -> ConfirmMissingForm | None:
    """The box to tick when people past their deadline go listed as not submitted."""
    if not check.not_submitted:
        return None
    count = len(check.not_submitted)
    label = ngettext(
        "I confirm: send the package with this person listed as not submitted.",
        "I confirm: send the package with these %(count)d people listed as not submitted.",
        count,
    ) % {"count": count}
    ids = [record.pk for record in check.not_submitted]
    return ConfirmMissingForm(data, label=label, missing=ids, prefix="send")


def _school_page(
    request: HttpRequest, campaign: Campaign, school: Unit, **forms: Any
) -> HttpResponse:
    scope = scope_for(request)
    day = timezone.localdate()
    people, stances = record_queries.school_progress(campaign, scope, day)
    packages = SchoolPackage.objects.visible_to(scope).filter(campaign=campaign, school=school)
    check = sending.package_check(people, day)
    context = {
        "campaign": campaign,
        "school": school,
        "people": people,
        "stances": stances,
        "progress": record_queries.person_stances(people, stances, day),
        "proposals": record_queries.pending_own_topics(people),
        "package": packages.first(),
        "supervisor": supervisor_on(school, day),
        "package_form": forms.get("package_form") or PackageForm(),
        # What stands before sending, shown above the button (the service's own rule).
        "check": check,
        "confirm_form": forms.get("confirm_form") or _confirm_form(check),
    }
    status = 422 if forms else 200
    return render(request, "training/school_page.html", context, status=status)


@requires(Action.EVALUATE_TRAINING)
@require_GET
def school_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _school_page(request, _campaign(request, campaign_id), _school(request))


@requires(Action.EVALUATE_TRAINING)
@require_POST
def school_package(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, school = _campaign(request, campaign_id), _school(request)
    form = PackageForm(request.POST)
    people, _stances = record_queries.school_progress(
        campaign, scope_for(request), timezone.localdate()
    )
    confirm = _confirm_form(sending.package_check(people, timezone.localdate()), request.POST)
    if form.is_valid():
        confirmed = confirm.confirmed() if confirm and confirm.is_valid() else []
        try:
            package = services.submit_school_package(
                campaign,
                school,
                by=request.user,
                summary=form.cleaned_data["summary"],
                not_submitted=confirmed,
            )
        except services.TrainingError as error:
            # The box not ticked is said at the box; any other refusal above the form.
            if not (isinstance(error, sending.Unconfirmed) and confirm and confirm.errors):
                form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The package was sent to %(unit)s.") % {"unit": package.submitted_to}
            )
            return redirect("training:school_page", campaign.pk)
    bound = {"package_form": form, **({"confirm_form": confirm} if confirm else {})}
    return _school_page(request, campaign, school, **bound)


def _person_page(request: HttpRequest, enrolment: Enrolment, **forms: Any) -> HttpResponse:
    campaign = enrolment.campaign
    context = {
        "enrolment": enrolment,
        "campaign": campaign,
        "stances": record_queries.stances(
            list(campaign.milestones.all()), timezone.localdate(), enrolment
        ),
        "plan": plan_rows(enrolment),
        "submitted": record_queries.latest_version(enrolment, submitted=True),
        "versions": record_queries.versions(enrolment),
        "notes": enrolment.notes.select_related("material", "topic"),
        "own_topic_form": forms.get("own_topic_form"),
        "return_form": forms.get("return_form") or CommentForm(),
        "evaluate_form": forms.get("evaluate_form") or EvaluateForm(campaign=campaign),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "reopen_form": forms.get("reopen_form"),
    }
    status = 422 if forms else 200
    return render(request, "training/school_record.html", context, status=status)


@requires(Action.EVALUATE_TRAINING)
@require_GET
def school_record(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _person_page(request, _enrolment(request, enrolment_id))


def _act(
    request: HttpRequest,
    enrolment_id: int,
    name: str,
    form: forms.Form,
    act: Callable[[Enrolment, dict[str, Any]], object],
    done: str,
    *,
    back_to_school: bool = False,
) -> HttpResponse:
    """Fetch the person's record, validate, act through one service, or answer 422."""
    enrolment = _enrolment(request, enrolment_id)
    if form.is_valid():
        try:
            act(enrolment, form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            if back_to_school:
                return redirect("training:school_page", enrolment.campaign_id)
            return redirect("training:school_record", enrolment.pk)
    return _person_page(request, enrolment, **{name: form})


@requires(Action.EVALUATE_TRAINING)
@require_POST
def school_return(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def act(enrolment: Enrolment, data: dict[str, Any]) -> object:
        return services.return_report(enrolment, by=request.user, comment=data["comment"])

    form = CommentForm(request.POST)
    return _act(request, enrolment_id, "return_form", form, act, _("The report was returned."))


@requires(Action.EVALUATE_TRAINING)
@require_POST
def school_evaluate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def act(enrolment: Enrolment, data: dict[str, Any]) -> object:
        return services.evaluate(
            enrolment, by=request.user, grade=data["grade"], comment=data["comment"]
        )

    campaign = _enrolment(request, enrolment_id).campaign
    form = EvaluateForm(request.POST, campaign=campaign)
    return _act(request, enrolment_id, "evaluate_form", form, act, _("The report was evaluated."))


@requires(Action.EVALUATE_TRAINING)
@require_POST
def school_extend(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def act(enrolment: Enrolment, data: dict[str, Any]) -> object:
        return services.grant_extension(enrolment, by=request.user, **data)

    form = ExtensionForm(request.POST)
    return _act(request, enrolment_id, "extension_form", form, act, _("The extension was granted."))


@requires(Action.EVALUATE_TRAINING)
@require_POST
def school_reopen(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    def act(enrolment: Enrolment, data: dict[str, Any]) -> object:
        return services.reopen_topic_choice(enrolment, by=request.user)

    form = forms.Form(request.POST)
    return _act(request, enrolment_id, "reopen_form", form, act, _("Topic choice was reopened."))


@requires(Action.EVALUATE_TRAINING)
@require_POST
def school_own_topic(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Approve or reject a topic a person proposed; back to the school page's list."""
    form = OwnTopicDecisionForm(request.POST)
    approving = form.data.get("decision") == "approve"

    def act(enrolment: Enrolment, data: dict[str, Any]) -> object:
        return services.approve_own_topic(enrolment, by=request.user, approve=approving)

    done = _("The proposed topic was approved.") if approving else _("The topic was rejected.")
    return _act(request, enrolment_id, "own_topic_form", form, act, done, back_to_school=True)


urlpatterns: list[URLPattern] = [
    path("school/<int:campaign_id>/", school_page, name="school_page"),
    path("school/<int:campaign_id>/package/", school_package, name="school_package"),
    path("school/records/<int:enrolment_id>/", school_record, name="school_record"),
    path("school/records/<int:enrolment_id>/return/", school_return, name="school_return"),
    path("school/records/<int:enrolment_id>/evaluate/", school_evaluate, name="school_evaluate"),
    path("school/records/<int:enrolment_id>/extend/", school_extend, name="school_extend"),
    path("school/records/<int:enrolment_id>/reopen/", school_reopen, name="school_reopen"),
    path("school/records/<int:enrolment_id>/own-topic/", school_own_topic, name="school_own_topic"),
]
