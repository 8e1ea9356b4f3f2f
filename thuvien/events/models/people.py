"""People at the event: registrations, check-ins and their feedback."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, ByUnit, Holds, Person, Policy, ScopedQuerySet, Via
from thuvien.events.models.events import ONLY_ORGANISERS, Event, EventSession
from thuvien.events.models.scoping import ORGANISED, participants_seen
from thuvien.organisations.models import Unit
from thuvien.organisations.ownership import OwnedThroughParent

# --- People at the event ----------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(ScopedQuerySet["Registration"]):
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
    policy = Policy(
        see=participants_seen("event", "user"),
        actions={
            Action.MANAGE_EVENTS: Via("event", ORGANISED).because(ONLY_ORGANISERS),
            Action.CANCEL_REGISTRATION: (
                Person("user")
                | (ByUnit("school") & Holds(Action.NOMINATE_ATTENDEES))  # their principal
                | (Via("event", ORGANISED) & Holds(Action.MANAGE_EVENTS))
            ).because(_("Only the person, their principal or an organiser can cancel.")),
            Action.DOWNLOAD_CERTIFICATE: (
                Person("user") | (Via("event", ORGANISED) & Holds(Action.MANAGE_EVENTS))
            ).because(_("A certificate is downloaded by its holder or the event's organisers.")),
        },
    )
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
    pass


class CheckIn(OwnedThroughParent):
    """A person's presence at one session, recorded once."""

    school_from = "registration"
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="checkins"
    )
    session = models.ForeignKey(EventSession, on_delete=models.PROTECT, related_name="checkins")
    at = models.DateTimeField()
    method = models.CharField(max_length=8, choices=CheckInMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    policy = Policy(see=participants_seen("session__event", "registration__user"))
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


class FeedbackQuerySet(ScopedQuerySet["Feedback"]):
    pass


class Feedback(OwnedThroughParent):
    """A participant's answer to the event's short survey."""

    school_from = "registration"
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="feedback"
    )
    comments = models.TextField(_("comments"), blank=True)
    change_plan = models.TextField(_("what will you change in your library?"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The organiser may show the answer as a quote on the event page.
    quote_shown = models.BooleanField(_("shown as a quote"), default=False)

    policy = Policy(
        see=participants_seen("registration__event", "registration__user"),
        actions={
            Action.MANAGE_EVENTS: Via("registration__event", ORGANISED).because(ONLY_ORGANISERS)
        },
    )
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["registration_id"]

    def __str__(self) -> str:
        return f"{self.registration}"


class SessionRatingQuerySet(ScopedQuerySet["SessionRating"]):
    pass


class SessionRating(OwnedThroughParent):
    """A participant's rating of one session, part of their feedback."""

    school_from = "feedback"
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="ratings")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))

    policy = Policy(
        see=participants_seen("feedback__registration__event", "feedback__registration__user")
    )
    objects = SessionRatingQuerySet.as_manager()

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
