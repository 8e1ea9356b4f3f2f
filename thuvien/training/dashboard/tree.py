"""Below a supervising unit: one grouped query of counts per school, rolled up by path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

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
    PendingList,
    Progress,
    Row,
    _labels,
    _submission,
    deadline_ends,
)
from thuvien.training.models import (
    Campaign,
    ChosenTopic,
    Enrolment,
    PackageStatus,
    ReportStatus,
    Scale,
    SchoolPackage,
    UnitReport,
)

# --- Below a supervising unit: grouped counts, rolled up by path ---------------------------------

# Each school's counts come as one vector: these counts, then one per grade, then one per topic.
_HEAD = ("expected", "submitted", "late", "missing", "evaluated", "passed")


def _late(campaign: Campaign) -> Q:
    """Submitted after the personal deadline. Without an extension (nearly everyone) this is a
    plain comparison with the instant the school deadline ends, which needs no date function per
    row (SQLite runs TruncDate in Python); only extended records compare dates."""
    extended = Q(extended_until__isnull=False) & Q(submitted_on__gt=F("extended_until"))
    ends = deadline_ends(campaign.school_deadline)
    if ends is None:
        return _SUBMITTED & extended
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


Group = tuple[int, int | None]  # (the school's parent, the school when it is a child of the unit)


def _group_key(unit: Unit, prefix: str = "") -> tuple[str, Case]:
    """Records are grouped by their school's parent, except under the unit itself, where each
    school is a row of its own: ~one group per row instead of one per school (2,000 at a Sở)."""
    parent = f"{prefix}school__parent_id"
    direct = Case(When(**{parent: unit.pk}, then=F(f"{prefix}school_id")), default=None)
    return parent, direct


def _group_counts(report: Progress, scope: Scope) -> tuple[dict[Group, list[int]], int]:
    """(parent, direct school) → its count vector, in ONE grouped query; and how many of the
    schools have not sent their package (the count `_pending_schools` lists, without a query of
    its own)."""
    campaign, unit = report.campaign, report.unit
    deadline = Coalesce("extended_until", Value(campaign.school_deadline, DateField()))
    columns = _columns(campaign, report.buckets, list(report.topic_titles), report.day)
    records = (
        Enrolment.objects.visible_to(scope)
        .current()
        .filter(campaign=campaign, school__path__startswith=unit.path)
    )
    parent, direct = _group_key(unit)
    grouped = (
        records.alias(personal=deadline, submitted_on=TruncDate("submitted_at"))
        .order_by()
        .values_list(parent, direct)
        .annotate(
            **columns,
            waiting=Count("school_id", distinct=True, filter=~_sent_package(report, scope)),
        )
    )
    # Read through the cursor: the ORM would pass each count through an int() converter, which
    # costs more than the query; both databases return integers already.
    sql, params = grouped.query.sql_with_params()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    groups = {(row[0], row[1]): list(row[2:-1]) for row in fetched}
    if campaign.topics_per_person > 1:
        _add_extra_topics(groups, records, report, scope)
    return groups, sum(row[-1] for row in fetched)


def _sent_package(report: Progress, scope: Scope) -> Q:
    """A record's school has sent its package (submitted or accepted)."""
    packages = SchoolPackage.objects.visible_to(scope).filter(
        campaign=report.campaign, status__in=DONE
    )
    return Q(school_id__in=packages.values("school_id"))


def _add_extra_topics(
    groups: dict[Group, list[int]], records: QuerySet[Enrolment], report: Progress, scope: Scope
) -> None:
    """Count the topics chosen beyond each person's first (`Enrolment.extra_topics`) in the
    groups' vectors: one more query, grouped the same way and by topic."""
    keys = list(report.topic_titles)
    first = len(_HEAD) + len(report.buckets)
    parent, direct = _group_key(report.unit, "enrolment__")
    extra = (
        ChosenTopic.objects.visible_to(scope)
        .filter(enrolment__in=records.values("pk"))
        .order_by()
        .values_list(parent, direct, "topic_id")
        .annotate(people=Count("pk"))
    )
    for parent_id, school_id, topic_id, people in extra:
        counts = groups.get((parent_id, school_id))
        if counts is not None and topic_id in keys:
            counts[first + keys.index(topic_id)] += people


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


def _sent(rows: Any, report: Progress, owner: str) -> dict[int, dict[str, Any]]:
    """The packages (`owner` "school") or reports ("unit") of the unit and its children: owner
    id → status, when, to whom."""
    unit = report.unit
    shown = rows.filter(Q(**{f"{owner}__parent": unit}) | Q(**{owner: unit}))
    fields = ("status", "submitted_at", "submitted_to__name")
    shown = shown.filter(campaign=report.campaign).values(f"{owner}_id", *fields)
    return {row[f"{owner}_id"]: row for row in shown}


