"""The event: its themes, the agreement it comes under, the event itself and its sessions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import (
    Action,
    OwnedBy,
    Policy,
    ReachesDown,
    ScopedQuerySet,
    Supervising,
    Through,
    Via,
    WhereNot,
)
from thuvien.core.folding import keep_folded
from thuvien.events.models.scoping import GALLERY, ORGANISED, new_code
from thuvien.organisations import audience
from thuvien.organisations.models import Role, Unit

# --- The event --------------------------------------------------------------------------------


# The programme of the TDTU library's training day for Khánh Hòa's THPT librarians (10/11/2018);
# migration 0002 ships them, `Theme.shipped()` puts back any that are missing.
SHIPPED_THEMES = (
    "Phát triển nguồn tài nguyên thông tin",
    "Tạo lập và phân phối các dịch vụ thư viện",
    "Tổ chức không gian thư viện truyền cảm hứng",
    "Kỹ năng và phẩm chất của người làm công tác thư viện",
    "Ứng dụng công nghệ trong công tác thư viện",
    "Tự đánh giá và lập kế hoạch phát triển thư viện đạt chuẩn",
)


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

    @classmethod
    def shipped(cls) -> list[Theme]:
        """The six shipped themes, in order (created again if someone removed them)."""
        return [
            cls.objects.get_or_create(name=name, defaults={"order": order})[0]
            for order, name in enumerate(SHIPPED_THEMES)
        ]


class AgreementQuerySet(ScopedQuerySet["Agreement"]):
    pass


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
    policy = Policy(see=OwnedBy("partner") | OwnedBy("department"))
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
    pass


ONLY_ORGANISERS = _("Only the organisers of an event can change it.")


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
    policy = Policy(
        # Organisers see their events, drafts too; out of draft, an event is seen by the
        # supervisors of its audience, by the units inside it whose school tiers it targets, and
        # by the schools whose people hold a registration (a nominated person outside the tiers).
        see=ORGANISED
        | (
            (
                ReachesDown("target", tiers=audience.TIER_FIELDS)
                | Through("registrations", OwnedBy("school"))
            )
            & WhereNot(status=EventStatus.DRAFT)
        ),
        actions={
            Action.MANAGE_EVENTS: ORGANISED.because(ONLY_ORGANISERS),
            # The report names every participant and their answers. Of the roles that hold
            # REPORT_EVENTS (those that organise events), the supervisors are the Sở's: it
            # reads the report of every event it sees; a partner's trainer, of its own only.
            Action.REPORT_EVENTS: (ORGANISED | Supervising()).because(
                _("Only the organisers of an event and the department see its report.")
            ),
        },
    )
    objects = EventQuerySet.as_manager()

    TIER_FIELDS: ClassVar[dict[str, str]] = audience.TIER_FIELDS

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        keep_folded(self, "title", "title_folded", kwargs)
        super().save(*args, **kwargs)

    @property
    def roles(self) -> list[str]:
        return [role for role in self.target_roles.split(",") if role]

    @property
    def role_labels(self) -> list[str]:
        """The audience's roles as people read them ("Thủ thư"), never their codes."""
        return [str(Role(role).label) if role in Role.values else role for role in self.roles]

    @property
    def reference(self) -> str:
        return f"{self.number or '…'}/{self.symbol}" if self.symbol else str(self.number or "")

    def targets_all_tiers(self) -> bool:
        return audience.targets_all_tiers(self)


PHOTOS_FOR_PARTICIPANTS = _("The photos of this event are for its participants and organisers.")


class EventGallery(Event):
    """An event seen as its photo gallery (the same row). Seen where the event is, and by its
    participants; by everyone, anonymous visitors included, when the organiser made the photos
    public — public by design (`GALLERY`). Opened (OPEN_EVENT_FILES) by the organisers, the
    participants, and everyone when public: someone who only sees the event is refused (403)."""

    policy = Policy(
        see=Event.policy.see | GALLERY,
        actions={
            Action.OPEN_EVENT_FILES: GALLERY.because(PHOTOS_FOR_PARTICIPANTS),
            Action.MANAGE_EVENTS: ORGANISED.because(ONLY_ORGANISERS),
        },
    )

    class Meta:
        proxy = True
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")


class EventSessionQuerySet(ScopedQuerySet["EventSession"]):
    pass


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

    policy = Policy(
        see=Via("event"),
        actions={Action.MANAGE_EVENTS: Via("event", ORGANISED).because(ONLY_ORGANISERS)},
    )
    objects = EventSessionQuerySet.as_manager()

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
