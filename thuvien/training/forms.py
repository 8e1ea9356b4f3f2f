"""Forms of the campaign screens: they parse and validate input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thuvien.organisations.access import Scope
from thuvien.organisations.forms import DateInput
from thuvien.organisations.models import Role, SchoolTier, Unit, UnitKind
from thuvien.training.models import Campaign, CampaignStatus, Scale
from thuvien.training.services import TARGETABLE_ROLES

# Campaign tier field ← the school tier it targets.
TIER_FIELDS = {tier: Campaign.TIER_FIELDS[f"has_{tier}"] for tier in SchoolTier.values}
TEXT_FIELDS = ("number", "symbol", "issued_on", "place", "subject", "basis", "recipients")
MORE_FIELDS = ("purpose", "requirements", "school_year", "allow_own_topic", "report_guidance")
DATE_FIELDS = ("school_deadline", "office_deadline", "scale", "reminder_days")


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by subject or symbol"), required=False)
    school_year = forms.TypedChoiceField(
        label=_("School year"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *CampaignStatus.choices],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All school years"))] + [(y, f"{y}–{y + 1}") for y in years]


class CampaignForm(forms.ModelForm[Campaign]):
    """The letter's fields and the targeting of a draft campaign (saved by the services)."""

    roles = forms.MultipleChoiceField(
        label=_("Roles to train"),
        choices=[(role, Role(role).label) for role in TARGETABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    tiers = forms.MultipleChoiceField(
        label=_("School tiers (none ticked: every tier)"),
        choices=SchoolTier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = ["target", *TEXT_FIELDS, *MORE_FIELDS, *DATE_FIELDS]
        widgets = {
            "issued_on": DateInput(),
            "school_deadline": DateInput(),
            "office_deadline": DateInput(),
            "basis": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "report_guidance": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = (
            Unit.objects.visible_to(scope).active().exclude(kind=UnitKind.PARTNER).order_by("path")
        )
        scale = self.fields["scale"]
        assert isinstance(scale, forms.ChoiceField)
        # A custom scale needs its levels, which this form does not edit yet.
        scale.choices = [c for c in Scale.choices if c[0] != Scale.CUSTOM]
        if self.instance.pk:
            self.initial.setdefault("roles", self.instance.roles)
            tiers = [tier for tier, name in TIER_FIELDS.items() if getattr(self.instance, name)]
            self.initial.setdefault("tiers", tiers)

    def _post_clean(self) -> None:
        """Only parse: the services check the campaign's rules (no model validation here)."""

    def campaign_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in self._meta.fields or () if name in data}
        fields["roles"] = data["roles"]
        ticked = set(data.get("tiers") or ())
        fields.update({name: tier in ticked for tier, name in TIER_FIELDS.items()})
        return fields


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    author = forms.CharField(label=_("Author / editor"), max_length=255, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=255, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=255)
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End"), widget=DateInput())
    expected_output = forms.CharField(label=_("Expected output"), max_length=500, required=False)
    locks_topic_choice = forms.BooleanField(
        label=_("The optional part starts here (topic choices lock)"), required=False
    )


PART_FORMS: dict[str, type[forms.Form]] = {
    "topic": TopicForm,
    "material": MaterialForm,
    "milestone": MilestoneForm,
}


class RemovePartForm(forms.Form):
    item = forms.IntegerField(min_value=1)


class LetterForm(forms.Form):
    """Who signs the letter: not stored on the campaign, given when downloading."""

    position = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    signer = forms.CharField(label=_("Signer's name"), max_length=100, required=False)
