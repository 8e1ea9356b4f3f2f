"""The province dashboard of a campaign: for a unit in the viewer's scope, one row per child unit
the campaign reaches (at the department its offices and the schools directly under it, at an office
its schools, at a school its people), with totals, grades, topics and who has not submitted yet.

The cost does not grow with the tree: one grouped query counts the records per school (and per
topic and grade), the units, packages and reports are read once each, and the schools' figures are
rolled up to the child rows in Python through the materialised `Unit.path`. A school counts where
it sits today; a package keeps the unit it was sent to.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, DateField, F, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.organisations.access import Action, Scope, get_scoped_or_404
from thuvien.organisations.models import Unit, UnitKind
from thuvien.training.models import (
    PRESET_LEVELS,
    Campaign,
    CampaignStatus,
    Enrolment,
    PackageStatus,
    ReportStatus,
    Scale,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)

OWN_TOPIC = "own"
SENT = (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)  # the same words for unit reports
DONE = frozenset({*SENT, UnitReportStatus.FINAL})
_SUBMITTED = Q(report_status__in=(ReportStatus.SUBMITTED, ReportStatus.EVALUATED))
# (code, label, lowest mark) of the mark buckets of the marks-out-of-10 scale, best first.
MARK_BUCKETS = (
    ("9-10", "9–10", Decimal(9)),
    ("7-8.9", "7–8.9", Decimal(7)),
    ("5-6.9", "5–6.9", Decimal(5)),
    ("0-4.9", "< 5", Decimal(0)),
)


def may_view(scope: Scope) -> bool:
    """Supervisors (who review packages) and principals (their own school) see the dashboard;
    library staff see only their own record."""
    return scope.can(Action.REVIEW_PACKAGES) or scope.can(Action.EVALUATE_TRAINING)


@dataclass(frozen=True)
class Bucket:
    code: str
    label: str


def grade_buckets(campaign: Campaign) -> list[Bucket]:
    """The grades of the campaign's scale, best first (marks out of 10 are bucketed)."""
    if campaign.scale == Scale.MARKS_10:
        return [Bucket(code, label) for code, label, _lowest in MARK_BUCKETS]
    if campaign.scale == Scale.CUSTOM:
        return [Bucket(lvl.label, lvl.label) for lvl in campaign.scale_levels.order_by("order")]
    return [Bucket(code, str(label)) for code, label, _passes in PRESET_LEVELS[campaign.scale]]


def bucket_of(grade: str, mark: Decimal | None) -> str:
    if mark is None:
        return grade
    return next(code for code, _label, lowest in MARK_BUCKETS if mark >= lowest)


@dataclass
class Figures:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    evaluated: int = 0
    passed: int = 0
    grades: Counter[str] = field(default_factory=Counter)  # bucket code → people
    topics: Counter[int | str] = field(default_factory=Counter)  # topic id or OWN_TOPIC → people

    COUNTS = ("expected", "submitted", "on_time", "late", "missing", "evaluated", "passed")

    def add(self, other: Figures) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.grades.update(other.grades)
        self.topics.update(other.topics)


@dataclass(frozen=True)
class Submission:
    """A school's package or an office's report, as it stands."""

    status: str  # "not_sent" or a PackageStatus / UnitReportStatus value
    label: str
    late: bool = False
    submitted_at: dt.datetime | None = None
    submitted_to: str = ""


NOT_SENT = "not_sent"


def _labels() -> dict[str | None, str]:
    """status → label, a package's or a report's (the package's statuses are among these)."""
    labels: dict[str | None, str] = {str(s): str(s.label) for s in UnitReportStatus}
    labels[None] = labels[PackageStatus.DRAFT] = _("Not sent")
    return labels


def _submission(row: dict[str, Any] | None, deadline: dt.date | None) -> Submission:
    if row is None or row["status"] == PackageStatus.DRAFT:
        return Submission(NOT_SENT, _("Not sent"))
    sent = row["submitted_at"]
    late = sent is not None and deadline is not None and timezone.localdate(sent) > deadline
    name = row["submitted_to__name"] or ""
    label = str(UnitReportStatus(row["status"]).label)  # the package's statuses are among these
    return Submission(row["status"], label, late, sent, name)


@dataclass
class Row:
    kind: str  # UnitKind.OFFICE, UnitKind.SCHOOL or "person"
    id: int  # the unit's id, or the person's record (enrolment) id
    name: str
    figures: Figures
    submission: Submission | None = None  # school: its package; office: its report
    # A person's row only:
    status: str = ""
    status_label: str = ""
    deadline: dt.date | None = None
    grade: str = ""
    topic: str = ""
    # (label, people) per grade of the scale, best first; filled by Progress.
    grade_counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Pending:
    """A unit that has not submitted yet: a school's package or an office's report."""

    kind: str
    id: int
    name: str
    status_label: str


