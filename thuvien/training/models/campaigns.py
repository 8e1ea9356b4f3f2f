"""A campaign as issued: targets, topics, materials, milestones and its evaluation scale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import (
    Action,
    ByUnit,
    Holds,
    OwnedBy,
    Policy,
    ReachesDown,
    ScopedQuerySet,
    Supervising,
    Via,
    WhereNot,
)
from thuvien.core.folding import keep_folded
from thuvien.organisations import audience
from thuvien.organisations.models import Unit


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.PUBLISHED}),
    CampaignStatus.PUBLISHED: frozenset({CampaignStatus.CLOSED}),
    CampaignStatus.CLOSED: frozenset(),
}


class Scale(models.TextChoices):
    GOOD_FAIR_PASS_FAIL = "good_fair_pass_fail", _("Good / Fair / Pass / Fail")
    MARKS_10 = "marks_10", _("Marks out of 10 (pass at 5)")
    COMPLETE_INCOMPLETE = "complete_incomplete", _("Complete / Incomplete")
    CUSTOM = "custom", _("Custom scale")


# The preset levels, best first: (code stored in Enrolment.grade, label, passes).
PRESET_LEVELS: dict[str, tuple[tuple[str, Promise, bool], ...]] = {
    Scale.GOOD_FAIR_PASS_FAIL: (
        ("good", _("Good"), True),
        ("fair", _("Fair"), True),
        ("pass", _("Pass"), True),
        ("fail", _("Fail"), False),
    ),
    Scale.COMPLETE_INCOMPLETE: (
        ("complete", _("Complete"), True),
        ("incomplete", _("Incomplete"), False),
    ),
}
PASS_MARK = Decimal("5")


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    # A campaign belongs to the subtree it targets. Supervisors see the campaigns aimed inside their
    # subtree (the usual prefix); every unit also sees the campaigns addressed to it from above.

    def published(self) -> Self:
        return self.filter(status=CampaignStatus.PUBLISHED)

    def targeting_role(self, role: str) -> Self:
        return self.filter(target_roles__contains=f",{role},")


class Campaign(models.Model):
    """A self-training plan as issued in an official letter, with its targets and timeline."""

    issuer = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Unit,
        verbose_name=_("target units"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The campaign reaches the schools under this unit."),
    )
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=64, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    place = models.CharField(_("place of issue"), max_length=128, blank=True)
    subject = models.CharField(_("subject line"), max_length=500)
    # The subject folded (no diacritics, lower case) for search; kept in step by save().
    subject_folded = models.CharField(max_length=500, editable=False, default="", db_index=True)
    basis = models.TextField(_("basis"), blank=True, help_text=_("One document per line."))
    # "Kính gửi:" under the subject, and "Nơi nhận:" at the bottom left: two different lists.
    recipients = models.TextField(
        _("to (Kính gửi)"),
        blank=True,
        help_text=_(
            "One recipient per line, printed after “Kính gửi:”. Empty: the offices "
            "and schools the campaign reaches, as the tree names them."
        ),
    )
    copies_to = models.TextField(
        _("copies to (Nơi nhận)"),
        blank=True,
        help_text=_(
            "One per line, printed under “Nơi nhận:” after “Như trên”; “Lưu: VT” is added."
        ),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    # ",librarian,teacher_librarian,": the commas around each role make `contains` exact.
    target_roles = models.CharField(_("target roles"), max_length=200)
    target_preschool = models.BooleanField(_("preschool"), default=False)
    target_primary = models.BooleanField(_("primary"), default=False)
    target_lower_secondary = models.BooleanField(_("lower secondary (THCS)"), default=False)
    target_upper_secondary = models.BooleanField(_("upper secondary (THPT)"), default=False)
    topics_per_person = models.PositiveSmallIntegerField(_("topics per person"), default=1)
    allow_own_topic = models.BooleanField(_("a person may propose their own topic"), default=False)
    report_guidance = models.TextField(_("report guidance"), blank=True)
    guidance_published_at = models.DateTimeField(null=True, blank=True)
    school_deadline = models.DateField(_("deadline: school to supervisor"), null=True, blank=True)
    office_deadline = models.DateField(_("deadline: office to department"), null=True, blank=True)
    scale = models.CharField(
        _("evaluation scale"),
        max_length=32,
        choices=Scale.choices,
        default=Scale.GOOD_FAIR_PASS_FAIL,
    )
    reminder_days = models.CharField(
        _("reminders (days before)"), max_length=64, blank=True, default="7,1"
    )
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    policy = Policy(
        # A draft is seen only where it is written; once published, by the units it targets,
        # those above them and the supervisors above its target.
        see=OwnedBy("issuer") | (ReachesDown("target") & WhereNot(status=CampaignStatus.DRAFT)),
        actions={
            # Editing the draft, its parts, publishing, the guidance, closing.
            Action.MANAGE_CAMPAIGNS: ByUnit("issuer").because(
                _("Only the unit that issued a campaign can change it.")
            ),
            # The progress dashboard: supervisors (their subtree) and principals (their school).
            Action.FOLLOW_PROGRESS: (Supervising() | Holds(Action.EVALUATE_TRAINING)).because(
                _("Only supervisors and principals follow a campaign's progress.")
            ),
        },
    )
    objects = CampaignQuerySet.as_manager()

    TIER_FIELDS: ClassVar[dict[str, str]] = audience.TIER_FIELDS

    class Meta:
        verbose_name = _("self-training campaign")
        verbose_name_plural = _("self-training campaigns")
        ordering = ["-school_year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(scale__in=Scale.values), name="campaign_scale_valid"
            ),
            models.CheckConstraint(
                condition=Q(topics_per_person__gte=1), name="campaign_topics_per_person_positive"
            ),
            models.CheckConstraint(
                condition=Q(school_deadline__isnull=True)
                | Q(office_deadline__isnull=True)
                | Q(office_deadline__gte=models.F("school_deadline")),
                name="campaign_deadlines_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        keep_folded(self, "subject", "subject_folded", kwargs)
        super().save(*args, **kwargs)

    @property
    def roles(self) -> list[str]:
        return [role for role in self.target_roles.split(",") if role]

    @property
    def reference(self) -> str:
        """ "2458/SGDĐT-KHTC" once numbered."""
        return f"{self.number or '…'}/{self.symbol}" if self.symbol else str(self.number or "")

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted({int(day) for day in self.reminder_days.split(",") if day.strip()})

    def targets_all_tiers(self) -> bool:
        return audience.targets_all_tiers(self)

    def topic_lock_date(self) -> dt.date | None:
        milestone = self.milestones.filter(locks_topic_choice=True).first()
        return milestone.start if milestone else None


class TopicQuerySet(ScopedQuerySet["Topic"]):
    pass


class Topic(models.Model):
    """One topic of the optional part."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    policy = Policy(see=Via("campaign"))
    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["campaign_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title"], name="topic_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class MaterialQuerySet(ScopedQuerySet["Material"]):
    pass


