"""The desk's forms: they parse and validate input only (the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from thuvien.circulation.models import Closure, LoanRule, Reader, ReaderKind
from thuvien.core.widgets import DateInput


class ReaderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reader type"), choices=ReaderKind.choices)
    code = forms.CharField(
        label=_("Reader code"),
        max_length=30,
        help_text=_("The student's code from the school-management system, or the staff code."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    class_name = forms.CharField(label=_("Class"), max_length=20, required=False)
    grade = forms.IntegerField(label=_("School grade"), min_value=1, max_value=12, required=False)
    school_year = forms.IntegerField(
        label=_("School year (starting year)"), min_value=2000, max_value=2100, required=False
    )

    @classmethod
    def initial_of(cls, reader: Reader) -> dict[str, Any]:
        return {name: getattr(reader, name) for name in cls.base_fields}


class StartYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("New school year (starting year)"), min_value=2000, max_value=2100
    )
    last_grade = forms.IntegerField(
        label=_("Last grade of the school"),
        min_value=1,
        max_value=12,
        help_text=_("Students of this grade leave the school: they are deactivated."),
    )


class LoanRuleForm(forms.ModelForm[LoanRule]):
    class Meta:
        model = LoanRule
        fields = [
            "reader_kind",
            "collection",
            "loan_days",
            "max_items",
            "renewals",
            "holds_allowed",
            "fixed_due_on",
        ]
        widgets = {"fixed_due_on": DateInput}

    def __init__(self, *args: Any, collections: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["collection"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = collections
        field.empty_label = str(_("Every collection"))

    def clean_loan_days(self) -> int:
        days = self.cleaned_data["loan_days"]
        if not 1 <= days <= 366:
            raise forms.ValidationError(_("A loan period is 1 to 366 days."))
        return int(days)

    def clean_max_items(self) -> int:
        items = self.cleaned_data["max_items"]
        if not 1 <= items <= 100:
            raise forms.ValidationError(_("A reader may hold 1 to 100 items."))
        return int(items)


class ClosureForm(forms.ModelForm[Closure]):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The closure ends before it starts."))
        return data


class WeekdaysForm(forms.Form):
    closed = forms.MultipleChoiceField(
        label=_("Closed every week on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("0", _("Monday")),
            ("1", _("Tuesday")),
            ("2", _("Wednesday")),
            ("3", _("Thursday")),
            ("4", _("Friday")),
            ("5", _("Saturday")),
            ("6", _("Sunday")),
        ],
    )