@dataclass
class Progress:
    campaign: Campaign
    unit: Unit
    day: dt.date
    rows: list[Row]
    totals: Figures
    own: Submission | None
    pending: list[Pending]
    buckets: list[Bucket]
    topic_titles: dict[int | str, str]

    def finish(self) -> Progress:
        """Sum the rows into the totals and lay out each row's grades in the scale's order."""
        for row in self.rows:
            self.totals.add(row.figures)
            row.grade_counts = [(b.label, row.figures.grades[b.code]) for b in self.buckets]
        return self

    @property
    def total_grades(self) -> list[tuple[Bucket, int]]:
        return [(bucket, self.totals.grades[bucket.code]) for bucket in self.buckets]

    @property
    def total_topics(self) -> list[tuple[str, int]]:
        return [(title, self.totals.topics[key]) for key, title in self.topic_titles.items()]

    @property
    def pending_offices(self) -> list[Pending]:
        return [unit for unit in self.pending if unit.kind == UnitKind.OFFICE]

    def pending_schools(self, *, returned: bool) -> list[Pending]:
        label = str(PackageStatus.RETURNED.label)
        schools = (unit for unit in self.pending if unit.kind == UnitKind.SCHOOL)
        return [unit for unit in schools if (unit.status_label == label) == returned]

    @property
    def schools_returned(self) -> list[Pending]:
        return self.pending_schools(returned=True)

    @property
    def schools_not_sent(self) -> list[Pending]:
        return self.pending_schools(returned=False)

    @property
    def people(self) -> bool:
        return self.unit.is_school


def progress_in_scope(scope: Scope, campaign_id: int, unit_id: int | None) -> Progress:
    """The dashboard of a published or closed campaign at a unit in scope (default: the scope's
    own unit), today. Out of scope → 404; a role that does not follow campaigns → 403."""
    if not may_view(scope) or scope.unit is None:
        raise PermissionDenied(_("Only supervisors and principals follow a campaign's progress."))
    campaigns = Campaign.objects.exclude(status=CampaignStatus.DRAFT).select_related("issuer")
    campaign = get_scoped_or_404(campaigns, scope, pk=campaign_id)
    units = Unit.objects.exclude(kind=UnitKind.PARTNER)
    unit = get_scoped_or_404(units, scope, pk=scope.unit.pk if unit_id is None else unit_id)
    return progress(campaign, unit, scope, timezone.localdate())


def progress(campaign: Campaign, unit: Unit, scope: Scope, day: dt.date | None = None) -> Progress:
    """The dashboard of `campaign` at `unit` (already checked to be in `scope`)."""
    topics: dict[int | str, str] = dict(campaign.topics.values_list("pk", "title"))
    if campaign.allow_own_topic:
        topics[OWN_TOPIC] = _("Own topics")
    report = Progress(
        campaign=campaign,
        unit=unit,
        day=day or timezone.localdate(),
        rows=[],
        totals=Figures(),
        own=None,
        pending=[],
        buckets=grade_buckets(campaign),
        topic_titles=topics,
    )
    if unit.is_school:
        _people(report, scope)
    else:
        _below(report, scope)
    return report.finish()


# --- Below a supervising unit: grouped counts, rolled up by path ---------------------------------

# Each school's counts come as one vector: these counts, then one per grade, then one per topic.
_HEAD = ("expected", "submitted", "late", "missing", "evaluated", "passed")


@dataclass(frozen=True)
class _School:
    name: str
    folded: str
    path: str
    counts: tuple[int, ...]


def _late(campaign: Campaign) -> Q:
    """Submitted after the personal deadline. Without an extension (nearly everyone) this is a
    plain comparison with the instant the school deadline ends, which needs no date function per
    row (SQLite runs TruncDate in Python); only extended records compare dates."""
    extended = Q(extended_until__isnull=False) & Q(submitted_on__gt=F("extended_until"))
    deadline = campaign.school_deadline
    if deadline is None:
        return _SUBMITTED & extended
    ends = timezone.make_aware(dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time()))
    return _SUBMITTED & ((Q(extended_until__isnull=True) & Q(submitted_at__gte=ends)) | extended)


