"""The person's own plan in their record: what to study when, linked to the campaign's milestones,
materials or topics. The plan is the person's to change while the campaign is open."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from thuvien.training.models import Enrolment, Material, Milestone, PlanEntry, Topic
from thuvien.training.services.common import TrainingError, _audit, _check_open

MAX_ENTRIES = 60


def _check_entry(
    enrolment: Enrolment,
    what: str,
    start: dt.date,
    end: dt.date,
    parts: list[Milestone | Material | Topic | None],
) -> None:
    if not what.strip():
        raise TrainingError(_("Write what you plan to study."))
    if end < start:
        raise TrainingError(_("A plan entry cannot end before it starts."))
    if any(part is not None and part.campaign_id != enrolment.campaign_id for part in parts):
        raise TrainingError(_("Choose a milestone, material or topic of this campaign."))
    if len(enrolment.plan) >= MAX_ENTRIES:
        raise TrainingError(_("A plan holds at most %(count)d entries.") % {"count": MAX_ENTRIES})


@transaction.atomic
def add_plan_entry(
    enrolment: Enrolment,
    *,
    what: str,
    start: dt.date,
    end: dt.date,
    milestone: Milestone | None = None,
    material: Material | None = None,
    topic: Topic | None = None,
) -> PlanEntry:
    _check_open(enrolment)
    _check_entry(enrolment, what, start, end, [milestone, material, topic])
    entry = PlanEntry(
        id=max((int(row["id"]) for row in enrolment.plan), default=0) + 1,
        what=what.strip(),
        start=start,
        end=end,
        milestone=milestone.pk if milestone else None,
        material=material.pk if material else None,
        topic=topic.pk if topic else None,
    )
    enrolment.plan = [*enrolment.plan, entry.to_json()]
    _audit(enrolment, enrolment.user)
    enrolment.save(update_fields=["plan"])
    return entry


def _replace(enrolment: Enrolment, entry_id: int, entry: PlanEntry | None) -> None:
    rows = [row for row in enrolment.plan if int(row["id"]) != entry_id]
    if len(rows) == len(enrolment.plan):
        raise TrainingError(_("This plan entry no longer exists; reload the page."))
    enrolment.plan = [*rows, entry.to_json()] if entry else rows
    _audit(enrolment, enrolment.user)
    enrolment.save(update_fields=["plan"])


@transaction.atomic
def remove_plan_entry(enrolment: Enrolment, entry_id: int) -> None:
    _check_open(enrolment)
    _replace(enrolment, entry_id, None)


@transaction.atomic
def mark_plan_entry(enrolment: Enrolment, entry_id: int, *, done: bool) -> PlanEntry:
    _check_open(enrolment)
    current = next((e for e in enrolment.plan_entries() if e.id == entry_id), None)
    if current is None:
        raise TrainingError(_("This plan entry no longer exists; reload the page."))
    entry = dataclasses.replace(current, done=done)
    _replace(enrolment, entry_id, entry)
    return entry
