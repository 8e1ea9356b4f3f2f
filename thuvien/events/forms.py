"""Forms of the organising screens: they parse and validate input; the rules live in services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from thuvien.access import Scope
from thuvien.core.folding import fold
from thuvien.core.widgets import DateInput
from thuvien.events.models import Agreement, Event, EventSession, RegistrationStatus, Theme
from thuvien.events.services.organising import TARGETABLE_ROLES
from thuvien.organisations.audience_widget import AudiencePicker
from thuvien.organisations.forms import SignerChoiceForm
from thuvien.organisations.models import Membership, Role, SchoolTier, Unit, UnitKind

# Event tier field ← the school tier it targets.
TIER_FIELDS = {tier: Event.TIER_FIELDS[f"has_{tier}"] for tier in SchoolTier.values}
EVENT_TEXT = ("title", "description", "starts_on", "ends_on", "venue", "venue_address")
EVENT_MORE = ("capacity", "registration_closes_on", "number", "symbol", "place", "photos_public")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def reachable_units(scope: Scope) -> QuerySet[Unit]:
    """Units an organiser may name (audience, co-organisers): their own scope and the units
    above it (a partner's trainer reaches the department that supervises the partner)."""
    unit = scope.unit
    if unit is None:
        return Unit.objects.none()
    above = Q(pk__in=unit.ancestor_ids())
    return Unit.objects.active().filter(above | Q(pk__in=Unit.objects.visible_to(scope)))


def agreements_for(scope: Scope) -> QuerySet[Agreement]:
    """Agreements of the scope whose partner is in the department's own tree."""
    return (
        Agreement.objects.visible_to(scope)
        .filter(partner__path__startswith=F("department__path"))
        .select_related("partner", "department")
    )


class EventSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by title"), required=False)


class EventForm(forms.ModelForm[Event]):
    """The event, its audience and its invitation's number (saved by the services)."""

    roles = forms.MultipleChoiceField(
        label=_("Audience roles"),
        choices=[(role, Role(role).label) for role in TARGETABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: only people you invite or principals nominate."),
    )
    tiers = forms.MultipleChoiceField(
        label=_("School tiers (none ticked: every tier)"),
        choices=SchoolTier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [*EVENT_TEXT, "target", "agreement", *EVENT_MORE]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "registration_closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "target": AudiencePicker(),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = reachable_units(scope).order_by("path")
        self._set_queryset("target", units.exclude(kind=UnitKind.PARTNER))
        own = [scope.unit.pk] if scope.unit else []
        self._set_queryset("co_organisers", units.exclude(pk__in=own))
        self._set_queryset("agreement", agreements_for(scope))
        if self.instance.pk:
            self.initial.setdefault("roles", self.instance.roles)
            tiers = [tier for tier, name in TIER_FIELDS.items() if getattr(self.instance, name)]
            self.initial.setdefault("tiers", tiers)
            self.initial.setdefault("co_organisers", list(self.instance.co_organisers.all()))

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def _post_clean(self) -> None:
        """Only parse: the services check the event's rules."""

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in (*EVENT_TEXT, *EVENT_MORE, "target", "agreement")}
        fields["symbol"] = fields["symbol"] or ""
        fields["roles"] = data["roles"]
        for tier, name in TIER_FIELDS.items():
            fields[name] = tier in data["tiers"]
        return fields


class SessionForm(forms.ModelForm[EventSession]):
    class Meta:
        model = EventSession
        fields = ["title", "theme", "speaker", "starts_at", "ends_at", "venue", "is_site_visit"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.queryset = Theme.objects.filter(active=True)
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]

    def _post_clean(self) -> None:
        """Only parse: the services check the session's rules."""

    def session_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AgreementForm(forms.ModelForm[Agreement]):
    signed_file = forms.FileField(
        label=_("Signed copy (PDF or DOCX)"),
        required=False,
        help_text=_("A scan of the signed agreement, at most 20 MB."),
    )

    class Meta:
        model = Agreement
        fields = ["partner", "title", "reference", "signed_on", "valid_from", "valid_until",
                  "scope_text"]  # fmt: skip
        widgets = {
            "signed_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "scope_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = Unit.objects.visible_to(scope).filter(kind=UnitKind.PARTNER)

    def _post_clean(self) -> None:
        """Only parse: the services check the agreement's rules."""

    def parties(self, scope: Scope) -> tuple[Unit, Unit]:
        """(partner, department): the department is the scope's, or the one above the partner."""
        partner: Unit = self.cleaned_data["partner"]
        if scope.unit is not None and scope.unit.kind == UnitKind.DEPARTMENT:
            return partner, scope.unit
        root = Unit.objects.filter(pk__in=partner.ancestor_ids()[:1]).first()
        return partner, root or partner

    def agreement_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("partner")
        return data


class SignatureForm(SignerChoiceForm):
    """Who signs the downloaded invitation, for its organisers: with `unit=` (the organiser), one
    of its signers (default: its head signer, else its head over a blank name line, signed by
    hand); a name typed wins (a draft for someone not yet on the list)."""

    position = forms.CharField(label=_("Position of the signer"), required=False, max_length=100)
    signer = forms.CharField(label=_("Signer's name"), required=False, max_length=100)


class PeopleField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class NominateForm(forms.Form):
    people = PeopleField(
        label=_("Staff to register"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one person to register.")},
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.fields["people"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = staff


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the people registered)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Inviting named people -------------------------------------------------------------------

MAX_MATCHES = 50


def invitable_memberships(event: Event) -> QuerySet[Membership]:
    """Current school-staff memberships (librarian, teacher-librarian, principal) in the active
    schools of the organiser's reach: the department whose tree the organiser belongs to."""
    root = "/".join(event.organiser.path.split("/")[:2]) + "/"
    schools = Unit.objects.schools().active().filter(path__startswith=root)
    return (
        Membership.objects.current()
        .filter(unit__in=schools, role__in=TARGETABLE_ROLES)
        .select_related("user", "unit")
        .order_by("user__full_name", "user_id", "unit__path", "pk")
    )


@dataclass(frozen=True)
class StaffMatch:
    user: Any
    school: Unit
    role: str
    status: str  # the person's registration status at the event, "" when none

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def status_label(self) -> str:
        return str(RegistrationStatus(self.status).label) if self.status else ""


def matching_staff(event: Event, query: str) -> list[StaffMatch]:
    """Invitable people whose name, username or e-mail contains `query`, accents and case aside
    (folded here: the user table keeps no folded copy); at most MAX_MATCHES + 1."""
    folded = fold(query)
    if not folded:
        return []
    statuses = dict(event.registrations.values_list("user_id", "status"))
    found: dict[int, StaffMatch] = {}
    for membership in invitable_memberships(event):
        user = membership.user
        if user.pk in found or not user.is_active:
            continue
        if any(folded in fold(text) for text in (user.full_name, user.username, user.email)):
            status = statuses.get(user.pk, "")
            found[user.pk] = StaffMatch(user, membership.unit, membership.role, status)
            if len(found) > MAX_MATCHES:
                break
    return list(found.values())


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, username or e-mail"), required=False, max_length=150, strip=True
    )


class InviteForm(forms.Form):
    people = PeopleField(
        label=_("People to invite"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one person to invite."),
            "invalid_choice": _("Only staff of the schools of the department can be invited."),
        },
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.fields["people"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        users = invitable_memberships(event).values("user_id")
        people.queryset = get_user_model().objects.filter(pk__in=users, is_active=True)


# --- Session themes --------------------------------------------------------------------------


class ThemeNameForm(forms.Form):
    name = forms.CharField(label=_("Theme"), max_length=255)


class ThemePickForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), widget=forms.HiddenInput)


class ThemeRenameForm(ThemePickForm, ThemeNameForm):
    pass


class ThemeMoveForm(ThemePickForm):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
