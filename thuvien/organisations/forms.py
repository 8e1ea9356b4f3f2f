"""Forms of the organisation screens: they parse and validate input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuvien.access import Scope
from thuvien.core.widgets import DateInput
from thuvien.organisations.models import (
    Authority,
    ReaderCategory,
    Role,
    SchoolTier,
    Unit,
    UnitKind,
    current_school_year,
)


class ScopedChoicesForm(forms.Form):
    """A form whose unit choices are limited to the person's scope."""

    def _choices(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


def supervising_choices(scope: Scope) -> Any:
    """Units in scope that can have units below them (department and offices)."""
    return (
        Unit.objects.visible_to(scope)
        .active()
        .filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.OFFICE])
        .order_by("path")
    )


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or code"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *SchoolTier.choices]
    )
    within = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class UnitForm(ScopedChoicesForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255)
    code = forms.CharField(label=_("Ministry code"), max_length=32, required=False)
    parent = forms.ModelChoiceField(
        label=_("Supervising unit"), queryset=Unit.objects.none(), required=False
    )
    tiers = forms.MultipleChoiceField(
        label=_("Tiers (schools only)"),
        choices=SchoolTier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    governing_body = forms.CharField(
        label=_("Governing body"),
        max_length=255,
        required=False,
        help_text=Unit._meta.get_field("governing_body").help_text,
    )
    symbol = forms.CharField(
        label=_("Document symbol"),
        max_length=32,
        required=False,
        help_text=Unit._meta.get_field("symbol").help_text,
    )

    def __init__(self, *args: Any, scope: Scope, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("parent", supervising_choices(scope))
        if editing:
            # Kind and place in the tree change through their own screens (move, merge).
            del self.fields["kind"]
            del self.fields["parent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == UnitKind.SCHOOL and not data.get("tiers"):
            self.add_error("tiers", _("Tick at least one tier for a school."))
        return data

    def unit_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        tiers = set(data.get("tiers") or [])
        fields = {
            "name": data["name"],
            "code": data["code"].strip() or None,
            "address": data["address"],
            "phone": data["phone"],
            "email": data["email"],
            "governing_body": data["governing_body"],
            "symbol": data["symbol"].strip().upper(),
        }
        fields.update({field: tier in tiers for tier, field in Unit.TIER_FIELDS.items()})
        return fields

    @staticmethod
    def initial_for(unit: Unit) -> dict[str, Any]:
        return {
            "name": unit.name,
            "code": unit.code or "",
            "address": unit.address,
            "phone": unit.phone,
            "email": unit.email,
            "governing_body": unit.governing_body,
            "symbol": unit.symbol,
            "tiers": unit.tiers,
        }


class MoveUnitForm(ScopedChoicesForm):
    new_parent = forms.ModelChoiceField(
        label=_("New supervising unit"), queryset=Unit.objects.none()
    )
    on = forms.DateField(label=_("From date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason or decision number"), max_length=255, required=False)

    def __init__(self, *args: Any, scope: Scope, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("new_parent", supervising_choices(scope).exclude(path__startswith=unit.path))


class MergeUnitForm(ScopedChoicesForm):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Unit.objects.none())
    on = forms.DateField(label=_("From date"), widget=DateInput(), initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_("I understand: this unit's units and people move over, and it becomes inactive.")
    )

    def __init__(self, *args: Any, scope: Scope, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices(
            "into",
            Unit.objects.visible_to(scope)
            .active()
            .filter(kind=unit.kind)
            .exclude(path__startswith=unit.path)
            .order_by("name"),
        )


class YearStatsForm(forms.Form):
    year = forms.IntegerField(
        label=_("School year starting in"),
        min_value=1990,
        max_value=2200,
        initial=current_school_year,
    )
    students = forms.IntegerField(label=_("Students"), min_value=0)
    teachers = forms.IntegerField(label=_("Teachers"), min_value=0)
    classes = forms.IntegerField(label=_("Classes"), min_value=0, required=False)


class MembershipForm(forms.Form):
    login = forms.CharField(label=_("Username or e-mail of the person"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reader_category = forms.ChoiceField(
        label=_("Reader category"),
        choices=[("", "—"), *ReaderCategory.choices],
        required=False,
    )
    valid_from = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    valid_to = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    def clean_login(self) -> Any:
        User = get_user_model()
        login = self.cleaned_data["login"].strip()
        users = list(User.objects.filter(username__iexact=login)[:1]) or list(
            User.objects.filter(email__iexact=login)[:1]
        )
        if not users:
            raise forms.ValidationError(
                _("No account has this username or e-mail. Create it first, or import staff.")
            )
        return users[0]


class EndMembershipForm(forms.Form):
    on = forms.DateField(label=_("Last day"), widget=DateInput(), initial=timezone.localdate)


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name, username or e-mail"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class SignerForm(forms.Form):
    """One signer of a unit; `signer` names the one edited (empty: a new one)."""

    signer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    position = forms.CharField(
        label=_("Position"), max_length=100, help_text=_("e.g. Giám đốc, Phó Giám đốc.")
    )
    authority = forms.ChoiceField(label=_("Authority"), choices=Authority.choices, required=False)
    on_behalf_of = forms.CharField(
        label=_("Signs for"),
        max_length=100,
        required=False,
        help_text=_("With KT., TL. or TUQ.: the head's position, e.g. Giám đốc."),
    )
    is_head = forms.BooleanField(label=_("Signs the unit's documents by default"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    def signer_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "signer"}

    @staticmethod
    def initial_for(signer: Any) -> dict[str, Any]:
        fields = ("full_name", "position", "authority", "on_behalf_of", "is_head", "order")
        return {"signer": signer.pk, **{name: getattr(signer, name) for name in fields}}


class RemoveSignerForm(forms.Form):
    signer = forms.IntegerField(min_value=1)


class SignerChoiceForm(forms.Form):
    """A document's signer, chosen among the issuing unit's (`unit=`; its head by default)."""

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is None:
            return
        field = forms.ModelChoiceField(
            label=_("Signed by"),
            queryset=unit.signers.all(),
            required=False,
            empty_label=_("The head of the unit"),
            help_text=_("The unit's signers are kept on its page."),
        )
        self.fields = {"signatory": field, **self.fields}
