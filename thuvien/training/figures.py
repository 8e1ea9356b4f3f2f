"""The figures of an aggregate report (Báo cáo tổng hợp) for one campaign and one unit.

Two ways of choosing the schools:

- **routed** (an office, or the department for the schools it supervises directly): the schools
  whose packages were SENT TO the unit (`SchoolPackage.submitted_to`, the route as it was on the
  day of sending), plus the schools directly under it today that have sent nothing. A school moved
  after sending shows at the unit that received its package, not at its new one.
- **province** (the department's own report): every targeted school of the subtree.

A fixed number of queries whatever the number of schools: the units, the packages, the records,
the topics chosen beyond each person's first (grouped), the topics (and for the province the
offices and their reports); the rest is counted in Python.
People counted: those still in a targeted role, and those who left after submitting.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from thuvien.organisations import audience
from thuvien.organisations.models import Unit, UnitKind
from thuvien.training.models import (
    PRESET_LEVELS,
    Campaign,
    ChosenTopic,
    Enrolment,
    PackageStatus,
    ReportStatus,
    Scale,
    SchoolPackage,
    Topic,
    UnitReport,
)

# A package that went up the tree stays with the unit it went to, even when returned to the school;
# it counts as sent only while submitted or accepted.
ROUTED = (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED, PackageStatus.RETURNED)
SENT = (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
# Marks out of 10 are shown in bands: (lowest mark of the band, label).
MARK_BANDS = ((Decimal(9), "9 – 10"), (Decimal(7), "7 – 8,9"), (Decimal(5), "5 – 6,9"))
FAILING_BAND = "0 – 4,9"


@dataclass(frozen=True)
class Level:
    code: str  # as stored in Enrolment.grade, or a band label for marks
    label: str | Promise  # lazy for the presets: shown in the language of the reader
    passes: bool


@dataclass
class Tally:
    expected: int = 0
    submitted: int = 0
    late: int = 0
    evaluated: int = 0
    passed: int = 0
    overdue: int = 0  # not submitted, past the personal deadline
    grades: Counter[str] = field(default_factory=Counter)

    @property
    def on_time(self) -> int:
        return self.submitted - self.late

    @property
    def missing(self) -> int:
        """Not submitted and past the deadline (as on the dashboard)."""
        return self.overdue

    @property
    def pending(self) -> int:
        """Not submitted yet, still before the deadline."""
        return self.expected - self.submitted - self.overdue

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.submitted += other.submitted
        self.late += other.late
        self.evaluated += other.evaluated
        self.passed += other.passed
        self.overdue += other.overdue
        self.grades.update(other.grades)


@dataclass
class SchoolRow:
    school: Unit
    via: Unit | None  # the unit it reports to: where its package went, or its parent today
    package: SchoolPackage | None
    tally: Tally = field(default_factory=Tally)

    @property
    def sent(self) -> bool:
        return self.package is not None and self.package.status in SENT

    @property
    def sent_on(self) -> dt.date | None:
        at = self.package.submitted_at if self.sent and self.package else None
        return timezone.localdate(at) if at else None

    @property
    def late(self) -> bool:
        return bool(self.sent and self.package and self.package.is_late)


@dataclass(frozen=True)
class Person:
    name: str
    school: str
    day: dt.date | None  # late: the day submitted; missing: the personal deadline
    status: str  # a ReportStatus

    @property
    def status_label(self) -> Promise:
        return ReportStatus(self.status).label


@dataclass
class OfficeRow:
    office: Unit
    report: UnitReport | None
    schools: int = 0
    sent: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class Figures:
    campaign: Campaign
    unit: Unit
    province: bool
    levels: list[Level]
    schools: list[SchoolRow]
    totals: Tally
    topics: list[tuple[str, int]]
    own_topics: list[tuple[str, int]]
    late: list[Person]
    missing: list[Person]
    offices: list[OfficeRow]

    @property
    def not_sent(self) -> list[SchoolRow]:
        return [row for row in self.schools if not row.sent]

    @property
    def grade_rows(self) -> list[tuple[Level, int, float]]:
        """(level, count, percent of those evaluated) for every level of the scale."""
        total = self.totals.evaluated or 1
        return [
            (
                lvl,
                self.totals.grades[lvl.code],
                round(100 * self.totals.grades[lvl.code] / total, 1),
            )
            for lvl in self.levels
        ]


def scale_levels(campaign: Campaign) -> list[Level]:
    if campaign.scale == Scale.MARKS_10:
        return [Level(label, label, True) for _low, label in MARK_BANDS] + [
            Level(FAILING_BAND, FAILING_BAND, False)
        ]
    if campaign.scale == Scale.CUSTOM:
        return [Level(lvl.label, lvl.label, lvl.passes) for lvl in campaign.scale_levels.all()]
    return [Level(code, label, passes) for code, label, passes in PRESET_LEVELS[campaign.scale]]


def _grade_code(campaign: Campaign, grade: str, mark: Decimal | None) -> str:
    if campaign.scale != Scale.MARKS_10:
        return grade
    value = mark if mark is not None else Decimal(grade or 0)
    return next((label for low, label in MARK_BANDS if value >= low), FAILING_BAND)


def _schools(campaign: Campaign, unit: Unit, province: bool) -> list[SchoolRow]:
    packages = SchoolPackage.objects.filter(campaign=campaign).select_related("submitted_to")
    if province:
        units = Unit.objects.filter(audience.schools_q(campaign), path__startswith=unit.path)
        by_school = {p.school_id: p for p in packages.filter(school__path__startswith=unit.path)}
        extra, gone = set(by_school), set[int]()
    else:
        units = Unit.objects.filter(audience.schools_q(campaign), parent=unit)
        rows = packages.filter(Q(submitted_to=unit) | Q(school__parent=unit))
        by_school = {p.school_id: p for p in rows}
        # Sent to this unit (even from a school that has moved away since) or nothing sent yet.
        extra = {p.school_id for p in by_school.values() if p.submitted_to_id == unit.pk}
        gone = {p.school_id for p in by_school.values() if p.status in ROUTED} - extra
    chosen = units.select_related("parent") | Unit.objects.filter(pk__in=extra)
    result = []
    for school in chosen.select_related("parent").order_by("name", "pk"):
        if school.pk in gone:
            continue
        package = by_school.get(school.pk)
        via = package.submitted_to if package and package.status in ROUTED else school.parent
        result.append(SchoolRow(school=school, via=via, package=package))
    return result


def _records(campaign: Campaign, unit: Unit, province: bool) -> QuerySet[Enrolment]:
    rows = Enrolment.objects.filter(campaign=campaign)
    where = Q(school__path__startswith=unit.path) if province else Q(school__parent=unit)
    if not province:
        where |= Q(school__in=SchoolPackage.objects.filter(campaign=campaign, submitted_to=unit)
                   .values("school"))  # fmt: skip
    # Who left, or whose account was deactivated, counts only with a report handed in: nobody
    # inactive is reported missing, even before the daily run marks the record left.
    present = Q(left_on__isnull=True, user__is_active=True)
    return rows.filter(where).filter(present | Q(submitted_at__isnull=False))


def _people(records: QuerySet[Enrolment]) -> QuerySet[Any]:
    return records.order_by("school__name", "user__full_name", "pk").values_list(
        "school_id", "user__full_name", "user__username", "report_status", "submitted_at",
        "extended_until", "grade", "mark", "passed", "topic__title", "own_topic",
    )  # fmt: skip


def _extra_topics(records: QuerySet[Enrolment]) -> QuerySet[Any]:
    """(school id, topic title, people) for the topics chosen beyond each person's first, in
    one grouped query."""
    chosen = ChosenTopic.objects.filter(enrolment__in=records.values("pk"))
    return (
        chosen.order_by()
        .values_list("enrolment__school_id", "topic__title")
        .annotate(people=Count("pk"))
    )


def unit_figures(
    campaign: Campaign, unit: Unit, *, province: bool | None = None, today: dt.date | None = None
) -> Figures:
    """The figures of `unit`'s report on `today`; `province` defaults to True for the department.
    Someone who has not submitted is "missing" once past their deadline, "pending" before."""
    province = unit.kind == UnitKind.DEPARTMENT if province is None else province
    today = today or timezone.localdate()
    schools = _schools(campaign, unit, province)
    index = {row.school.pk: row for row in schools}
    records = _records(campaign, unit, province)
    late: list[Person] = []
    missing: list[Person] = []
    topics: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for (
        school_id,
        name,
        username,
        status,
        at,
        extended,
        grade,
        mark,
        passed,
        topic,
        own_topic,
    ) in _people(records):
        row = index.get(school_id)
        if row is None:
            continue  # its school sent its package elsewhere
        tally, deadline = row.tally, extended or campaign.school_deadline
        tally.expected += 1
        person = name or username
        if status in HANDED_IN:
            tally.submitted += 1
            day = timezone.localdate(at) if at else None
            if day and deadline and day > deadline:
                tally.late += 1
                late.append(Person(person, row.school.name, day, status))
        elif deadline is not None and today > deadline:
            tally.overdue += 1
            missing.append(Person(person, row.school.name, deadline, status))
        if status == ReportStatus.EVALUATED:
            tally.evaluated += 1
            tally.passed += bool(passed)
            tally.grades[_grade_code(campaign, grade, mark)] += 1
        if topic:
            topics[topic] += 1
        if own_topic:
            own[own_topic] += 1
    extras = _extra_topics(records) if campaign.topics_per_person > 1 else ()
    for school_id, extra, people in extras:
        if school_id in index:  # as above: its school sent its package elsewhere
            topics[extra] += people
    totals = Tally()
    for row in schools:
        totals.add(row.tally)
    titles = Topic.objects.filter(campaign=campaign).order_by("order", "pk")
    return Figures(
        campaign=campaign,
        unit=unit,
        province=province,
        levels=scale_levels(campaign),
        schools=schools,
        totals=totals,
        topics=[(title, topics[title]) for title in titles.values_list("title", flat=True)],
        own_topics=sorted(own.items()),
        late=late,
        missing=missing,
        offices=_offices(campaign, unit, schools) if province else [],
    )


def _offices(campaign: Campaign, unit: Unit, schools: list[SchoolRow]) -> list[OfficeRow]:
    """One row per unit the schools report through (offices, and the department itself)."""
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(campaign=campaign, unit__path__startswith=unit.path)
    }
    rows: dict[int, OfficeRow] = {}
    for school in schools:
        via = school.via or unit
        row = rows.setdefault(via.pk, OfficeRow(office=via, report=reports.get(via.pk)))
        row.schools += 1
        row.sent += school.sent
        row.tally.add(school.tally)
    return sorted(rows.values(), key=lambda r: (r.office.pk != unit.pk, r.office.name))
