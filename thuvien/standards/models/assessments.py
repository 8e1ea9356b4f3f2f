"""A school library's profile for a school year, and its yearly self-assessment.

- `LibraryProfile`: per school and school year, what the standards count that no other app keeps
  (rooms' area, seats, reading corners, equipment, opening hours, budget). Students, classes and
  teachers come from `organisations.SchoolYearStats`.
- `AssessmentWindow`: opened by the department for a school year with one framework version,
  like a campaign (who, dates).
- `Assessment`: one per school per window. Prepared by the librarian (draft), submitted to the
  principal, approved by the principal and so sent to the recognising level (the department for
  a school with upper secondary classes, else the school's office that day), which returns it
  for changes or recognises a level (`Recognition`). The values are snapshotted when it is
  submitted; after that they change only if it comes back.
- `AssessmentValue`: per criterion, what the school entered and what the platform computed (the
  snapshot), with its evidence files (`Evidence`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuvien.access import (
    Action,
    ByUnit,
    OwnedBy,
    Policy,
    ReachesDown,
    ScopedQuerySet,
    SentTo,
    Via,
)
from thuvien.organisations.models import Unit
from thuvien.standards.models.frameworks import Criterion, FrameworkVersion, Level

# --- The library's profile ----------------------------------------------------------------------


class LibraryProfileQuerySet(ScopedQuerySet["LibraryProfile"]):
    pass


class LibraryProfile(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    reading_room_m2 = models.DecimalField(
        _("reading rooms' area (m²)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    stack_m2 = models.DecimalField(
        _("stacks' area (m²)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    other_m2 = models.DecimalField(
        _("other library rooms' area (m²)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    open_space_m2 = models.DecimalField(
        _("open reading space (m²)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    reading_rooms = models.PositiveSmallIntegerField(_("reading rooms"), default=0)
    seats = models.PositiveIntegerField(_("reading seats"), default=0)
    open_corners = models.PositiveSmallIntegerField(_("open reading corners"), default=0)
    green_corners = models.PositiveSmallIntegerField(_("green reading corners"), default=0)
    computers = models.PositiveSmallIntegerField(_("computers for readers"), default=0)
    equipment = models.TextField(_("specialised equipment"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    open_hours_per_week = models.DecimalField(
        _("hours open a week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    budget_vnd = models.PositiveBigIntegerField(
        _("budget of the year (VND)"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    policy = Policy(see=OwnedBy("school"))
    objects = LibraryProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("library profile")
        verbose_name_plural = _("library profiles")
        ordering = ["school_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_library_profile_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}–{self.year + 1}"

    @property
    def total_m2(self) -> Decimal:
        """The library's area without its open space (TT 16 counts it apart)."""
        return self.reading_room_m2 + self.stack_m2 + self.other_m2


# --- Windows, assessments and their values -------------------------------------------------------


class AssessmentWindowQuerySet(ScopedQuerySet["AssessmentWindow"]):
    pass


class AssessmentWindow(models.Model):
    """The department's call for the year's self-assessments (every school under `target`)."""

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # Whose schools it reaches: the issuer's whole tree, or one office's subtree.
    target = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    title = models.CharField(_("title"), max_length=300)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # Tiers whose schools are recognised by the department itself (THPT, and multi-tier schools
    # with THPT classes); every other school by its office of the day (`services.recogniser`).
    department_tiers = models.JSONField(_("tiers recognised by the department"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(
        see=OwnedBy("issuer") | ReachesDown("target"),
        actions={
            Action.OPEN_ASSESSMENTS: ByUnit("issuer").because(
                _("Only the unit that opened an assessment window changes it.")
            )
        },
    )
    objects = AssessmentWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment window")
        verbose_name_plural = _("assessment windows")
        ordering = ["-year", "-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="window_dates_ordered"
            ),
            models.UniqueConstraint(fields=["issuer", "year"], name="one_window_a_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def school_year(self) -> str:
        return f"{self.year}–{self.year + 1}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Waiting for the principal")
    SENT = "sent", _("Sent for recognition")
    RETURNED = "returned", _("Returned for changes")
    RECOGNISED = "recognised", _("Recognised")


ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.SUBMITTED: frozenset({AssessmentStatus.DRAFT, AssessmentStatus.SENT}),
    AssessmentStatus.SENT: frozenset({AssessmentStatus.RETURNED, AssessmentStatus.RECOGNISED}),
    AssessmentStatus.RETURNED: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.RECOGNISED: frozenset(),
}
EDITABLE = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})


class AssessmentQuerySet(ScopedQuerySet["Assessment"]):
    pass


