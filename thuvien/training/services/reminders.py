"""Reminders before milestones and deadlines, and escalations after deadlines, run once a day.

`send_reminders` goes over every published campaign (closed ones are finished: nothing is sent) and
first enrols the people appointed since (`sync_enrolments`). Then, among the CURRENT enrolments
(people who left keep their record and get nothing):

What is reminded, of which date, to whom, and what "done" means:

- the milestone with `locks_topic_choice`: its START; the person; done when a topic is chosen
  (or one's own proposed or approved). Skipped when the campaign has no topics at all.
- every other milestone but the last: its END; the person; done when a study note is dated
  within the milestone.
- the report (the last milestone, the school deadline): the PERSONAL deadline (the extension when
  granted, else the school deadline); the person; done when the report is submitted or evaluated.
- escalation, a person overdue: the day after the personal deadline; the school's current
  principal(s), once per person; done when the report was submitted.
- escalation, a school without its package: the day after the school deadline; the officers of the
  school's supervisor that day (office officers, or the department's officers and administrators
  for a school directly under it), once per school; done when the package is submitted/accepted.
- an office without its aggregate report: the office deadline; the office's officers (every
  supervising office of the campaign's schools except the issuer); done when submitted/accepted.

The first three rows are `MILESTONE_RULES` and `_report_reminders`. A reminder is due from
`offset` days before its date for each offset of `campaign.reminder_offsets` ([7, 1]); on a given
day only the smallest offset whose window has opened is sent, so a day missed by the timer is
caught up once, never twice. Escalations are sent from the day after their date for
`ESCALATION_DAYS` days (after that, a newly appointed principal does not inherit old alarms).

Every notification carries a key naming campaign, kind, date, offset and person or school, unique
per recipient in the database: a second run on the same day, or a rerun after a crash, sends
nothing twice. Each campaign is read with a fixed number of queries (no query per person) and its
notifications are written in bulk with one e-mail task.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thuvien.notifications.services import Message, deliver
from thuvien.organisations.models import (
    SUPERVISING_KINDS,
    Membership,
    Role,
    Unit,
    UnitKind,
    UnitParentLink,
)
from thuvien.training.models import (
    Campaign,
    Enrolment,
    Milestone,
    OwnTopicStatus,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    StudyNote,
    UnitReport,
    UnitReportStatus,
)
from thuvien.training.services.campaigns import sync_enrolments

ESCALATION_DAYS = 7
SUPERVISOR_ROLES: dict[str, tuple[str, ...]] = {
    UnitKind.OFFICE: (Role.OFFICE_OFFICER,),
    UnitKind.DEPARTMENT: (Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_ADMIN),
}


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
            *_milestone_reminders(day),
            *_report_reminders(day),
            *_overdue_escalations(day),
            *_missing_package_escalations(day),
            *_office_report_reminders(day),
        ]
    run.sent.update(message.kind for message in deliver(messages))


# --- What a campaign looks like on the day (read once, in a few queries) -------------------------


@dataclass(frozen=True)
class Person:
    enrolment_id: int
    user_id: int
    school_id: int
    name: str
    chose_topic: bool
    submitted_at: dt.datetime | None
    report_done: bool
    deadline: dt.date | None


class CampaignDay:
    def __init__(self, campaign: Campaign, today: dt.date) -> None:
        self.campaign, self.today = campaign, today
        self.offsets = campaign.reminder_offsets

    @cached_property
    def people(self) -> list[Person]:
        rows = (
            Enrolment.objects.filter(campaign=self.campaign)
            .current()
            .order_by("pk")
            .values_list(
                "pk", "user_id", "school_id", "user__full_name", "topic_id", "own_topic_status",
                "submitted_at", "report_status", "extended_until",
            )
        )  # fmt: skip
        chosen = (OwnTopicStatus.PENDING, OwnTopicStatus.APPROVED)
        done = (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
        return [
            Person(
                pk, user, school, name, topic is not None or own in chosen, submitted_at,
                status in done, extended or self.campaign.school_deadline,
            )
            for pk, user, school, name, topic, own, submitted_at, status, extended in rows
        ]  # fmt: skip

    @cached_property
    def schools(self) -> set[int]:
        return {person.school_id for person in self.people}

    @cached_property
    def supervisors(self) -> dict[int, tuple[int, str]]:
        """school id → (supervising unit id, its kind) today, as `supervisor_on` would say."""
        parents = dict(UnitParentLink.objects.on(self.today).values_list("unit_id", "parent_id"))
        kinds = dict(Unit.objects.filter(kind__in=SUPERVISING_KINDS).values_list("pk", "kind"))
        found: dict[int, tuple[int, str]] = {}
        for school in self.schools:
            seen: set[int] = set()
            current = parents.get(school)
            while current is not None and current not in seen:
                if current in kinds:
                    found[school] = (current, kinds[current])
                    break
                seen.add(current)
                current = parents.get(current)
        return found

    def window(self, date: dt.date | None) -> int | None:
        """The offset of the reminder due today for `date` (None: nothing due)."""
        if date is None or date < self.today:
            return None
        due = [offset for offset in self.offsets if offset >= (date - self.today).days]
        return min(due) if due else None

    def escalating(self, date: dt.date | None) -> bool:
        return date is not None and date < self.today <= date + dt.timedelta(ESCALATION_DAYS)

    def key(self, *parts: object) -> str:
        return ":".join(["training", str(self.campaign.pk), *map(str, parts)])

    def record_url(self, person: Person) -> str:
        return reverse("training:record_detail", args=[person.enrolment_id])

    def values(self, date: dt.date) -> dict[str, object]:
        return {"campaign": self.campaign.subject, "date": date.strftime("%d/%m/%Y")}


def _members(
    units: Iterable[int], today: dt.date, roles: Iterable[str]
) -> dict[int, set[tuple[str, int]]]:
    """unit id → (role, user id) of everybody holding one of `roles` there today (one query)."""
    rows = Membership.objects.current(today).filter(unit_id__in=list(units), role__in=list(roles))
    found: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for unit, role, user in rows.values_list("unit_id", "role", "user_id"):
        found[unit].add((role, user))
    return found


# --- Reminders to people -------------------------------------------------------------------------


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
        gettext_noop("Choose your self-training topic before %(date)s"),
        gettext_noop(
            "Campaign “%(campaign)s”: the optional part starts on %(date)s and topic choices close "
            "then. Choose your topic in your self-training record."
        ),
    ),
    "notes": MilestoneRule(
        "notes",
        lambda milestone: milestone.end,
        gettext_noop("Milestone “%(milestone)s” ends on %(date)s"),
        gettext_noop(
            "Campaign “%(campaign)s”: you have no study note dated within this milestone yet. "
            "Record what you studied in your self-training record."
        ),
    ),
}


def _rule_of(milestone: Milestone, last: Milestone) -> MilestoneRule | None:
    if milestone.locks_topic_choice:
        return MILESTONE_RULES["topic"]
    if milestone.pk == last.pk:
        return None  # the report itself: reminded against each personal deadline
    return MILESTONE_RULES["notes"]


def _milestone_reminders(day: CampaignDay) -> list[Message]:
    milestones = list(day.campaign.milestones.all())
    if not milestones:
        return []
    last = max(milestones, key=lambda milestone: (milestone.end, milestone.order))
    messages: list[Message] = []
    for milestone in milestones:
        rule = _rule_of(milestone, last)
        date = rule.date(milestone) if rule else None
        offset = day.window(date)
        if rule is None or date is None or offset is None:
            continue
        values = {**day.values(date), "milestone": milestone.name}
        key = day.key(rule.name, milestone.pk, date, offset)
        for person in _not_done(day, rule, milestone):
            subject, body = _(rule.subject) % values, _(rule.body) % values
            url = day.record_url(person)
            messages.append(
                Message(person.user_id, f"training.{rule.name}", subject, body, url, key)
            )
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


def _report_reminders(day: CampaignDay) -> list[Message]:
    """Before each person's own deadline: the extension when granted, else the school's."""
    messages = []
    for person in day.people:
        offset = day.window(person.deadline)
        if person.report_done or person.deadline is None or offset is None:
            continue
        values = day.values(person.deadline)
        messages.append(
            Message(
                person.user_id,
                "training.report",
                _("Your self-training report is due on %(date)s") % values,
                _("Campaign “%(campaign)s”: submit your report by %(date)s.") % values,
                day.record_url(person),
                day.key("report", person.deadline, offset),
            )
        )
    return messages


# --- Escalations and the offices' reports --------------------------------------------------------


def _overdue_escalations(day: CampaignDay) -> list[Message]:
    """The day after a person's deadline passes unsubmitted, their principal(s) hear of it."""
    overdue = [
        person
        for person in day.people
        if person.submitted_at is None and day.escalating(person.deadline)
    ]
    if not overdue:
        return []
    principals = _members({p.school_id for p in overdue}, day.today, [Role.PRINCIPAL])
    url = reverse("training:school_page", args=[day.campaign.pk])
    messages = []
    for person in overdue:
        assert person.deadline is not None
        values = {**day.values(person.deadline), "person": person.name}
        subject = _("%(person)s has not submitted the self-training report") % values
        body = _("Campaign “%(campaign)s”: the deadline was %(date)s.") % values
        key = day.key("overdue", person.enrolment_id, person.deadline)
        for _role, principal in sorted(principals.get(person.school_id, ())):
            messages.append(Message(principal, "training.overdue", subject, body, url, key))
    return messages


