"""A person's self-training record: the enrolment, study notes and report versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import (
    Action,
    ByUnit,
    Holds,
    OwnedBy,
    Person,
    Policy,
    ScopedQuerySet,
    Supervising,
    Via,
)
from thuvien.organisations.models import Unit
from thuvien.organisations.ownership import OwnedThroughParent
from thuvien.training.models.campaigns import PRESET_LEVELS, Campaign, Material, Topic


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    EVALUATED = "evaluated", _("Evaluated")


REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.NOT_STARTED: frozenset({ReportStatus.DRAFT, ReportStatus.SUBMITTED}),
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.RETURNED, ReportStatus.EVALUATED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.DRAFT, ReportStatus.SUBMITTED}),
    # The principal may re-grade or send back while the school's package has not left.
    ReportStatus.EVALUATED: frozenset({ReportStatus.EVALUATED, ReportStatus.RETURNED}),
}


class OwnTopicStatus(models.TextChoices):
    NONE = "", _("No own topic")
    PENDING = "pending", _("Awaiting the principal's approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


@dataclass(frozen=True)
class PlanEntry:
    """One line of a person's plan, as stored in `Enrolment.plan`."""

    id: int
    what: str
    start: dt.date
    end: dt.date
    milestone: int | None = None
    material: int | None = None
    topic: int | None = None
    done: bool = False

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> PlanEntry:
        return cls(
            id=int(row["id"]),
            what=str(row["what"]),
            start=dt.date.fromisoformat(row["start"]),
            end=dt.date.fromisoformat(row["end"]),
            milestone=row.get("milestone"),
            material=row.get("material"),
            topic=row.get("topic"),
            done=bool(row.get("done", False)),
        )

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["start"], row["end"] = self.start.isoformat(), self.end.isoformat()
        return row

    def sort_key(self) -> tuple[dt.date, dt.date, int]:
        return (self.start, self.end, self.id)


class EnrolmentQuerySet(ScopedQuerySet["Enrolment"]):
    def current(self) -> Self:
        """People still in a targeted role (those who left keep their record)."""
        return self.filter(left_on__isnull=True)


class Enrolment(models.Model):
    """A person's self-training record in one campaign (hồ sơ tự bồi dưỡng)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_enrolments"
    )
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32)
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    # The first topic chosen from the list; a campaign where each person chooses N topics keeps
    # the others in `extra_topics` (read them all through `chosen_topics()`). An approved own
    # topic counts as one of the N.
    extra_topics = models.ManyToManyField(
        Topic, blank=True, related_name="+", through="ChosenTopic"
    )
    own_topic = models.CharField(_("own topic"), max_length=255, blank=True)
    own_topic_status = models.CharField(
        max_length=16, choices=OwnTopicStatus.choices, blank=True, default=OwnTopicStatus.NONE
    )
    # The person's own plan: what to study when, each entry linked to a milestone, a material or a
    # topic of the campaign (ids checked by `services.plans`; parts of a published campaign are
    # never deleted). A list of {"id", "what", "start", "end", "milestone", "material", "topic",
    # "done"}; read it through `plan_entries()`.
    plan = models.JSONField(_("plan"), default=list, blank=True)
    topic_reopened = models.BooleanField(_("topic choice reopened by the principal"), default=False)
    extended_until = models.DateField(_("personal deadline"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    extension_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(_("comment for revision"), blank=True)
    grade = models.CharField(_("grade"), max_length=64, blank=True)
    mark = models.DecimalField(_("mark"), max_digits=3, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    evaluation_comment = models.TextField(_("principal's comment"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    policy = Policy(
        see=OwnedBy("school"),
        actions={
            # One's own record only: the record screens fetch from these rows, so anyone
            # else's record answers 404 there.
            Action.TAKE_TRAINING: Person("user"),
            # The principal of the record's school (not a supervisor above it).
            Action.EVALUATE_TRAINING: ByUnit("school").because(
                _("Only the principal of the record's school evaluates it.")
            ),
            # Its content (notes, report files, the whole record): the person, and the
            # principal and the supervisors of its school; not a colleague.
            Action.READ_RECORDS: Person("user")
            | (OwnedBy("school") & (Holds(Action.EVALUATE_TRAINING) | Supervising())),
        },
    )
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-training record")
        verbose_name_plural = _("self-training records")
        ordering = ["campaign_id", "school__path", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="one_record_per_campaign"),
            models.CheckConstraint(
                condition=Q(report_status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(own_topic_status__in=OwnTopicStatus.values),
                name="own_topic_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | (Q(mark__gte=0) & Q(mark__lte=10)),
                name="mark_out_of_ten",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.campaign}"

    def carry_rows_to_school(self) -> None:
        """The record moved school: its notes and report versions go with it."""
        StudyNote.objects.filter(enrolment=self).update(school_id=self.school_id)
        ReportVersion.objects.filter(enrolment=self).update(school_id=self.school_id)
        ChosenTopic.objects.filter(enrolment=self).update(school_id=self.school_id)

    def chosen_topics(self) -> list[Topic]:
        """The topics chosen from the campaign's list: `topic` first, then the extra ones in the
        campaign's order (prefetch `extra_topics` to read many records without a query each)."""
        if self.topic is None:
            return []
        extra = sorted(self.extra_topics.all(), key=lambda topic: (topic.order, topic.pk))
        return [self.topic, *(topic for topic in extra if topic.pk != self.topic_id)]

    def chosen_count(self) -> int:
        """How many of the campaign's `topics_per_person` are chosen: the topics from the list,
        and an own topic once approved."""
        approved = self.own_topic_status == OwnTopicStatus.APPROVED
        return len(self.chosen_topics()) + int(approved)

    def topics_label(self) -> str:
        """The chosen topics as one line ("Thư viện mở; Thư viện xanh"), own topic last."""
        titles = [topic.title for topic in self.chosen_topics()]
        return "; ".join([*titles, self.own_topic] if self.own_topic else titles)

    def plan_entries(self) -> list[PlanEntry]:
        return sorted((PlanEntry.from_json(row) for row in self.plan), key=PlanEntry.sort_key)

    @property
    def handed_in(self) -> bool:
        """The report is submitted or evaluated: the record is done, and so is its plan."""
        return self.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)

    @property
    def grade_label(self) -> str:
        """The grade as a person reads it ("Tốt", "7,5" in Vietnamese, a custom level), never
        its code ("good"): the one place a stored grade becomes words."""
        if self.mark is not None:
            return formats.number_format(self.mark, 1)
        for code, label, _passes in PRESET_LEVELS.get(self.campaign.scale, ()):
            if code == self.grade:
                return str(label)
        return self.grade

    def topic_choice_open(self, day: dt.date) -> bool:
        """Whether the person may choose (or change) their topics on `day`: before the
        topic-lock milestone starts; after it, a person enrolled since then makes a first choice,
        anyone else only once the principal has reopened the choice."""
        lock = self.campaign.topic_lock_date()
        if lock is None or day < lock:
            return True
        no_topic_yet = self.topic_id is None and not self.own_topic
        return (no_topic_yet and self.enrolled_on >= lock) or self.topic_reopened

    @property
    def deadline(self) -> dt.date | None:
        """The school's deadline, or the person's extension when granted."""
        return self.extended_until or self.campaign.school_deadline

    @property
    def is_late(self) -> bool:
        """Handed in (submitted or evaluated) after the personal deadline."""
        deadline = self.deadline
        handed_in = self.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
        if not handed_in or self.submitted_at is None or deadline is None:
            return False
        return timezone.localdate(self.submitted_at) > deadline

    def is_overdue(self, day: dt.date | None = None) -> bool:
        """Not handed in (a returned report is not) and past the personal deadline on `day`."""
        deadline = self.deadline
        day = day or timezone.localdate()
        handed_in = self.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
        return not handed_in and deadline is not None and day > deadline