# Who may act on an assessment they see: the school prepares and approves its own; the unit it
# was sent to reviews it.
PREPARED_AT_SCHOOL = ByUnit("school").because(
    _("Only the school's own library staff prepare its self-assessment.")
)
APPROVED_AT_SCHOOL = ByUnit("school").because(
    _("Only the school's principal approves its self-assessment.")
)
REVIEWED_BY_RECOGNISER = ByUnit("sent_to").because(
    _("Only the unit the self-assessment was sent to reviews it.")
)


class Assessment(models.Model):
    window = models.ForeignKey(
        AssessmentWindow, on_delete=models.PROTECT, related_name="assessments"
    )
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    tier = models.CharField(_("assessed as"), max_length=20)  # a `Tier` value, fixed when opened
    summary = models.TextField(_("the library's own summary"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_to = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level_claimed = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the level the values reach when it was sent
    return_comment = models.TextField(_("what to change"), blank=True)
    check_notes = models.TextField(_("on-site check notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    policy = Policy(
        see=OwnedBy("school") | SentTo("sent_to"),
        actions={
            Action.PREPARE_ASSESSMENT: PREPARED_AT_SCHOOL,
            Action.APPROVE_ASSESSMENT: APPROVED_AT_SCHOOL,
            Action.RECOGNISE_LIBRARIES: REVIEWED_BY_RECOGNISER,
        },
    )
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["window_id", "school__name_folded"]
        constraints = [
            models.UniqueConstraint(fields=["window", "school"], name="one_assessment_a_window"),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.window.school_year}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class AssessmentValueQuerySet(ScopedQuerySet["AssessmentValue"]):
    pass


class AssessmentValue(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="values")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    entered = models.DecimalField(
        _("value entered"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    met_entered = models.BooleanField(_("met (as the school judges)"), null=True, blank=True)
    computed = models.DecimalField(  # the platform's value, snapshotted when submitted
        _("value computed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("explanation"), blank=True)

    policy = Policy(
        see=Via("assessment"),
        actions={Action.PREPARE_ASSESSMENT: Via("assessment", action=Action.PREPARE_ASSESSMENT)},
    )
    objects = AssessmentValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessed value")
        verbose_name_plural = _("assessed values")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_value_a_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.criterion.code}"


class EvidenceQuerySet(ScopedQuerySet["Evidence"]):
    pass


class Evidence(models.Model):
    """A document proving a criterion is met (a photo, minutes, a list), served through the
    scoped file response only."""

    value = models.ForeignKey(AssessmentValue, on_delete=models.CASCADE, related_name="evidence")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to="standards/evidence/")
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(
        see=Via("value"),
        actions={Action.PREPARE_ASSESSMENT: Via("value", action=Action.PREPARE_ASSESSMENT)},
    )
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["value_id", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name


class RecognitionQuerySet(ScopedQuerySet["Recognition"]):
    pass


class Recognition(models.Model):
    """The competent level's decision: a school's library reaches a level (quyết định công
    nhận), for a validity; a school's history across years and frameworks."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="recognition"
    )
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: assessed, no level reached
    decided_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    policy = Policy(see=OwnedBy("school") | SentTo("decided_by"))
    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["school_id", "-decided_on"]

    def __str__(self) -> str:
        return f"{self.school}: {self.level or '—'} ({self.decision_number})"


# --- The development plan ------------------------------------------------------------------------


class PlanActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTIONS = (PlanActionStatus.PLANNED, PlanActionStatus.IN_PROGRESS)


class DevelopmentPlanQuerySet(ScopedQuerySet["DevelopmentPlan"]):
    pass


class DevelopmentPlan(models.Model):
    """The library's development plan (kế hoạch phát triển thư viện) of a school year, made from
    the gaps of its self-assessment; what is not done carries over to the next year's."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    goal = models.TextField(_("goal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(
        see=OwnedBy("school"),
        actions={Action.PREPARE_ASSESSMENT: PREPARED_AT_SCHOOL},
    )
    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["school_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_plan_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}–{self.year + 1}"

    @property
    def school_year(self) -> str:
        return f"{self.year}–{self.year + 1}"


class PlanActionQuerySet(ScopedQuerySet["PlanAction"]):
    pass


class PlanAction(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion_code = models.CharField(_("criterion"), max_length=60, blank=True)
    title = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("who does it"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    budget_vnd = models.PositiveBigIntegerField(_("estimated budget (VND)"), null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=PlanActionStatus.choices, default=PlanActionStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the same action in last year's plan
    order = models.PositiveIntegerField(default=0)

    policy = Policy(
        see=Via("plan"),
        actions={Action.PREPARE_ASSESSMENT: Via("plan", action=Action.PREPARE_ASSESSMENT)},
    )
    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanActionStatus.values), name="plan_action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title