def _missing_package_escalations(day: CampaignDay) -> list[Message]:
    """The day after the school deadline, the supervisor of each school without a package."""
    deadline = day.campaign.school_deadline
    if deadline is None or not day.escalating(deadline):
        return []
    sent = SchoolPackage.objects.filter(
        campaign=day.campaign, status__in=(PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)
    ).values_list("school_id", flat=True)
    missing = day.schools - set(sent)
    names = dict(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    officers = _officers({day.supervisors[s] for s in missing if s in day.supervisors}, day.today)
    url = reverse("training:campaign_detail", args=[day.campaign.pk])
    messages = []
    for school in sorted(missing):
        values = {**day.values(deadline), "school": names.get(school, "")}
        subject = _("%(school)s has not sent its self-training package") % values
        body = _("Campaign “%(campaign)s”: the school deadline was %(date)s.") % values
        key = day.key("package", school, deadline)
        supervisor = day.supervisors.get(school, (0, ""))[0]
        for officer in sorted(officers.get(supervisor, ())):
            messages.append(Message(officer, "training.package_missing", subject, body, url, key))
    return messages


def _office_report_reminders(day: CampaignDay) -> list[Message]:
    """Before the office deadline, each office (but the issuer) whose report has not gone up."""
    deadline = day.campaign.office_deadline
    offset = day.window(deadline)
    if deadline is None or offset is None:
        return []
    offices = {unit for unit, kind in day.supervisors.values() if kind == UnitKind.OFFICE}
    offices.discard(day.campaign.issuer_id)
    done = UnitReport.objects.filter(campaign=day.campaign, unit__in=offices).filter(
        Q(status=UnitReportStatus.SUBMITTED) | Q(status=UnitReportStatus.ACCEPTED)
    )
    offices -= set(done.values_list("unit_id", flat=True))
    officers = _officers({(office, UnitKind.OFFICE) for office in offices}, day.today)
    values = day.values(deadline)
    subject = _("The aggregate self-training report is due on %(date)s") % values
    body = _("Campaign “%(campaign)s”: send your office's aggregate report by %(date)s.") % values
    url = reverse("training:campaign_detail", args=[day.campaign.pk])
    key = day.key("office-report", deadline, offset)
    return [
        Message(officer, "training.office_report", subject, body, url, f"{key}:{office}")
        for office in sorted(offices)
        for officer in sorted(officers.get(office, ()))
    ]


def _officers(units: set[tuple[int, str]], today: dt.date) -> dict[int, set[int]]:
    """supervising unit id → its officers today: office officers of an office, the department's
    officers and administrators for the department."""
    roles = {role for roles in SUPERVISOR_ROLES.values() for role in roles}
    members = _members({unit for unit, _kind in units}, today, roles)
    return {
        unit: {user for role, user in members.get(unit, ()) if role in SUPERVISOR_ROLES[kind]}
        for unit, kind in units
    }