class Material(models.Model):
    """A set material of the common part: a book, a document, a link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author / editor"), max_length=255, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # Served later through a scoped view, never from a public media URL.
    file = models.FileField(_("file"), upload_to="training/materials/%Y/", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    policy = Policy(see=Via("campaign"))
    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["campaign_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MilestoneQuerySet(ScopedQuerySet["Milestone"]):
    pass


class Milestone(models.Model):
    """One step of the timeline ("month 1: study the common part")."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=255)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    expected_output = models.CharField(_("expected output"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    locks_topic_choice = models.BooleanField(
        _("optional part starts here"),
        default=False,
        help_text=_("Topic choices are locked once this milestone starts."),
    )

    policy = Policy(see=Via("campaign"))
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["campaign_id", "order", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="milestone_dates_ordered"
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(locks_topic_choice=True),
                name="one_topic_lock_milestone",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScaleLevelQuerySet(ScopedQuerySet["ScaleLevel"]):
    pass


class ScaleLevel(models.Model):
    """A level of a custom evaluation scale, best first (`order` 0 is the best)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scale_levels")
    label = models.CharField(_("label"), max_length=64)
    order = models.PositiveSmallIntegerField()
    passes = models.BooleanField(_("passing"))

    policy = Policy(see=Via("campaign"))
    objects = ScaleLevelQuerySet.as_manager()

    class Meta:
        ordering = ["campaign_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="scale_label_unique"),
            models.UniqueConstraint(fields=["campaign", "order"], name="scale_order_unique"),
        ]

    def __str__(self) -> str:
        return self.label
