"""In-person training events run by partner organisations or the department (the model case: the
library of Tôn Đức Thắng University training the THPT librarians of Khánh Hòa, 10/11/2018).

An `Event` is organised by a partner unit or the department (with co-organisers), under a
cooperation `Agreement` when there is one; it has `EventSession`s (talks, discussions, site visits),
an audience (role × school tier × subtree, like a campaign, plus nominated people), and per person
a `Registration` (invited → registered / waiting / cancelled) owned by the person's school.
Attendance is a `CheckIn` per session; `Feedback` with a `SessionRating` per session; `Photo`s and
`EventMaterial`s belong to the event. The certificate is the registration's `certificate_code`.

Who sees what (the access module's rule, written in the querysets below): an event is visible to its
organiser's and co-organisers' scopes, to supervisors of its audience, and to the units inside its
audience; a person's rows (registration, check-ins, feedback) to their school's scope and to the
organisers.
"""

from __future__ import annotations

import secrets
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.organisations.access import Scope, ScopedQuerySet
from thuvien.organisations.models import Unit


def new_code() -> str:
    """An unguessable code for QR links (check-in posters, certificates)."""
    return secrets.token_urlsafe(12)


def _unit_seen(scope: Scope, prefix: str) -> Q:
    """`prefix` unit is inside the scope."""
    unit = scope.unit
    assert unit is not None
    if scope.is_subtree:
        return Q(**{f"{prefix}path__startswith": unit.path})
    return Q(**{prefix.removesuffix("__") or "pk": unit.pk})


def _event_seen(scope: Scope, prefix: str = "") -> Q:
    """The event (reached by `prefix`) is organised, co-organised or aimed inside or above the
    scope's unit."""
    unit = scope.unit
    assert unit is not None
    co_units = Unit.objects.filter(_unit_seen(scope, ""))
    co = Event.co_organisers.through.objects.filter(unit__in=co_units).values("event_id")
    seen = (
        _unit_seen(scope, f"{prefix}organiser__")
        | Q(**{f"{prefix}pk__in" if prefix else "pk__in": co})
        | Q(**{f"{prefix}target_id__in": [*unit.ancestor_ids(), unit.pk]})
    )
    if scope.is_subtree:
        seen |= Q(**{f"{prefix}target__path__startswith": unit.path})
    return seen


def _organised(scope: Scope, prefix: str) -> Q:
    """The event (reached by `prefix`) is organised or co-organised inside the scope."""
    co_units = Unit.objects.filter(_unit_seen(scope, ""))
    co = Event.co_organisers.through.objects.filter(unit__in=co_units).values("event_id")
    return _unit_seen(scope, f"{prefix}organiser__") | Q(**{f"{prefix}pk__in": co})


# --- The event --------------------------------------------------------------------------------


