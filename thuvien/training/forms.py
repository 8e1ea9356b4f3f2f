"""Forms of the campaign screens: they parse and validate input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from thuvien.access import Scope
from thuvien.core import uploads
from thuvien.core.form_help import SECTION_MAX_CHARS, MaxChars
from thuvien.core.widgets import DateInput
from thuvien.organisations.audience_widget import AudiencePicker
from thuvien.organisations.forms import SignerChoiceForm
from thuvien.organisations.models import Role, SchoolTier, Unit, UnitKind
from thuvien.training.models import Campaign, CampaignStatus, Scale, ScaleLevel
from thuvien.training.services import TARGETABLE_ROLES
from thuvien.training.services.common import CAMPAIGN_FIELDS, MAX_TOPICS_PER_PERSON

# Campaign tier field ← the school tier it targets.
TIER_FIELDS = {tier: Campaign.TIER_FIELDS[f"has_{tier}"] for tier in SchoolTier.values}
TEXT_FIELDS = (
    "number",
    "symbol",
    "issued_on",
    "place",
    "subject",
    "basis",
    "recipients",
    "copies_to",
)
MORE_FIELDS = (
    "purpose",
    "requirements",
    "school_year",
    "topics_per_person",
    "allow_own_topic",
    "report_guidance",
)
DATE_FIELDS = ("school_deadline", "office_deadline", "scale", "reminder_days")
LEVEL_FIELDS = ("passing_levels", "failing_levels")
MAX_LEVELS = 10
LEVEL_LENGTH = ScaleLevel._meta.get_field("label").max_length or 64
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
# Bullets people paste in front of list items ("- Hoàn thành tốt"), not part of a level's label.
BULLETS = "-–—•*+ \t"


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
    issuer = forms.TypedChoiceField(
        label=_("Issued by"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, years: list[int], issuers: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All school years"))] + [(y, f"{y}–{y + 1}") for y in years]
        issuer = self.fields["issuer"]
        assert isinstance(issuer, forms.TypedChoiceField)
        issuer.choices = [("", _("All issuers")), *issuers]


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
    topics_per_person = forms.IntegerField(
        label=_("Topics each person chooses"),
        min_value=1,
        max_value=MAX_TOPICS_PER_PERSON,
        initial=1,
        help_text=_(
            "From 1 to 10, at most the number of topics listed (checked when publishing). "
            "A person's own topic, when allowed, counts as one of them."
        ),
    )
    passing_levels = forms.CharField(
        label=_("Custom scale: passing levels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for a custom scale. One level per line, best first, "
            "e.g. “Hoàn thành tốt”, then “Hoàn thành”."
        ),
    )
    failing_levels = forms.CharField(
        label=_("Custom scale: failing levels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One level per line, best first, e.g. “Chưa hoàn thành”."),
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
            "copies_to": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "report_guidance": forms.Textarea(attrs={"rows": 3}),
            "target": AudiencePicker(),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = (
            Unit.objects.visible_to(scope).active().exclude(kind=UnitKind.PARTNER).order_by("path")
        )
        # The custom scale's levels right after the scale.
        order = [name for name in self.fields if name not in LEVEL_FIELDS]
        at = order.index("scale") + 1
        self.order_fields([*order[:at], *LEVEL_FIELDS, *order[at:]])
        if self.instance.pk:
            self.initial.setdefault("roles", self.instance.roles)
            tiers = [tier for tier, name in TIER_FIELDS.items() if getattr(self.instance, name)]
            self.initial.setdefault("tiers", tiers)
            if self.instance.scale == Scale.CUSTOM:
                levels = list(self.instance.scale_levels.all())
                for name, passes in zip(LEVEL_FIELDS, (True, False), strict=True):
                    lines = [level.label for level in levels if level.passes is passes]
                    self.initial.setdefault(name, "\n".join(lines))

    def _post_clean(self) -> None:
        """Only parse: the services check the campaign's rules (no model validation here)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scale") == Scale.CUSTOM:
            self._check_levels(
                _lines(data.get("passing_levels")), _lines(data.get("failing_levels"))
            )
        return data

    def _check_levels(self, passing: list[str], failing: list[str]) -> None:
        labels = passing + failing
        named = [("passing_levels", label) for label in passing]
        seen: set[str] = set()
        for name, label in named + [("failing_levels", label) for label in failing]:
            if len(label) > LEVEL_LENGTH:
                message = _("“%(label)s” is too long: a level has at most %(max)d characters.")
                self.add_error(name, message % {"label": label, "max": LEVEL_LENGTH})
            elif label.casefold() in seen:
                message = _("“%(label)s” is listed twice: give each level its own label.")
                self.add_error(name, message % {"label": label})
            seen.add(label.casefold())
        if not passing:
            self.add_error(
                "passing_levels",
                _("A custom scale needs at least one passing level, e.g. “Hoàn thành”."),
            )
        elif len(labels) < 2:
            self.add_error(
                "failing_levels",
                _("A custom scale needs at least two levels: add one, e.g. “Chưa hoàn thành”."),
            )
        if len(labels) > MAX_LEVELS:
            self.add_error(
                "passing_levels",
                _("A scale has at most %(max)d levels; this one has %(count)d.")
                % {"max": MAX_LEVELS, "count": len(labels)},
            )

    def custom_levels(self) -> list[tuple[str, bool]] | None:
        """The custom scale's levels, best first, with whether each passes; None for a preset."""
        data = self.cleaned_data
        if data.get("scale") != Scale.CUSTOM:
            return None
        passing, failing = _lines(data.get("passing_levels")), _lines(data.get("failing_levels"))
        return [(label, True) for label in passing] + [(label, False) for label in failing]

    def campaign_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in self._meta.fields or () if name in data}
        fields["roles"] = data["roles"]
        ticked = set(data.get("tiers") or ())
        fields.update({name: tier in ticked for tier, name in TIER_FIELDS.items()})
        # Only what the services take (a field they do not know yet stays out).
        return {name: value for name, value in fields.items() if name in CAMPAIGN_FIELDS}