# --- The person's record: study notes and report versions ----------------------------------------


class ChosenTopicQuerySet(ScopedQuerySet["ChosenTopic"]):
    pass


class ChosenTopic(OwnedThroughParent):
    """One topic chosen beyond the first (`Enrolment.extra_topics`), kept with the record's school
    (written with `through_defaults={"school_id": …}`, since m2m writes skip save())."""

    school_from = "enrolment"
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")

    policy = Policy(see=OwnedBy("school"))
    objects = ChosenTopicQuerySet.as_manager()

    class Meta:
        db_table = "training_enrolment_extra_topics"  # the table the plain m2m had
        unique_together = [("enrolment", "topic")]
        verbose_name = _("chosen topic")
        verbose_name_plural = _("chosen topics")

    def __str__(self) -> str:
        return f"{self.enrolment_id} → {self.topic_id}"


class StudyNoteQuerySet(ScopedQuerySet["StudyNote"]):
    pass


class ReportVersionQuerySet(ScopedQuerySet["ReportVersion"]):
    pass


class StudyNote(OwnedThroughParent):
    """One entry of the record's study notes: what was studied, when, for how long."""

    school_from = "enrolment"
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="notes")
    date = models.DateField(_("date"))
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("content"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    # Served only through the record's scoped views, never from a public media URL.
    attachment = models.FileField(_("attachment"), upload_to="training/notes/%Y/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    policy = Policy(
        see=OwnedBy("school"),
        actions={Action.READ_RECORDS: Via("enrolment", action=Action.READ_RECORDS)},
    )
    objects = StudyNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("study note")
        verbose_name_plural = _("study notes")
        ordering = ["enrolment_id", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="study_note_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.content[:40]}"


class ReportVersion(OwnedThroughParent):
    """One saved text of the report. Versions are only added, never changed (see
    `services.save_report_version` for the one exception: autosaves a few seconds apart
    are coalesced into the latest autosave)."""

    school_from = "enrolment"
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="report_versions"
    )
    # Sanitised HTML written in the browser; empty when the version is an uploaded file.
    body = models.TextField(_("report"), blank=True)
    file = models.FileField(_("file"), upload_to="training/reports/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    autosaved = models.BooleanField(default=False)
    submitted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    saved_at = models.DateTimeField(default=timezone.now)

    policy = Policy(
        see=OwnedBy("school"),
        actions={Action.READ_RECORDS: Via("enrolment", action=Action.READ_RECORDS)},
    )
    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["enrolment_id", "created_at", "pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(autosaved=True) & Q(submitted=True)),
                name="submitted_version_not_autosaved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.created_at:%d/%m/%Y %H:%M}"
