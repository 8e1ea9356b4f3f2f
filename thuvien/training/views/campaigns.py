"""Campaign screens: the list of campaigns that reach the scope (the archive, by school year), a
campaign's page and letter, and for its issuer (department or office officers) the draft's forms
(with a custom scale and material files), publish, the report guidance published later, close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import (
    Action,
    allows,
    file_response,
    get_scoped_or_404,
    requires,
    scope_for,
)
from thuvien.core.htmx import render_page_or_partial
from thuvien.documents import official_filename, render_docx, render_pdf
from thuvien.organisations.models import Unit
from thuvien.training import letters, queries, services
from thuvien.training.forms import (
    PART_FORMS,
    CampaignFilterForm,
    CampaignForm,
    GuidanceForm,
    LetterForm,
    RemovePartForm,
)
from thuvien.training.models import Campaign, CampaignStatus, Material, Milestone, Topic

PAGE_SIZE = 50
PART_MODELS: dict[str, type[Topic | Material | Milestone]] = {
    "topic": Topic,
    "material": Material,
    "milestone": Milestone,
}
PART_SERVICES: dict[str, Callable[..., object]] = {
    "topic": services.add_topic,
    "material": services.add_material,
    "milestone": services.add_milestone,
}
GUIDANCE_REFUSALS: dict[str, Promise] = {
    CampaignStatus.DRAFT: gettext_lazy(
        "This campaign is still a draft: write its report guidance in the campaign form (Edit)."
    ),
    CampaignStatus.CLOSED: gettext_lazy(
        "This campaign is closed; its report guidance can no longer change."
    ),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _visible(request: HttpRequest, campaign_id: int, action: Action | None = None) -> Campaign:
    queryset = Campaign.objects.select_related("issuer", "target", "created_by")
    return get_scoped_or_404(queryset, scope_for(request), action, pk=campaign_id)


def _own(request: HttpRequest, campaign_id: int) -> Campaign:
    """A campaign the person's unit issued: out of sight → 404, someone else's → 403 (the
    campaign's policy for MANAGE_CAMPAIGNS)."""
    return _visible(request, campaign_id, Action.MANAGE_CAMPAIGNS)


@requires(Action.VIEW_TRAINING)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = CampaignFilterForm(
        request.GET, years=queries.school_years(scope), issuers=queries.issuers(scope)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    campaigns = queries.campaigns_in_scope(scope, filters)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query_string": params.urlencode()}
    return render_page_or_partial(request, "training/campaign_list.html", "results", context)


@requires(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = CampaignForm(request.POST or None, scope=scope, initial={"target": scope.unit})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = _save(form, request.user, issuer=scope.unit)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft campaign was created."))
            return redirect("training:campaign_detail", campaign.pk)
    return _form_page(request, form, _("New campaign"))


def _save(
    form: CampaignForm, by: Any, *, issuer: Unit | None = None, campaign: Campaign | None = None
) -> Campaign:
    """Create or update the draft, then its custom scale's levels: both or neither."""
    with transaction.atomic():
        if campaign is None:
            assert issuer is not None
            campaign = services.create_campaign(issuer, by=by, **form.campaign_fields())
        else:
            services.update_campaign(campaign, by=by, **form.campaign_fields())
        levels = form.custom_levels()
        if levels is not None:
            services.set_custom_scale(campaign, levels=levels)
    return campaign


def _form_page(
    request: HttpRequest, form: BaseForm, title: str, campaign: Campaign | None = None
) -> HttpResponse:
    status = 422 if form.errors else 200
    context = {"form": form, "title": title, "campaign": campaign}
    return render(request, "training/campaign_form.html", context, status=status)


@requires(Action.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _own(request, campaign_id)
    form = CampaignForm(request.POST or None, scope=scope_for(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            _save(form, request.user, campaign=campaign)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:campaign_detail", campaign.pk)
    return _form_page(request, form, _("Edit %(subject)s") % {"subject": campaign}, campaign)


def _detail_page(
    request: HttpRequest, campaign: Campaign, bound: dict[str, BaseForm] | None = None
) -> HttpResponse:
    scope = scope_for(request)
    unit = scope.unit
    is_issuer = allows(scope, Action.MANAGE_CAMPAIGNS, campaign)
    part_forms: dict[str, BaseForm] = {part: cls() for part, cls in PART_FORMS.items()}
    part_forms.update(bound or {})
    guidance = GuidanceForm(initial={"text": campaign.report_guidance})
    context: dict[str, Any] = {
        "campaign": campaign,
        "is_issuer": is_issuer,
        "editable": is_issuer and campaign.status == CampaignStatus.DRAFT,
        "can_guide": is_issuer and campaign.status == CampaignStatus.PUBLISHED,
        # The principal's school page exists once the campaign is out.
        "can_evaluate": scope.can(Action.EVALUATE_TRAINING)
        and unit is not None
        and unit.is_school
        and campaign.status != CampaignStatus.DRAFT,
        # Offices and the department follow their schools once the campaign is out.
        "can_review": scope.can(Action.REVIEW_PACKAGES)
        and unit is not None
        and unit.is_supervising
        and campaign.status != CampaignStatus.DRAFT,
        "part_forms": part_forms,
        "guidance_form": part_forms.pop("guidance", guidance),
        "letter_form": LetterForm(unit=campaign.issuer),
        **queries.campaign_page(campaign, scope),
    }
    status = 422 if bound else 200
    return render(request, "training/campaign_detail.html", context, status=status)


@requires(Action.VIEW_TRAINING)
@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _detail_page(request, _visible(request, campaign_id))


@requires(Action.MANAGE_CAMPAIGNS)
@require_POST
def campaign_add_part(request: HttpRequest, campaign_id: int, part: str) -> HttpResponse:
    campaign = _own(request, campaign_id)
    form = PART_FORMS[part](request.POST, request.FILES)
    if form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if value is not None}
        try:
            PART_SERVICES[part](campaign, **fields)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added."))
            return redirect("training:campaign_detail", campaign.pk)
    return _detail_page(request, campaign, {part: form})


@requires(Action.MANAGE_CAMPAIGNS)
@require_POST
def campaign_remove_part(request: HttpRequest, campaign_id: int, part: str) -> HttpResponse:
    campaign = _own(request, campaign_id)
    form = RemovePartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was removed: choose an item."))
        return redirect("training:campaign_detail", campaign.pk)
    try:
        services.remove_part(campaign, PART_MODELS[part], form.cleaned_data["item"])
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed."))
    return redirect("training:campaign_detail", campaign.pk)


@requires(Action.MANAGE_CAMPAIGNS)
@require_POST
def campaign_publish(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _own(request, campaign_id)
    already = campaign.status == CampaignStatus.PUBLISHED
    try:
        enrolled = services.publish_campaign(campaign, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        if already and not enrolled:
            messages.info(request, _("The campaign was already published; nothing changed."))
        else:
            text = ngettext(
                "The campaign is published; %(count)d person was enrolled.",
                "The campaign is published; %(count)d people were enrolled.",
                enrolled,
            )
            messages.success(request, text % {"count": enrolled})
    return redirect("training:campaign_detail", campaign.pk)


@requires(Action.MANAGE_CAMPAIGNS)
@require_POST
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _own(request, campaign_id)
    try:
        services.close_campaign(campaign, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The campaign is closed."))
    return redirect("training:campaign_detail", campaign.pk)


@requires(Action.MANAGE_CAMPAIGNS)
@require_POST
def campaign_guidance(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The report guidance, published (or updated) on a published campaign by its issuer."""
    campaign = _own(request, campaign_id)
    form = GuidanceForm(request.POST)
    refusal = GUIDANCE_REFUSALS.get(campaign.status)
    if refusal is not None:
        form.add_error(None, str(refusal))
    if form.is_valid():
        try:
            services.publish_report_guidance(
                campaign, text=form.cleaned_data["text"], by=request.user
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report guidance is published."))
            return redirect("training:campaign_detail", campaign.pk)
    return _detail_page(request, campaign, {"guidance": form})


@requires(Action.VIEW_TRAINING)
@require_GET
def campaign_letter(request: HttpRequest, campaign_id: int, fmt: str) -> HttpResponse:
    campaign = _visible(request, campaign_id)
    form = LetterForm(request.GET, unit=campaign.issuer)
    given = form.cleaned_data if form.is_valid() else {}
    position, signer = letters.default_signature(campaign, request.user)
    document = letters.campaign_letter(
        campaign,
        position=given.get("position") or position,
        signer=given.get("signer") or signer,
        signatory=given.get("signatory"),
    )
    content = render_pdf(document) if fmt == "pdf" else render_docx(document)
    return file_response(content, official_filename(document, fmt), content_type=CONTENT_TYPES[fmt])


def _part_urls(part: str, plural: str) -> list[URLPattern]:
    return [
        path(
            f"<int:campaign_id>/{plural}/add/",
            campaign_add_part,
            {"part": part},
            name=f"campaign_add_{part}",
        ),
        path(
            f"<int:campaign_id>/{plural}/remove/",
            campaign_remove_part,
            {"part": part},
            name=f"campaign_remove_{part}",
        ),
    ]


urlpatterns: list[URLPattern] = [
    path("", campaign_list, name="campaign_list"),
    path("new/", campaign_create, name="campaign_create"),
    path("<int:campaign_id>/", campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/edit/", campaign_edit, name="campaign_edit"),
    path("<int:campaign_id>/publish/", campaign_publish, name="campaign_publish"),
    path("<int:campaign_id>/close/", campaign_close, name="campaign_close"),
    path("<int:campaign_id>/guidance/", campaign_guidance, name="campaign_guidance"),
    path("<int:campaign_id>/letter.pdf", campaign_letter, {"fmt": "pdf"}, name="campaign_pdf"),
    path("<int:campaign_id>/letter.docx", campaign_letter, {"fmt": "docx"}, name="campaign_docx"),
    *_part_urls("topic", "topics"),
    *_part_urls("material", "materials"),
    *_part_urls("milestone", "milestones"),
]