def _lines(text: str | None) -> list[str]:
    """The non-empty lines of a textarea, without pasted bullets."""
    lines = (line.strip().lstrip(BULLETS).strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


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
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX), up to 20 MB."),
    )

    def clean_file(self) -> UploadedFile[bytes] | None:
        """Told by its content, stored under a safe name with the extension of its real kind."""
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            kind = uploads.check_upload(
                upload, kinds=uploads.OFFICE_AND_PDF, max_bytes=MATERIAL_MAX_BYTES
            )
        except uploads.UploadError as error:
            raise forms.ValidationError(str(error)) from error
        upload.name = uploads.safe_filename(upload.name or "", kind)
        return upload


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


class GuidanceForm(forms.Form):
    """The report guidance, published after the campaign ("month 3" of the letter)."""

    text = forms.CharField(
        label=_("Report guidance"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the report should contain, its length and format, how it is evaluated."),
    )


class LetterForm(SignerChoiceForm):
    """Who signs the letter: not stored on the campaign, given when downloading. A name typed
    here wins over the unit's signers (a draft for someone not yet on the list)."""

    position = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    signer = forms.CharField(label=_("Signer's name"), max_length=100, required=False)


class UnitReportForm(SignerChoiceForm):
    """The office's (or the Sở's) report; with `unit=`, who signs it among the unit's signers."""

    number = forms.IntegerField(label=_("Document number"), min_value=1, required=False)
    symbol = forms.CharField(
        label=_("Document symbol"),
        max_length=64,
        required=False,
        help_text=_("Starts with “BC-”, e.g. BC-PGDĐT. Empty: the usual one."),
    )
    place = forms.CharField(
        label=_("Place of issue"),
        max_length=128,
        required=False,
        help_text=_("Empty: the locality in the unit's name."),
    )
    results = forms.CharField(
        label=_("Results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[MaxChars(SECTION_MAX_CHARS)],
    )
    limitations = forms.CharField(
        label=_("Limitations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxChars(SECTION_MAX_CHARS)],
    )
    proposals = forms.CharField(
        label=_("Proposals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxChars(SECTION_MAX_CHARS)],
    )
