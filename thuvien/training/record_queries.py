"""Reads of the self-training records: a person's records and where they stand, a school's
progress for its principal. Plain functions returning rows and small dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.access import Action, Scope
from thuvien.core.history import HistoryRow
from thuvien.training.models import (
    PRESET_LEVELS,
    Campaign,
    CampaignStatus,
    Enrolment,
    Milestone,
    OwnTopicStatus,
    ReportStatus,
    ReportVersion,
    Scale,
    SchoolPackage,
)
from thuvien.training.plans import plan_rows

DONE, CURRENT, UPCOMING, NOT_DONE = "done", "current", "upcoming", "not_done"


@dataclass(frozen=True)
class Stance:
    milestone: Milestone
    state: str  # DONE, CURRENT, UPCOMING or NOT_DONE (past and not done)


def stances(
    milestones: list[Milestone], day: dt.date, enrolment: Enrolment | None = None
) -> list[Stance]:
    """Where one person stands at each milestone on `day`. With their record, a milestone is done
    when the report is handed in or when every entry of the plan linked to it is ticked done (the
    plan page says the same: `plans.plan_rows`); a past one that is not is NOT_DONE. Without a
    record, by the dates alone."""
    entries = enrolment.plan_entries() if enrolment is not None else []

    def state(m: Milestone) -> str:
        if enrolment is None:
            return DONE if m.end < day else CURRENT if m.start <= day else UPCOMING
        linked = [entry for entry in entries if entry.milestone == m.pk]
        if enrolment.handed_in or (linked and all(entry.done for entry in linked)):
            return DONE
        return NOT_DONE if m.end < day else CURRENT if m.start <= day else UPCOMING

    return [Stance(m, state(m)) for m in milestones]


def _with_campaign(rows: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return rows.select_related("campaign", "topic", "user", "school").prefetch_related(
        Prefetch("campaign__milestones", Milestone.objects.order_by("order", "start")),
        "extra_topics",
    )


def my_records(scope: Scope, day: dt.date) -> list[tuple[Enrolment, list[Stance]]]:
    """The person's records, those still running first, each with its milestones' stances."""
    rows = _with_campaign(Enrolment.objects.allowed_to(scope, Action.TAKE_TRAINING))
    ordered = sorted(
        rows,
        key=lambda e: (
            e.left_on is not None,
            e.campaign.status != CampaignStatus.PUBLISHED,
            -e.campaign.school_year,
            e.pk,
        ),
    )
    return [(e, stances(list(e.campaign.milestones.all()), day, e)) for e in ordered]


def own_records(scope: Scope) -> QuerySet[Enrolment]:
    """The one place a person's own record is fetched from: in scope and theirs (the record's
    policy for TAKE_TRAINING)."""
    rows = Enrolment.objects.allowed_to(scope, Action.TAKE_TRAINING)
    return rows.select_related("campaign")


def readable_records(scope: Scope) -> QuerySet[Enrolment]:
    """The records whose content (notes, report files, the whole record) the scope may read
    (the record's policy for READ_RECORDS): the principal and the supervisors every record in
    their scope, library staff only their own."""
    rows = Enrolment.objects.allowed_to(scope, Action.READ_RECORDS)
    return rows.select_related("campaign", "user", "school", "topic")


def package_records(package: SchoolPackage) -> QuerySet[Enrolment]:
    """The records a school's package carries: its school's, in its campaign. Read through the
    package (fetched through its policy), so the office it was sent to still reads them after the
    school moved to another office."""
    rows = package.campaign.enrolments.filter(school_id=package.school_id)
    return rows.select_related("user", "topic").prefetch_related("extra_topics")


def pending_own_topics(people: list[Enrolment]) -> list[Enrolment]:
    return [e for e in people if e.own_topic_status == OwnTopicStatus.PENDING]


def versions(enrolment: Enrolment) -> list[ReportVersion]:
    """Every kept version of the report, newest first."""
    return list(enrolment.report_versions.order_by("-created_at", "-pk"))


def record_content(enrolment: Enrolment, day: dt.date | None = None) -> dict[str, Any]:
    """The whole record as the printable page and the PDF show it, its plan included."""
    notes = enrolment.notes.select_related("material", "topic")
    milestones = list(enrolment.campaign.milestones.all())
    return {
        "enrolment": enrolment,
        "campaign": enrolment.campaign,
        "milestones": milestones,
        "stances": stances(milestones, day or timezone.localdate(), enrolment),
        "plan": plan_rows(enrolment),
        "notes": list(notes),
        "hours": notes.aggregate(total=Sum("hours"))["total"] or Decimal(0),
        "latest": latest_version(enrolment),
        "submitted": latest_version(enrolment, submitted=True),
        "evaluated": enrolment.report_status == ReportStatus.EVALUATED,
    }


def latest_version(enrolment: Enrolment, *, submitted: bool = False) -> ReportVersion | None:
    versions = enrolment.report_versions.all()
    if submitted:
        versions = versions.filter(submitted=True)
    return versions.order_by("-created_at", "-pk").first()


def school_progress(
    campaign: Campaign, scope: Scope, day: dt.date
) -> tuple[list[Enrolment], list[Stance]]:
    rows = Enrolment.objects.visible_to(scope).filter(campaign=campaign)
    rows = rows.select_related("user", "topic").prefetch_related("extra_topics")
    people = list(rows.order_by("left_on", "user__full_name"))
    for person in people:
        person.campaign = campaign  # its grade label and deadline read it: no query per person
    return people, stances(list(campaign.milestones.order_by("order", "start")), day)


def person_stances(
    people: list[Enrolment], milestones: list[Stance], day: dt.date
) -> list[tuple[Enrolment, list[Stance]]]:
    """Each person of the school table with where they stand at each milestone (their plan and
    report, as their own record page shows it)."""
    parts = [stance.milestone for stance in milestones]
    return [(person, stances(parts, day, person)) for person in people]


def grade_choices(campaign: Campaign) -> list[tuple[str, str]] | None:
    """The grades of the campaign's scale as form choices; None for marks out of 10."""
    if campaign.scale == Scale.MARKS_10:
        return None
    if campaign.scale == Scale.CUSTOM:
        return [(level.label, level.label) for level in campaign.scale_levels.all()]
    return [(code, str(label)) for code, label, _passes in PRESET_LEVELS[campaign.scale]]


def _outcome(enrolment: Enrolment) -> str:
    if enrolment.report_status == ReportStatus.EVALUATED and enrolment.grade:
        return f"{enrolment.get_report_status_display()}: {enrolment.grade_label}"
    return str(enrolment.get_report_status_display())


def training_history(user: Any, scope: Scope | None = None) -> list[HistoryRow]:
    """All of a person's self-training records, newest first, wherever they worked. A record
    links to its page only when the active scope reaches it (the page is scoped)."""
    # The person's own records wherever they worked, read from the person (shown to them only).
    rows = user.training_enrolments.exclude(campaign__status=CampaignStatus.DRAFT)
    reachable: set[int] = set()
    if scope is not None:
        reachable = set(own_records(scope).values_list("pk", flat=True))
    history = [
        HistoryRow(
            date=e.campaign.issued_on or e.enrolled_on,
            kind=_("Self-training campaign"),
            title=e.campaign.subject,
            outcome=_outcome(e),
            url=reverse("training:record_detail", args=[e.pk]) if e.pk in reachable else "",
            school_year=f"{e.campaign.school_year}–{e.campaign.school_year + 1}",
            school=e.school.name,
            submitted_at=e.submitted_at,
            late=e.is_late,
        )
        for e in rows.select_related("campaign", "school")
    ]
    return sorted(history, key=lambda row: row.date, reverse=True)
