"""Below a supervising unit: one grouped query of counts per school, rolled up by path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import connections
from django.db.models import Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from thuvien.access import Scope
from thuvien.organisations.models import Unit, UnitKind
from thuvien.training.dashboard.rows import (
    _SUBMITTED,
    DONE,
    MARK_BUCKETS,
    OWN_TOPIC,
    Bucket,
    Figures,
    Pending,
    Progress,
    Row,
    _labels,
    _submission,
)
from thuvien.training.models import (
    Campaign,
    ChosenTopic,
    Enrolment,
    ReportStatus,
    Scale,
    SchoolPackage,
    UnitReport,
)

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
    records = (
        Enrolment.objects.visible_to(scope)
        .current()
        .filter(campaign=campaign, school__path__startswith=unit.path)
    )
    grouped = (
        records.alias(personal=deadline, submitted_on=TruncDate("submitted_at"))
        .order_by()
        .values_list("school_id", "school__name", "school__name_folded", "school__path")
        .annotate(**columns)
    )
    # Read through the cursor: the ORM would pass each of the thousands × ~20 counts through an
    # int() converter, which costs more than the query; both databases return integers already.
    sql, params = grouped.query.sql_with_params()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, params)
        schools = {row[0]: _School(row[1], row[2], row[3], row[4:]) for row in cursor.fetchall()}
    if campaign.topics_per_person > 1:
        _add_extra_topics(schools, records, report, scope)
    return schools


def _add_extra_topics(
    schools: dict[int, _School], records: QuerySet[Enrolment], report: Progress, scope: Scope
) -> None:
    """Count the topics chosen beyond each person's first (`Enrolment.extra_topics`) in the
    schools' vectors: one more query, grouped by school and topic."""
    keys = list(report.topic_titles)
    first = len(_HEAD) + len(report.buckets)
    extra = (
        ChosenTopic.objects.visible_to(scope)
        .filter(enrolment__in=records.values("pk"))
        .order_by()
        .values_list("enrolment__school_id", "topic_id")
        .annotate(people=Count("pk"))
    )
    for school_id, topic_id, people in extra:
        school = schools.get(school_id)
        if school is None or topic_id not in keys:
            continue
        counts = list(school.counts)
        counts[first + keys.index(topic_id)] += people
        schools[school_id] = replace(school, counts=tuple(counts))


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