def _reports(report: Progress, scope: Scope) -> tuple[dict[int, str], dict[int, dict[str, Any]]]:
    """The reports of the offices under the report's unit (a few dozen), in one query: office
    id → status for all of them, and office id → the report (status, when, to whom) for the
    unit and its children."""
    unit = report.unit
    rows = UnitReport.objects.visible_to(scope).filter(
        campaign=report.campaign, unit__path__startswith=unit.path
    )
    fields = ("unit_id", "unit__parent_id", "status", "submitted_at", "submitted_to__name")
    statuses, shown = {}, {}
    for row in rows.values(*fields):
        statuses[row["unit_id"]] = row["status"]
        if row["unit_id"] == unit.pk or row["unit__parent_id"] == unit.pk:
            shown[row["unit_id"]] = row
    return statuses, shown


def _child_of(unit: Unit, path: str) -> int:
    """The id of `unit`'s child on the way down to the unit at `path` ("/1/5/17/")."""
    return int(path.strip("/").split("/")[unit.depth + 1])


def _below(report: Progress, scope: Scope) -> None:
    """Rows of the children of a supervising unit, rolled up from the grouped counts in one pass
    over the groups (one per office or school row, not one per school)."""
    campaign, unit = report.campaign, report.unit
    groups, waiting = _group_counts(report, scope)
    units = _units_below(unit, scope)
    package_rows = _sent(SchoolPackage.objects.visible_to(scope), report, "school")
    reports, report_rows = _reports(report, scope)
    rolled: dict[int, list[int]] = {}
    # The ids, as in paths, of every unit above a reached school: the unit's own and its
    # ancestors' when anyone is reached, and those of the parents of the schools below.
    reached: set[str] = set(unit.path.split("/")) if groups else set()
    for (parent_id, school_id), counts in groups.items():
        if school_id is None:
            parent = units.get(parent_id)
            if parent is None:
                continue
            reached.update(parent.path.split("/"))
            child_id = _child_of(unit, parent.path)
        else:
            child_id = school_id
        into = rolled.get(child_id)
        if into is None:
            rolled[child_id] = counts
        else:
            rolled[child_id] = [a + b for a, b in zip(into, counts, strict=True)]
    children = sorted(
        (units[i] for i in rolled if i in units),
        key=lambda child: (child.kind != UnitKind.OFFICE, child.folded),
    )
    labels = _labels()
    school_ends = deadline_ends(campaign.school_deadline)
    office_ends = deadline_ends(campaign.office_deadline)
    for child in children:
        is_school = child.kind == UnitKind.SCHOOL
        sent = (package_rows if is_school else report_rows).get(child.id)
        deadline = campaign.school_deadline if is_school else campaign.office_deadline
        row = Row(child.kind, child.id, child.name, _figures(rolled[child.id], report))
        ends = school_ends if is_school else office_ends
        row.submission = _submission(sent, deadline, labels, ends)
        report.rows.append(row)
    if children:  # the totals from the rows' vectors: one sum a column, not a Figures a row
        vectors = [rolled[child.id] for child in children]
        total = [sum(column) for column in zip(*vectors, strict=True)]
        report.totals, report.summed = _figures(total, report), True
    own = report_rows.get(unit.pk)
    report.own = _submission(own, campaign.office_deadline) if own else None
    offices = _pending_offices(campaign, units, reached, reports)
    report.pending = PendingList(offices, _pending_schools(report, scope), waiting)


def _pending_offices(
    campaign: Campaign, units: dict[int, _Unit], reached: set[str], reports: dict[int, str]
) -> list[Pending]:
    """Reached offices strictly below the issuer without a report sent, by name."""
    labels = _labels()
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
    return [
        Pending(UnitKind.OFFICE, office.id, office.name, labels[reports.get(office.id)])
        for office in sorted(offices, key=lambda office: office.folded)
    ]


def _pending_schools(report: Progress, scope: Scope) -> QuerySet[Unit, tuple[int, str, bool]]:
    """Reached schools below the unit without a package sent, those returned for revision
    first, then by name: a query read a page at a time (`PendingList`), never all at once
    unless the XLSX asks. (id, name, returned)."""
    campaign = report.campaign
    records = (
        Enrolment.objects.visible_to(scope)
        .current()
        .filter(campaign=campaign, school=OuterRef("pk"))
    )
    packages = SchoolPackage.objects.visible_to(scope).filter(
        campaign=campaign, school=OuterRef("pk")
    )
    return (
        Unit.objects.visible_to(scope)
        .filter(kind=UnitKind.SCHOOL, path__startswith=report.unit.path)
        .filter(Exists(records))
        .exclude(Exists(packages.filter(status__in=DONE)))
        .annotate(returned=Exists(packages.filter(status=PackageStatus.RETURNED)))
        .order_by("-returned", "name_folded", "pk")
        .values_list("pk", "name", "returned")
    )
