"""The province (or an office) at a glance: how many school libraries reach each level, by child
unit and by tier, this year and over the years; which schools are one criterion away from the
next level, and which criterion holds most schools back.

A school's standing in a window: the level recognised (its decision), "no level" (recognised
without one), else where its assessment is (sent, being prepared) or "not started". The counts
cost the same few queries whatever the number of schools: the schools, the window's assessments
with their recognitions, their values, the framework once; results are worked out in Python
(`results.evaluate`) on the values as stored (the snapshot once submitted).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from thuvien.access import Scope
from thuvien.organisations.models import Unit, UnitKind
from thuvien.standards import results
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    AssessmentWindow,
    Criterion,
    Recognition,
    Tier,
)

NO_LEVEL = "no_level"
SENT = "sent"
PREPARING = "preparing"
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class Column:
    code: str  # a level's code, or NO_LEVEL, SENT, PREPARING, NOT_STARTED
    label: str


@dataclass
class Line:
    """A row of the table: a child unit (office or school), a tier, or a school year."""

    key: int | str
    label: str
    kind: str = ""  # UnitKind for unit rows
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Near:
    school_id: int
    school: str
    assessment_id: int
    level: str  # the next level
    criterion: str  # the one criterion missing


@dataclass
class Overview:
    window: AssessmentWindow
    unit: Unit
    columns: list[Column]
    rows: list[Line]
    tiers: list[Line]
    totals: Line
    years: list[Line]
    year_columns: list[Column]
    near: list[Near]
    holding_back: list[tuple[str, str, int]]  # (code, requirement, schools held back)


def _columns(window: AssessmentWindow) -> list[Column]:
    levels = [Column(level.code, level.name) for level in window.framework_version.levels.all()]
    return [
        *levels,
        Column(NO_LEVEL, _("Recognised, no level")),
        Column(SENT, _("Sent, not decided yet")),
        Column(PREPARING, _("Being prepared")),
        Column(NOT_STARTED, _("Not started")),
    ]


def _standing(assessment: _Assessed | None, recognition: str | None) -> str:
    if recognition is not None:
        return recognition
    if assessment is None:
        return NOT_STARTED
    if assessment.status == AssessmentStatus.SENT:
        return SENT
    return PREPARING


@dataclass(frozen=True)
class _School:
    pk: int
    name: str
    name_folded: str
    path: str
    tiers: tuple[str, ...]


@dataclass(frozen=True)
class _Assessed:
    pk: int
    status: str
    tier: str


def overview(scope: Scope, unit: Unit, window: AssessmentWindow) -> Overview:
    """The overview of `window` at `unit` (both already checked to be in `scope`). Rows are
    read as tuples: thousands of model instances would cost more than the queries."""
    flags = list(Unit.TIER_FIELDS.items())
    schools = [
        _School(
            pk, name, folded, path, tuple(t for (t, _f), on in zip(flags, on_, strict=True) if on)
        )
        for pk, name, folded, path, *on_ in Unit.objects.visible_to(scope)
        .filter(kind=UnitKind.SCHOOL, is_active=True, path__startswith=window.target.path)
        .filter(path__startswith=unit.path)
        .values_list("id", "name", "name_folded", "path", *(field for _t, field in flags))
    ]
    children = {
        child.pk: child
        for child in Unit.objects.visible_to(scope)
        .filter(parent=unit, kind__in=(UnitKind.OFFICE, UnitKind.SCHOOL))
        .only("id", "name", "name_folded", "kind", "path")
    }
    assessments = {
        school_id: _Assessed(pk, status, tier)
        for school_id, pk, status, tier in Assessment.objects.visible_to(scope)
        .filter(window=window, school__path__startswith=unit.path)
        .values_list("school_id", "id", "status", "tier")
    }
    recognitions: dict[int, str] = {
        school_id: code or NO_LEVEL
        for school_id, code in Recognition.objects.visible_to(scope)
        .filter(assessment__window=window, school__path__startswith=unit.path)
        .values_list("school_id", "level__code")
    }
    columns = _columns(window)
    rows: dict[int, Line] = {}
    tiers = {tier: Line(tier, str(label)) for tier, label in Tier.choices}
    totals = Line("total", _("Total"))
    depth = unit.depth
    for school in schools:
        standing = _standing(assessments.get(school.pk), recognitions.get(school.pk))
        child_id = int(school.path.strip("/").split("/")[depth + 1])
        child = children.get(child_id)
        if child is not None:
            line = rows.setdefault(child_id, Line(child_id, child.name, child.kind))
            line.counts[standing] += 1
        tiers[results.tier_of_tiers(school.tiers)].counts[standing] += 1
        totals.counts[standing] += 1
    ordered = sorted(
        rows.values(),
        key=lambda line: (line.kind != UnitKind.OFFICE, children[int(line.key)].name_folded),
    )
    near, holding = _near(window, schools, assessments)
    years, year_columns = _years(scope, unit, window)
    return Overview(
        window=window,
        unit=unit,
        columns=columns,
        rows=ordered,
        tiers=[line for line in tiers.values() if line.total],
        totals=totals,
        years=years,
        year_columns=year_columns,
        near=near,
        holding_back=holding,
    )


def _near(
    window: AssessmentWindow, schools: list[_School], assessments: dict[int, _Assessed]
) -> tuple[list[Near], list[tuple[str, str, int]]]:
    """Schools whose values miss the next level by one criterion; the criteria most often
    missing for the next level, over every assessment of the window. The same rule as a school's
    page (`results.judge`, `results.standing`), on plain tuples: thousands of assessments."""
    if not assessments:
        return [], []
    version = window.framework_version
    levels = list(version.levels.all())
    groups = list(version.groups.all())
    criteria: list[Criterion] = list(version.criteria.all())
    by_id = {c.pk: c for c in criteria}
    level_index = {level.pk: n for n, level in enumerate(levels)}
    position = {group.pk: n for n, group in enumerate(groups)}
    values: dict[int, dict[int, tuple[Decimal | None, bool | None, Decimal | None]]] = {}
    rows = AssessmentValue.objects.filter(
        assessment_id__in=[a.pk for a in assessments.values()]
    ).values_list("assessment_id", "criterion_id", "entered", "met_entered", "computed")
    for assessment_id, criterion_id, entered, met, snapshot in rows:
        values.setdefault(assessment_id, {})[criterion_id] = (entered, met, snapshot)
    names = {school.pk: school for school in schools}
    near: list[Near] = []
    missing: Counter[int] = Counter()
    # Per (tier, highest tier): the applicable criteria with their group position and level.
    plans: dict[tuple[str, str | None], list[tuple[Criterion, int, int]]] = {}
    nothing: tuple[Decimal | None, bool | None, Decimal | None] = (None, None, None)
    for school_id, assessment in assessments.items():
        school = names.get(school_id)
        if school is None:
            continue
        key = (assessment.tier, results.highest_of(school.tiers))
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = [
                (c, position[c.group_id], level_index.get(c.level_id or 0, 0))
                for c in results.applicable(criteria, levels, *key)
                if c.group_id in position
            ]
        mine = values.get(assessment.pk, {})
        computed = {
            by_id[cid].metric: snap
            for cid, (_e, _m, snap) in mine.items()
            if snap is not None and cid in by_id and by_id[cid].metric
        }
        judged = []
        for criterion, group, level in plan:
            entered, met, _snapshot = mine.get(criterion.pk, nothing)
            value = computed.get(criterion.metric) if criterion.metric else None
            judged.append((group, level, results.judge(criterion, entered, met, value)))
        _met, _known, _reached, provisional = results.standing(judged, len(groups), len(levels))
        next_index = provisional + 1
        if next_index >= len(levels):
            continue
        gaps = [
            criterion
            for (criterion, _group, level), (_g, _l, met) in zip(plan, judged, strict=True)
            if level <= next_index and met is not True
        ]
        for gap in gaps:
            missing[gap.pk] += 1
        if len(gaps) == 1:
            near.append(
                Near(school_id, school.name, assessment.pk, levels[next_index].name, gaps[0].code)
            )
    near.sort(key=lambda row: names[row.school_id].name_folded)
    holding = [
        (by_id[criterion_id].code, by_id[criterion_id].shown_name, schools_held)
        for criterion_id, schools_held in missing.most_common(10)
    ]
    return near, holding


def _years(scope: Scope, unit: Unit, window: AssessmentWindow) -> tuple[list[Line], list[Column]]:
    """Recognised levels per school year, for the windows of the same issuer (their frameworks
    may differ: each level is a column of its own)."""
    windows = AssessmentWindow.objects.visible_to(scope).filter(issuer=window.issuer)
    counts = (
        Recognition.objects.visible_to(scope)
        .filter(assessment__window__in=windows, school__path__startswith=unit.path)
        .values("assessment__window__year", "level__code", "level__name", "level__order")
        .annotate(schools=Count("pk"))
        .order_by("assessment__window__year")
    )
    lines: dict[int, Line] = {}
    columns: dict[str, tuple[int, str]] = {}
    for row in counts:
        year = row["assessment__window__year"]
        line = lines.setdefault(year, Line(year, f"{year}–{year + 1}"))
        code = row["level__code"] or NO_LEVEL
        line.counts[code] += row["schools"]
        if code != NO_LEVEL:
            columns[code] = (row["level__order"], row["level__name"])
    shown = [
        Column(code, name) for code, (_order, name) in sorted(columns.items(), key=lambda kv: kv[1])
    ]
    if any(line.counts[NO_LEVEL] for line in lines.values()):
        shown.append(Column(NO_LEVEL, _("Recognised, no level")))
    return [lines[year] for year in sorted(lines)], shown
