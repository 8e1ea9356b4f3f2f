"""Reads of the self-training records: a person's records and where they stand, a school's
progress for its principal. Plain functions returning rows and small dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from thuvien.organisations.access import Scope
from thuvien.training.models import (
    PRESET_LEVELS,
    Campaign,
    CampaignStatus,
    Enrolment,
    Milestone,
    ReportVersion,
    Scale,
)

DONE, CURRENT, UPCOMING = "done", "current", "upcoming"


@dataclass(frozen=True)
class Stance:
    milestone: Milestone
    state: str  # DONE, CURRENT or UPCOMING, from the dates


def stances(milestones: list[Milestone], day: dt.date) -> list[Stance]:
    def state(m: Milestone) -> str:
        return DONE if m.end < day else CURRENT if m.start <= day else UPCOMING

    return [Stance(m, state(m)) for m in milestones]


def _with_campaign(rows: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return rows.select_related("campaign", "topic", "user", "school").prefetch_related(
        Prefetch("campaign__milestones", queryset=Milestone.objects.order_by("order", "start"))
    )


def my_records(user: Any, scope: Scope, day: dt.date) -> list[tuple[Enrolment, list[Stance]]]:
    """The person's records, those still running first, each with its milestones' stances."""
    rows = _with_campaign(Enrolment.objects.visible_to(scope).filter(user=user))
    ordered = sorted(
        rows,
        key=lambda e: (
            e.left_on is not None,
            e.campaign.status != CampaignStatus.PUBLISHED,
            -e.campaign.school_year,
            e.pk,
        ),
    )
    return [(e, stances(list(e.campaign.milestones.all()), day)) for e in ordered]


def own_records(user: Any, scope: Scope) -> QuerySet[Enrolment]:
    """The one place a person's own record is fetched from: in scope and theirs."""
    return Enrolment.objects.visible_to(scope).filter(user=user).select_related("campaign")


def latest_version(enrolment: Enrolment, *, submitted: bool = False) -> ReportVersion | None:
    versions = enrolment.report_versions.all()
    if submitted:
        versions = versions.filter(submitted=True)
    return versions.order_by("-created_at", "-pk").first()


def school_progress(
    campaign: Campaign, scope: Scope, day: dt.date
) -> tuple[list[Enrolment], list[Stance]]:
    rows = Enrolment.objects.visible_to(scope).filter(campaign=campaign)
    people = list(rows.select_related("user", "topic").order_by("left_on", "user__full_name"))
    return people, stances(list(campaign.milestones.order_by("order", "start")), day)


def grade_choices(campaign: Campaign) -> list[tuple[str, str]] | None:
    """The grades of the campaign's scale as form choices; None for marks out of 10."""
    if campaign.scale == Scale.MARKS_10:
        return None
    if campaign.scale == Scale.CUSTOM:
        return [(level.label, level.label) for level in campaign.scale_levels.all()]
    return [(code, str(label)) for code, label, _passes in PRESET_LEVELS[campaign.scale]]
