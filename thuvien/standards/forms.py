"""The forms of the frameworks' pages: a framework file to import, a criterion to correct."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thuvien.core import indicators
from thuvien.core.widgets import DateInput, MoneyField
from thuvien.standards.models import (
    Criterion,
    Judgement,
    LibraryProfile,
    Operator,
    Per,
    PlanActionStatus,
    Tier,
)


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
    code = forms.CharField(
        label=_("Code"), max_length=60, help_text=_("Unique in the framework, e.g. TRH.CSVC.1.")
    )
    group = forms.ChoiceField(label=_("Group"))
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
    metric = forms.ChoiceField(
        label=_("Counted by the platform as"),
        required=False,
        help_text=_("An indicator the platform computes; empty: the school enters the value."),
    )
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

    def __init__(
        self,
        *args: Any,
        criterion: Criterion | None = None,
        version: Any = None,
        **kwargs: Any,
    ) -> None:
        """Correcting `criterion`, or adding one to `version` (no initial values)."""
        version = criterion.version if criterion is not None else version
        initial = (
            {}
            if criterion is None
            else {
                "code": criterion.code,
                "group": criterion.group.code,
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
        )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if criterion is not None:  # a criterion's code and group stay as they are
            del self.fields["code"], self.fields["group"]
        else:
            group_field = self.fields["group"]
            assert isinstance(group_field, forms.ChoiceField)
            group_field.choices = [(g.code, g.name) for g in version.groups.all()]
        metric = self.fields["metric"]
        assert isinstance(metric, forms.ChoiceField)
        known = [(i.code, f"{i.label} ({i.code})") for i in indicators.registered()]
        current = criterion.metric if criterion is not None else ""
        if current and current not in {code for code, _label in known}:
            known.append((current, current))  # a metric a later app will count
        metric.choices = [("", "—"), *known]
        levels = version.levels.all()
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
        added = {"code": data["code"], "group": data["group"]} if "code" in data else {}
        return {
            **added,
            "name": data["name"],
            "name_en": data["name_en"],
            "article": data["article"],
            "level": data["level"] or None,
            "tiers": list(data["tiers"]),
            "judgement": data["judgement"],
            "operator": data["operator"],
            "threshold": data["threshold"],
            "per": data["per"],
            "metric": data["metric"],
            "unit": data["unit"],
            "verified": data["verified"],
            "note": data["note"],
        }


# --- the self-assessment ------------------------------------------------------------------------

MET_CHOICES = [("", _("Not judged yet")), ("yes", _("Met")), ("no", _("Not met"))]


class ValuesForm(forms.Form):
    """One row of fields per criterion: the number entered, met or not, an explanation."""

    summary = forms.CharField(
        label=_("The library's own summary"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, values: list[Any], summary: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].initial = summary
        self.rows = values
        for value in values:
            key = value.criterion_id
            self.fields[f"entered_{key}"] = forms.DecimalField(
                label=_("Value"),
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=value.entered,
                min_value=0,
                localize=True,  # "3,5" in Vietnamese
            )
            self.fields[f"met_{key}"] = forms.ChoiceField(
                label=_("Met"),
                choices=MET_CHOICES,
                required=False,
                initial={True: "yes", False: "no"}.get(value.met_entered, ""),
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Explanation"), required=False, max_length=2000, initial=value.note
            )

    def entries(self) -> dict[int, tuple[Any, bool | None, str]]:
        data = self.cleaned_data
        return {
            value.criterion_id: (
                data.get(f"entered_{value.criterion_id}"),
                {"yes": True, "no": False}.get(data.get(f"met_{value.criterion_id}") or ""),
                data.get(f"note_{value.criterion_id}") or "",
            )
            for value in self.rows
        }


class EvidenceForm(forms.Form):
    value = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Evidence"),
        help_text=_("A PDF, Word, Excel or PowerPoint document, or a photo (at most 20 MB)."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What to change"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    check_notes = forms.CharField(
        label=_("On-site check notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecognitionForm(forms.Form):
    level = forms.ChoiceField(label=_("Level recognised"), required=False)
    decision_number = forms.CharField(
        label=_("Decision number and symbol"),
        max_length=100,
        help_text=_("For example 123/QĐ-SGDĐT."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: five years from the decision."),
    )
    check_notes = forms.CharField(
        label=_("On-site check notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, levels: list[Any], claimed: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No level reached")), *((str(lv.pk), lv.name) for lv in levels)]
        field.initial = str(claimed.pk) if claimed else ""
        self.levels = {str(lv.pk): lv for lv in levels}

    def chosen_level(self) -> Any:
        return self.levels.get(self.cleaned_data.get("level") or "")


class WindowForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    framework_version = forms.ChoiceField(label=_("Framework"))
    target = forms.ChoiceField(
        label=_("Schools of"), help_text=_("The whole department, or one office's schools.")
    )
    year = forms.IntegerField(
        label=_("School year (starting year)"), min_value=2000, max_value=2200
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    department_tiers = forms.MultipleChoiceField(
        label=_("Recognised by the department"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[Tier.UPPER_SECONDARY],
        help_text=_(
            "Schools with one of these tiers are recognised by the department; every other "
            "school by its office."
        ),
    )

    def __init__(self, *args: Any, versions: list[Any], targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework_version"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(v.pk), f"{v.framework.name} (v{v.number})") for v in versions]
        self.versions = {str(v.pk): v for v in versions}
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [(str(unit.pk), unit.name) for unit in targets]
        self.targets = {str(unit.pk): unit for unit in targets}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The window must close on or after the day it opens."))
        return data


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LibraryProfile
        localized_fields = "__all__"  # "55,5" m² in Vietnamese
        field_classes = {"budget_vnd": MoneyField}  # "150.000.000"
        fields = [
            "reading_room_m2", "stack_m2", "other_m2", "open_space_m2", "reading_rooms", "seats",
            "open_corners", "green_corners", "computers", "equipment", "opening_hours",
            "open_hours_per_week", "budget_vnd",
        ]  # fmt: skip
        widgets = {"equipment": forms.Textarea(attrs={"rows": 3})}


# --- the development plan -----------------------------------------------------------------------

ACTION_FIELDS = ("title", "owner", "due_on", "budget_vnd", "status", "note")


class PlanActionsForm(forms.Form):
    """One row of fields per action of the plan."""

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = actions
        for action in actions:
            key = action.pk
            self.fields[f"title_{key}"] = forms.CharField(
                label=_("Action"), max_length=500, initial=action.title
            )
            self.fields[f"owner_{key}"] = forms.CharField(
                label=_("Who does it"), max_length=200, required=False, initial=action.owner
            )
            self.fields[f"due_on_{key}"] = forms.DateField(
                label=_("Due on"), required=False, initial=action.due_on, widget=DateInput()
            )
            self.fields[f"budget_vnd_{key}"] = MoneyField(
                label=_("Estimated budget (VND)"),
                required=False,
                min_value=0,
                initial=action.budget_vnd,
            )
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=_("Status"), choices=PlanActionStatus.choices, initial=action.status
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note"), max_length=2000, required=False, initial=action.note
            )

    def rows(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            action.pk: {name: data.get(f"{name}_{action.pk}") for name in ACTION_FIELDS}
            for action in self.actions
        }

    def row_fields(self, action: Any) -> list[Any]:
        return [self[f"{name}_{action.pk}"] for name in ACTION_FIELDS]


class NewActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.CharField(label=_("Who does it"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    budget_vnd = MoneyField(label=_("Estimated budget (VND)"), required=False, min_value=0)


class WindowDatesForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