def _columns(
    campaign: Campaign, buckets: list[Bucket], topics: list[int | str], day: dt.date
) -> dict[str, Count]:
    evaluated = Q(report_status=ReportStatus.EVALUATED)
    columns = {
        "expected": Count("pk"),
        "submitted": Count("pk", filter=_SUBMITTED),
        "late": Count("pk", filter=_late(campaign)),
        "missing": Count("pk", filter=~_SUBMITTED & Q(personal__lt=day)),
        "evaluated": Count("pk", filter=evaluated),
        "passed": Count("pk", filter=Q(passed=True)),
    }
    if campaign.scale == Scale.MARKS_10:
        tops = [None, *(lowest for _code, _label, lowest in MARK_BUCKETS[:-1])]
        grades = [
            Q(mark__gte=lowest) & (Q(mark__lt=top) if top is not None else Q())
            for (_code, _label, lowest), top in zip(MARK_BUCKETS, tops, strict=True)
        ]
    else:
        grades = [Q(grade=bucket.code) for bucket in buckets]
    for n, grade in enumerate(grades):
        columns[f"grade_{n}"] = Count("pk", filter=evaluated & grade)
    for n, key in enumerate(topics):
        topic = ~Q(own_topic="") if key == OWN_TOPIC else Q(topic_id=key)
        columns[f"topic_{n}"] = Count("pk", filter=topic)
    return columns


def _school_counts(report: Progress, scope: Scope) -> dict[int, _School]:
    """school id → its count vector, in ONE query grouped by school."""
    campaign, unit = report.campaign, report.unit
    deadline = Coalesce("extended_until", Value(campaign.school_deadline, DateField()))
    columns = _columns(campaign, report.buckets, list(report.topic_titles), report.day)
    grouped = (
        Enrolment.objects.visible_to(scope)
        .current()
        .filter(campaign=campaign, school__path__startswith=unit.path)
        .alias(personal=deadline, submitted_on=TruncDate("submitted_at"))
        .order_by()
        .values_list("school_id", "school__name", "school__name_folded", "school__path")
        .annotate(**columns)
    )
    # Read through the cursor: the ORM would pass each of the thousands × ~20 counts through an
    # int() converter, which costs more than the query; both databases return integers already.
    sql, params = grouped.query.sql_with_params()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: _School(row[1], row[2], row[3], row[4:]) for row in cursor.fetchall()}


def _figures(counts: list[int], report: Progress) -> Figures:
    expected, submitted, late, missing, evaluated, passed = counts[: len(_HEAD)]
    figures = Figures(expected, submitted, submitted - late, late, missing, evaluated, passed)
    buckets = report.buckets
    grades = counts[len(_HEAD) : len(_HEAD) + len(buckets)]
    figures.grades.update({bucket.code: n for bucket, n in zip(buckets, grades, strict=True)})
    topics = counts[len(_HEAD) + len(buckets) :]
    figures.topics.update(dict(zip(report.topic_titles, topics, strict=True)))
    return figures


@dataclass(frozen=True)
class _Unit:
    id: int
    name: str
    folded: str
    kind: str
    path: str


def _units_below(unit: Unit, scope: Scope) -> dict[int, _Unit]:
    """The unit's children and every office below it (the schools come with their counts)."""
    rows = (
        Unit.objects.visible_to(scope)
        .filter(Q(parent=unit) | Q(kind=UnitKind.OFFICE, path__startswith=unit.path))
        .filter(kind__in=(UnitKind.OFFICE, UnitKind.SCHOOL))
        .values_list("id", "name", "name_folded", "kind", "path")
    )
    return {row[0]: _Unit(*row) for row in rows}


def _sent(
    rows: Any, report: Progress, owner: str
) -> tuple[dict[int, str], dict[int, dict[str, Any]]]:
    """What the units under the report's unit sent: owner id → status for all of them, and owner
    id → the package or report (status, when, to whom) for the unit and its children only."""
    unit = report.unit
    rows = rows.filter(campaign=report.campaign)
    below = rows.filter(**{f"{owner}__path__startswith": unit.path})
    statuses = dict(below.values_list(f"{owner}_id", "status"))
    shown = rows.filter(Q(**{f"{owner}__parent": unit}) | Q(**{owner: unit}))
    fields = ("status", "submitted_at", "submitted_to__name")
    return statuses, {row[f"{owner}_id"]: row for row in shown.values(f"{owner}_id", *fields)}


def _child_of(unit: Unit, path: str) -> int:
    """The id of `unit`'s child on the way down to the unit at `path` ("/1/5/17/")."""
    return int(path.strip("/").split("/")[unit.depth + 1])


