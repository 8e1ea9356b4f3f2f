"""Reminders to the people enrolled: before a milestone (a topic to choose, study notes to take)
and before their own deadline for the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thuvien.notifications.services import Message
from thuvien.training.models import Milestone, StudyNote
from thuvien.training.services.reminders.day import CampaignDay, Person


@dataclass(frozen=True)
class MilestoneRule:
    """Which date of a milestone is reminded of, and who has done what it asks."""

    name: str
    date: Callable[[Milestone], dt.date]
    subject: str
    body: str


MILESTONE_RULES: dict[str, MilestoneRule] = {
    "topic": MilestoneRule(
        "topic",
        lambda milestone: milestone.start,
        gettext_noop("Choose your self-training topic before %(date)s (%(left)s)"),
        gettext_noop(
            "Campaign “%(campaign)s”, step “%(milestone)s”: it starts on %(date)s (%(left)s) and "
            "topic choices close then. Choose your topic in your self-training record."
        ),
    ),
    "notes": MilestoneRule(
        "notes",
        lambda milestone: milestone.end,
        gettext_noop("Milestone “%(milestone)s” ends on %(date)s (%(left)s)"),
        gettext_noop(
            "Campaign “%(campaign)s”, step “%(milestone)s”: it ends on %(date)s (%(left)s) and you "
            "have no study note dated within it yet. Record what you studied in your "
            "self-training record."
        ),
    ),
}


def _rules_of(
    milestone: Milestone, last: Milestone, study_end: dt.date | None
) -> list[MilestoneRule]:
    """The topic rule for the topic-lock milestone; the notes rule for the study milestones: those
    ending on or before the topic-lock milestone's end (all but the last when there is none).
    The last milestone is the report itself, reminded against each personal deadline."""
    rules = [MILESTONE_RULES["topic"]] if milestone.locks_topic_choice else []
    studying = study_end is None or milestone.end <= study_end
    if milestone.pk != last.pk and studying:
        rules.append(MILESTONE_RULES["notes"])
    return rules


def milestone_reminders(day: CampaignDay) -> list[Message]:
    milestones = list(day.campaign.milestones.all())
    if not milestones:
        return []
    last = max(milestones, key=lambda milestone: (milestone.end, milestone.order))
    lock = next((milestone for milestone in milestones if milestone.locks_topic_choice), None)
    messages: list[Message] = []
    for milestone in milestones:
        for rule in _rules_of(milestone, last, lock.end if lock else None):
            date = rule.date(milestone)
            offset = day.window(date)
            if offset is None:
                continue
            values = {**day.values(date), "milestone": milestone.name}
            subject, body = _(rule.subject) % values, _(rule.body) % values
            key = day.key(rule.name, milestone.pk, date, offset)
            kind = f"training.{rule.name}"
            messages += [
                Message(person.user_id, kind, subject, body, day.record_url(person), key)
                for person in _not_done(day, rule, milestone)
            ]
    return messages


def _not_done(day: CampaignDay, rule: MilestoneRule, milestone: Milestone) -> list[Person]:
    if rule.name == "topic":
        if not (day.campaign.allow_own_topic or day.campaign.topics.exists()):
            return []
        return [person for person in day.people if not person.chose_topic]
    noted = set(
        StudyNote.objects.filter(
            enrolment__campaign=day.campaign, date__range=(milestone.start, milestone.end)
        ).values_list("enrolment_id", flat=True)
    )
    return [person for person in day.people if person.enrolment_id not in noted]


def report_reminders(day: CampaignDay) -> list[Message]:
    """Before each person's own deadline: the extension when granted, else the school's."""
    messages = []
    for person in day.people:
        offset = day.window(person.deadline)
        if person.report_done or person.deadline is None or offset is None:
            continue
        values = {**day.values(person.deadline), "milestone": day.report_step}
        messages.append(
            Message(
                person.user_id,
                "training.report",
                _("Your self-training report is due on %(date)s (%(left)s)") % values,
                _(
                    "Campaign “%(campaign)s”, step “%(milestone)s”: submit your report by "
                    "%(date)s (%(left)s)."
                )
                % values,
                day.record_url(person),
                day.key("report", person.deadline, offset),
            )
        )
    return messages
