"""The forms of the frameworks' pages: a framework file to import, a criterion to correct."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thuvien.standards.models import Criterion, Judgement, Operator, Per, Tier


class FrameworkFileForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file"),
        help_text=_("A .yaml or .xlsx file exported by ThuVien (here or in another province)."),
    )
    note = forms.CharField(
        label=_("What changes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmImportForm(forms.Form):
    """The checked file, signed into the preview page: confirming does not upload it again."""

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    note = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Requirement (Vietnamese)"), max_length=300)
    name_en = forms.CharField(label=_("Requirement (English)"), max_length=300, required=False)
    article = forms.CharField(label=_("Article and clause"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    tiers = forms.MultipleChoiceField(
        label=_("Tiers"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )
    judgement = forms.ChoiceField(label=_("Judged by"), choices=Judgement.choices)
    operator = forms.ChoiceField(
        label=_("Comparison"), choices=[("", "—"), *Operator.choices], required=False
    )
    threshold = forms.DecimalField(
        label=_("Threshold"), max_digits=12, decimal_places=2, required=False
    )
    per = forms.ChoiceField(label=_("Counted"), choices=[("", "—"), *Per.choices], required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    verified = forms.BooleanField(label=_("Checked against the regulation's text"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    change = forms.CharField(
        label=_("What you changed and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the new version, for the assessors and other provinces."),
    )

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        initial = {
            "name": criterion.name,
            "name_en": criterion.name_en,
            "article": criterion.article,
            "level": criterion.level.code if criterion.level else "",
            "tiers": criterion.tiers,
            "judgement": criterion.judgement,
            "operator": criterion.operator,
            "threshold": criterion.threshold,
            "per": criterion.per,
            "unit": criterion.unit_label,
            "verified": criterion.verified,
            "note": criterion.note,
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        levels = criterion.version.levels.all()
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = [("", _("Not known")), *((lv.code, lv.name) for lv in levels)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("judgement") == Judgement.THRESHOLD:
            for name, message in (
                ("operator", _("Choose how the value is compared with the threshold.")),
                ("threshold", _("Give the threshold number.")),
                ("per", _("Choose what the threshold is counted against.")),
            ):
                if data.get(name) in (None, ""):
                    self.add_error(name, message)
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "name_en": data["name_en"],
            "article": data["article"],
            "level": data["level"] or None,
            "tiers": list(data["tiers"]),
            "judgement": data["judgement"],
            "operator": data["operator"],
            "threshold": data["threshold"],
            "per": data["per"],
            "unit": data["unit"],
            "verified": data["verified"],
            "note": data["note"],
        }