def _below(report: Progress, scope: Scope) -> None:
    """Rows of the children of a supervising unit, rolled up from its schools' counts."""
    campaign, unit = report.campaign, report.unit
    schools = _school_counts(report, scope)
    units = _units_below(unit, scope)
    packages, package_rows = _sent(SchoolPackage.objects.visible_to(scope), report, "school")
    reports, report_rows = _sent(UnitReport.objects.visible_to(scope), report, "unit")
    rolled: dict[int, list[int]] = {}
    for school in schools.values():
        into = rolled.setdefault(_child_of(unit, school.path), [0] * len(school.counts))
        for n, count in enumerate(school.counts):
            into[n] += count
    children = sorted(
        (units[i] for i in rolled if i in units),
        key=lambda child: (child.kind != UnitKind.OFFICE, child.folded),
    )
    for child in children:
        is_school = child.kind == UnitKind.SCHOOL
        sent = (package_rows if is_school else report_rows).get(child.id)
        deadline = campaign.school_deadline if is_school else campaign.office_deadline
        figures = _figures(rolled[child.id], report)
        report.rows.append(Row(child.kind, child.id, child.name, figures))
        report.rows[-1].submission = _submission(sent, deadline)
    own = report_rows.get(unit.pk)
    report.own = _submission(own, campaign.office_deadline) if own else None
    report.pending = _pending(campaign, schools, units, packages, reports)


def _pending(
    campaign: Campaign,
    schools: dict[int, _School],
    units: dict[int, _Unit],
    packages: dict[int, str],
    reports: dict[int, str],
) -> list[Pending]:
    """Reached offices strictly below the issuer without a report sent, then reached schools
    without a package sent, each by name."""
    labels = _labels()
    reached = {part for school in schools.values() for part in school.path.split("/")}
    issuer = campaign.issuer
    offices = [
        office
        for office in units.values()
        if office.kind == UnitKind.OFFICE
        and str(office.id) in reached
        and office.path.startswith(issuer.path)
        and office.id != issuer.pk
        and reports.get(office.id) not in DONE
    ]
    pending = [
        Pending(UnitKind.OFFICE, office.id, office.name, labels[reports.get(office.id)])
        for office in sorted(offices, key=lambda office: office.folded)
    ]
    waiting = [
        (school.folded, school_id, school.name)
        for school_id, school in schools.items()
        if packages.get(school_id) not in DONE
    ]
    pending += [
        Pending(UnitKind.SCHOOL, school_id, name, labels[packages.get(school_id)])
        for _folded, school_id, name in sorted(waiting)
    ]
    return pending


# --- At a school: its people -------------------------------------------------------------------


def _people(report: Progress, scope: Scope) -> None:
    campaign, school = report.campaign, report.unit
    records = (
        Enrolment.objects.visible_to(scope)
        .current()
        .filter(campaign=campaign, school=school)
        .select_related("user", "topic")
        .order_by("user__full_name", "pk")
    )
    labels = {bucket.code: bucket.label for bucket in report.buckets}
    for record in records:
        record.campaign = campaign  # the deadline reads it: no query per person
        report.rows.append(_person_row(record, report.day, labels))
    package = SchoolPackage.objects.visible_to(scope).filter(campaign=campaign, school=school)
    sent = package.values("status", "submitted_at", "submitted_to__name").first()
    report.own = _submission(dict(sent) if sent else None, campaign.school_deadline)
    if report.rows and report.own.status not in DONE:
        report.pending = [Pending(school.kind, school.pk, school.name, report.own.label)]


def _person_row(record: Enrolment, day: dt.date, labels: dict[str, str]) -> Row:
    submitted = record.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
    late = submitted and record.is_late
    deadline = record.deadline
    evaluated = record.report_status == ReportStatus.EVALUATED
    figures = Figures(
        expected=1,
        submitted=int(submitted),
        on_time=int(submitted and not late),
        late=int(late),
        missing=int(not submitted and deadline is not None and day > deadline),
        evaluated=int(evaluated),
        passed=int(record.passed is True),
    )
    grade = ""
    if evaluated:
        code = bucket_of(record.grade, record.mark)
        figures.grades[code] = 1
        grade = str(record.mark) if record.mark is not None else labels.get(code, record.grade)
    if record.topic_id is not None:
        figures.topics[record.topic_id] = 1
    elif record.own_topic:
        figures.topics[OWN_TOPIC] = 1
    return Row(
        kind="person",
        id=record.pk,
        name=record.user.display_name,
        figures=figures,
        status=record.report_status,
        status_label=str(record.get_report_status_display()),
        deadline=deadline,
        grade=grade,
        topic=record.topic.title if record.topic else record.own_topic,
    )
