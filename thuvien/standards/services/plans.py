"""The library's development plan: made from the gaps of a self-assessment, kept across years
(what is not done is carried to the next year's plan, once), edited by the school's staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuvien.standards import results
from thuvien.standards.models import (
    OPEN_ACTIONS,
    Assessment,
    DevelopmentPlan,
    PlanAction,
    PlanActionStatus,
)
from thuvien.standards.services.assessments import AssessmentError


@transaction.atomic
def plan_from_gaps(assessment: Assessment) -> DevelopmentPlan:
    """The school's plan of the assessment's year, with an action for each criterion that keeps
    the library from the next level (one per criterion, made once) and the open actions of the
    year before carried over."""
    school, year = assessment.school, assessment.window.year
    plan, created = DevelopmentPlan.objects.select_for_update().get_or_create(
        school=school, year=year, defaults={"assessment": assessment}
    )
    if plan.assessment_id is None:
        plan.assessment = assessment
        plan.save(update_fields=["assessment"])
    actions = list(plan.actions.all())
    have = {action.criterion_code for action in actions if action.criterion_code}
    order = max((action.order for action in actions), default=0)
    new: list[PlanAction] = []
    if created:
        before = DevelopmentPlan.objects.filter(school=school, year=year - 1).first()
        carried = list(before.actions.filter(status__in=OPEN_ACTIONS)) if before else []
        for old in carried:
            order += 1
            new.append(
                PlanAction(
                    plan=plan,
                    school=school,
                    criterion_code=old.criterion_code,
                    title=old.title,
                    owner=old.owner,
                    budget_vnd=old.budget_vnd,
                    status=old.status,
                    note=old.note,
                    carried_from=old,
                    order=order,
                )
            )
            have.add(old.criterion_code)
    result = results.result_of(assessment)
    level = result.next_level.name if result.next_level else ""
    for gap in result.gaps:
        code = gap.criterion.code
        if code in have:
            continue
        order += 1
        title = _("Meet %(code)s for %(level)s: %(requirement)s") % {
            "code": code,
            "level": level,
            "requirement": gap.criterion.name,
        }
        new.append(
            PlanAction(
                plan=plan, school=school, criterion_code=code, title=title[:500], order=order
            )
        )
        have.add(code)
    PlanAction.objects.bulk_create(new)
    return plan


@transaction.atomic
def add_action(plan: DevelopmentPlan, *, title: str, **fields: Any) -> PlanAction:
    if not title.strip():
        raise AssessmentError(_("Say what the action is."))
    last = plan.actions.order_by("-order").first()
    return PlanAction.objects.create(
        plan=plan,
        school_id=plan.school_id,
        title=title.strip(),
        order=(last.order if last else 0) + 1,
        **fields,
    )


EDITABLE_FIELDS = ("title", "owner", "due_on", "budget_vnd", "status", "note")


@transaction.atomic
def save_actions(plan: DevelopmentPlan, rows: dict[int, dict[str, Any]]) -> int:
    """Save the plan's actions as edited (action id → fields); the number changed."""
    actions = {action.pk: action for action in plan.actions.select_for_update()}
    if set(rows) - set(actions):
        raise AssessmentError(_("The form is out of date: open the plan again."))
    changed = []
    for pk, fields in rows.items():
        action = actions[pk]
        if fields.get("status") not in (None, *PlanActionStatus.values):
            raise AssessmentError(_("Choose a status of the list."))
        before = [getattr(action, name) for name in EDITABLE_FIELDS]
        for name in EDITABLE_FIELDS:
            if name in fields:
                setattr(action, name, fields[name])
        if not action.title.strip():
            raise AssessmentError(_("Say what the action is."))
        if [getattr(action, name) for name in EDITABLE_FIELDS] != before:
            changed.append(action)
    PlanAction.objects.bulk_update(changed, list(EDITABLE_FIELDS))
    return len(changed)


def overdue(plan: DevelopmentPlan, day: dt.date) -> list[PlanAction]:
    return [
        action
        for action in plan.actions.all()
        if action.status in OPEN_ACTIONS and action.due_on is not None and action.due_on < day
    ]
