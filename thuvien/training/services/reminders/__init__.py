"""Reminders before milestones and deadlines, and escalations after deadlines, run once a day.

`send_reminders` goes over every published campaign (closed ones are finished: nothing is sent) and
first enrols the people appointed since (`sync_enrolments`, which also moves the record of a person
now at another targeted school). Then, among the CURRENT enrolments (people who left keep their
record and get nothing):

What is reminded, of which date, to whom, and what "done" means:

| kind (training.…) | date                       | to whom                   | done when    |
|-------------------|----------------------------|---------------------------|--------------|
| topic             | START of the topic-lock m. | the person                | topic chosen |
| notes             | END of a STUDY milestone   | the person                | a note in it |
| report            | the personal deadline      | the person                | handed in    |
| overdue           | day after the personal d.  | the school's principal(s) | handed in    |
| package_missing   | day after the school d.    | the supervisor's officers | package sent |
| office_report     | the office deadline        | the office's officers     | report sent  |

"Handed in": submitted or evaluated (a RETURNED report is not); "sent": submitted or accepted;
"d." is deadline, "m." milestone.

- topic: the milestone with `locks_topic_choice`; "chosen" means all of the campaign's
  `topics_per_person` topics, one's own topic proposed or approved counting as one; skipped
  when the campaign has no topics and allows no own topic. People enrolled on or after that
  date make their first choice without a reminder (`reviews.choose_topic`).
- notes: the STUDY milestones only, those ending on or before the END of the topic-lock
  milestone (the letter's months 1 and 2, the topic-lock one included), never the last one.
  Later milestones (the report guidance, writing the report) belong to the report: nobody is
  asked for study notes then. A campaign without a topic-lock milestone cannot tell study from
  writing: every milestone but the last is a study milestone.
- report: the last milestone is the report itself; the personal deadline is the extension when
  granted, else the school deadline. A RETURNED report is not done: it is reminded and escalated
  again until it is submitted anew.
- overdue: once per person, to the school's current principal(s).
- package_missing: once per school, to the officers of the school's supervisor that day (office
  officers, or the department's officers and administrators for a school directly under it).
- office_report: every supervising office of the campaign's schools except the issuer.

The report guidance is announced when it is published (`campaigns.publish_report_guidance`),
not by this run.

A reminder is due from `offset` days before its date for each offset of
`campaign.reminder_offsets` ([7, 1]); on a given day only the smallest offset whose window has
opened is sent, so a day missed by the timer is caught up once, never twice. Escalations are sent
from the day after their date for `ESCALATION_DAYS` days (after that, a newly appointed principal
does not inherit old alarms).

Every notification carries a key naming campaign, kind, date, offset and person or school, unique
per recipient in the database: a second run on the same day, or a rerun after a crash, sends
nothing twice. Each campaign is read with a fixed number of queries (no query per person) and its
notifications are written in bulk with one e-mail task.

- `day`: the campaign on the day (its current people, their schools' supervisors), who holds a
  role where.
- `people`: the reminders to the people enrolled (`MILESTONE_RULES`, the report).
- `escalations`: escalations after deadlines and the offices' reminders.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from thuvien.notifications.services import deliver
from thuvien.training.models import Campaign
from thuvien.training.services.campaigns import sync_enrolments
from thuvien.training.services.reminders.day import (
    ESCALATION_DAYS,
    SUPERVISOR_ROLES,
    CampaignDay,
    Person,
)
from thuvien.training.services.reminders.escalations import (
    missing_package_escalations,
    office_report_reminders,
    overdue_escalations,
)
from thuvien.training.services.reminders.people import (
    MILESTONE_RULES,
    MilestoneRule,
    milestone_reminders,
    report_reminders,
)

__all__ = [
    "ESCALATION_DAYS",
    "MILESTONE_RULES",
    "SUPERVISOR_ROLES",
    "CampaignDay",
    "MilestoneRule",
    "Person",
    "ReminderRun",
    "send_reminders",
]


@dataclass
class ReminderRun:
    """What one run sent, by kind of notification."""

    campaigns: int = 0
    enrolled: int = 0
    sent: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def as_dict(self) -> dict[str, int]:
        return {"campaigns": self.campaigns, "enrolled": self.enrolled, **self.sent}


def send_reminders(*, today: dt.date | None = None) -> ReminderRun:
    """Remind and escalate for every published campaign on `today` (default: today)."""
    today = today or timezone.localdate()
    run = ReminderRun()
    for campaign in Campaign.objects.published().select_related("target").order_by("pk"):
        _remind_campaign(campaign, today, run)
    return run


@transaction.atomic
def _remind_campaign(campaign: Campaign, today: dt.date, run: ReminderRun) -> None:
    run.campaigns += 1
    run.enrolled += sync_enrolments(campaign, on=today).enrolled
    day = CampaignDay(campaign, today)
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            *milestone_reminders(day),
            *report_reminders(day),
            *overdue_escalations(day),
            *missing_package_escalations(day),
            *office_report_reminders(day),
        ]
    run.sent.update(message.kind for message in deliver(messages))
