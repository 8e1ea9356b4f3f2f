"""What a campaign looks like on the day of a reminder run, read once in a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thuvien.organisations.models import (
    SUPERVISING_KINDS,
    Membership,
    Role,
    Unit,
    UnitKind,
    UnitParentLink,
)
from thuvien.training.models import Campaign, ChosenTopic, Enrolment, OwnTopicStatus, ReportStatus

ESCALATION_DAYS = 7
SUPERVISOR_ROLES: dict[str, tuple[str, ...]] = {
    UnitKind.OFFICE: (Role.OFFICE_OFFICER,),
    UnitKind.DEPARTMENT: (Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_ADMIN),
}


@dataclass(frozen=True)
class Person:
    enrolment_id: int
    user_id: int
    school_id: int
    name: str
    chose_topic: bool
    # Submitted or evaluated; a returned report is not done (it must be submitted again).
    report_done: bool
    deadline: dt.date | None


class CampaignDay:
    def __init__(self, campaign: Campaign, today: dt.date) -> None:
        self.campaign, self.today = campaign, today
        self.offsets = campaign.reminder_offsets

    @cached_property
    def people(self) -> list[Person]:
        """Everyone enrolled now with an active account (a deactivated person is reminded of
        nothing and is nobody's escalation); "chose a topic" means all of the campaign's
        `topics_per_person` are chosen (an own topic proposed or approved counts as one)."""
        rows = (
            Enrolment.objects.filter(campaign=self.campaign, user__is_active=True)
            .current()
            .order_by("pk")
            .values_list(
                "pk", "user_id", "school_id", "user__full_name", "topic_id", "own_topic_status",
                "report_status", "extended_until",
            )
        )  # fmt: skip
        proposed = (OwnTopicStatus.PENDING, OwnTopicStatus.APPROVED)
        done = (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
        extra, wanted = self._extra_topics(), self.campaign.topics_per_person
        return [
            Person(
                pk, user, school, name,
                (topic is not None) + extra.get(pk, 0) + (own in proposed) >= wanted,
                status in done, extended or self.campaign.school_deadline,
            )
            for pk, user, school, name, topic, own, status, extended in rows
        ]  # fmt: skip

    def _extra_topics(self) -> dict[int, int]:
        """record id → topics chosen beyond the first; one grouped query (none when each person
        chooses one: there are no extra topics then)."""
        if self.campaign.topics_per_person == 1:
            return {}
        rows = ChosenTopic.objects.filter(enrolment__campaign=self.campaign)
        grouped = rows.order_by().values_list("enrolment_id").annotate(n=Count("pk"))
        return dict(grouped)

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
        """What every message names: the campaign, the date, and (from today) the days left —
        so the 7-day and the 1-day reminder read alike, each with its own count."""
        days = (date - self.today).days
        left = (
            ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
            if days > 0
            else _("today is the last day")
        )
        return {
            "campaign": self.campaign.subject,
            "date": date.strftime("%d/%m/%Y"),
            "days": days,
            "left": left,
        }

    @cached_property
    def report_step(self) -> str:
        """The name of the campaign's last milestone (the report itself), for the reminders."""
        last = self.campaign.milestones.order_by("-end", "-order").values_list("name", flat=True)
        return last.first() or _("Submitting the report")


def members_of(
    units: Iterable[int], today: dt.date, roles: Iterable[str]
) -> dict[int, set[tuple[str, int]]]:
    """unit id → (role, user id) of everybody holding one of `roles` there today (one query)."""
    rows = Membership.objects.current(today).filter(unit_id__in=list(units), role__in=list(roles))
    found: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for unit, role, user in rows.values_list("unit_id", "role", "user_id"):
        found[unit].add((role, user))
    return found


def officers_of(units: set[tuple[int, str]], today: dt.date) -> dict[int, set[int]]:
    """supervising unit id → its officers today: office officers of an office, the department's
    officers and administrators for the department."""
    roles = {role for roles in SUPERVISOR_ROLES.values() for role in roles}
    members = members_of({unit for unit, _kind in units}, today, roles)
    return {
        unit: {user for role, user in members.get(unit, ()) if role in SUPERVISOR_ROLES[kind]}
        for unit, kind in units
    }