class Theme(models.Model):
    """A theme of sessions; the six themes of the 2018 programme ship as data, the department adds
    its own."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("session theme")
        verbose_name_plural = _("session themes")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class AgreementQuerySet(ScopedQuerySet["Agreement"]):
    scope_path = "partner__"

    def visible_to(self, scope: Scope) -> Self:
        if scope.unit is None:
            return self.none()
        return self.filter(_unit_seen(scope, "partner__") | _unit_seen(scope, "department__"))


class Agreement(models.Model):
    """A cooperation agreement between a partner organisation and the department."""

    partner = models.ForeignKey(
        Unit, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Unit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=500)
    reference = models.CharField(_("number and symbol"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"))
    scope_text = models.TextField(_("scope of cooperation"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Served through a scoped view only.
    signed_file = models.FileField(_("signed copy"), upload_to="events/agreements/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.DRAFT: frozenset({EventStatus.OPEN, EventStatus.CANCELLED}),
    EventStatus.OPEN: frozenset({EventStatus.CLOSED, EventStatus.HELD, EventStatus.CANCELLED}),
    EventStatus.CLOSED: frozenset({EventStatus.OPEN, EventStatus.HELD, EventStatus.CANCELLED}),
    EventStatus.HELD: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}


class EventQuerySet(ScopedQuerySet["Event"]):
    scope_path = "organiser__"

    def visible_to(self, scope: Scope) -> Self:
        if scope.unit is None:
            return self.none()
        return self.filter(_event_seen(scope))

    def organised_by(self, scope: Scope) -> Self:
        """Events the scope may manage: organised or co-organised inside it."""
        if scope.unit is None:
            return self.none()
        return self.filter(_organised(scope, ""))


class Event(models.Model):
    """A training day (or days): organiser, programme, venue, audience, capacity."""

    organiser = models.ForeignKey(
        Unit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    co_organisers = models.ManyToManyField(
        Unit, verbose_name=_("co-organisers"), blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("under the agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, default="", db_index=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=500)
    venue_address = models.CharField(_("address"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_closes_on = models.DateField(_("registration closes on"), null=True, blank=True)
    # The audience, as for a campaign: roles in the schools of `target`'s subtree, by tier.
    target = models.ForeignKey(
        Unit, verbose_name=_("audience within"), on_delete=models.PROTECT, related_name="+"
    )
    target_roles = models.CharField(_("audience roles"), max_length=200, blank=True)
    target_preschool = models.BooleanField(_("preschool"), default=False)
    target_primary = models.BooleanField(_("primary"), default=False)
    target_lower_secondary = models.BooleanField(_("lower secondary (THCS)"), default=False)
    target_upper_secondary = models.BooleanField(_("upper secondary (THPT)"), default=False)
    # The invitation (Giấy mời) as an official document.
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=64, blank=True)
    place = models.CharField(_("place of issue"), max_length=128, blank=True)
    invited_on = models.DateField(_("invitation date"), null=True, blank=True)
    photos_public = models.BooleanField(_("show the photos publicly"), default=False)
    status = models.CharField(
        max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[co_organisers])
    objects = EventQuerySet.as_manager()

    TIER_FIELDS: dict[str, str] = {
        "has_preschool": "target_preschool",
        "has_primary": "target_primary",
        "has_lower_secondary": "target_lower_secondary",
        "has_upper_secondary": "target_upper_secondary",
    }

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_days_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        from thuvien.core.folding import fold

        self.title_folded = fold(self.title)
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, list | tuple | set | frozenset) and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def roles(self) -> list[str]:
        return [role for role in self.target_roles.split(",") if role]

    @property
    def reference(self) -> str:
        return f"{self.number or '…'}/{self.symbol}" if self.symbol else str(self.number or "")

    def targets_all_tiers(self) -> bool:
        return not any(getattr(self, field) for field in self.TIER_FIELDS.values())


class EventSession(models.Model):
    """One part of the programme: a talk, a discussion, a site visit."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=500)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.PROTECT
    )
    speaker = models.CharField(_("speaker"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(
        _("venue"), max_length=500, blank=True, help_text=_("Empty: the event's venue.")
    )
    is_site_visit = models.BooleanField(_("site visit"), default=False)
    # In the QR code shown at the venue: /events/check-in/<code>/ (unguessable, one per session).
    checkin_code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event_id", "starts_at", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- People at the event ----------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(ScopedQuerySet["Registration"]):
    scope_path = "school__"

    def visible_to(self, scope: Scope) -> Self:
        if scope.unit is None:
            return self.none()
        return self.filter(_unit_seen(scope, "school__") | _organised(scope, "event__"))

    def holding_seats(self) -> Self:
        return self.filter(status=RegistrationStatus.REGISTERED)


class Registration(models.Model):
    """One person at one event: invited, registered (or waiting), maybe cancelled; their
    certificate once they attended."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32, blank=True)
    status = models.CharField(
        max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.INVITED
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certificate_code = models.CharField(max_length=32, blank=True, db_index=True)
    certificate_issued_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event_id", "school__path", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event"),
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=~Q(certificate_code=""),
                name="certificate_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR code at the venue")
    LIST = "list", _("Ticked by the organiser")


class CheckInQuerySet(ScopedQuerySet["CheckIn"]):
    scope_path = "registration__school__"

    def visible_to(self, scope: Scope) -> Self:
        if scope.unit is None:
            return self.none()
        return self.filter(
            _unit_seen(scope, "registration__school__") | _organised(scope, "session__event__")
        )


class CheckIn(models.Model):
    """A person's presence at one session, recorded once."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="checkins"
    )
    session = models.ForeignKey(EventSession, on_delete=models.PROTECT, related_name="checkins")
    at = models.DateTimeField()
    method = models.CharField(max_length=8, choices=CheckInMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["session_id", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="one_checkin_per_session"
            ),
            models.CheckConstraint(
                condition=Q(method__in=CheckInMethod.values), name="checkin_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.session}"


# --- What the event leaves: materials, photos, feedback -------------------------------------


_Row = TypeVar("_Row", bound=models.Model)


class EventRowQuerySet(ScopedQuerySet[_Row]):
    """Rows of an event (materials, photos): visible where the event is; who may open them
    (participants only, or the public for chosen photos) is the views' rule."""

    scope_path = "event__organiser__"

    def visible_to(self, scope: Scope) -> Self:
        if scope.unit is None:
            return self.none()
        return self.filter(_event_seen(scope, "event__"))


class EventMaterialQuerySet(EventRowQuerySet["EventMaterial"]):
    pass


class PhotoQuerySet(EventRowQuerySet["Photo"]):
    pass


class EventMaterial(models.Model):
    """Slides and documents, for participants only (served through a scoped view)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to="events/materials/%Y/")
    file_name = models.CharField(max_length=255)
    order = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EventMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        ordering = ["event_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Photo(models.Model):
    """A photo of the event with its thumbnail and caption; public only if the organiser chose."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="events/photos/%Y/")
    thumbnail = models.ImageField(upload_to="events/thumbnails/%Y/", blank=True)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["event_id", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class FeedbackQuerySet(ScopedQuerySet["Feedback"]):
    scope_path = "registration__school__"

    def visible_to(self, scope: Scope) -> Self:
        if scope.unit is None:
            return self.none()
        return self.filter(
            _unit_seen(scope, "registration__school__") | _organised(scope, "registration__event__")
        )


class Feedback(models.Model):
    """A participant's answer to the event's short survey."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="feedback"
    )
    comments = models.TextField(_("comments"), blank=True)
    change_plan = models.TextField(_("what will you change in your library?"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The organiser may show the answer as a quote on the event page.
    quote_shown = models.BooleanField(_("shown as a quote"), default=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["registration_id"]

    def __str__(self) -> str:
        return f"{self.registration}"


class SessionRating(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="ratings")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))

    class Meta:
        ordering = ["feedback_id", "session_id"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "session"], name="one_rating_per_session"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.rating}"
