"""What an assessment's values reach: per criterion met or not, per group and level, the level
reached, and the gaps to the next one.

Rules (Thông tư 16, Art. 25): a library reaches a level when every group meets every criterion of
that level and of the levels below it (a Mức 2 criterion is Mức 1 plus more). A criterion whose
level the text does not give counts at the lowest level. A threshold criterion is judged on the
computed value when the platform counts it (`core.indicators`), else on the value entered; a
number-entered criterion is met once a number is given; a yes / no criterion as the school judges
it, with its evidence. A level some group has no criterion for is reported as incomplete: the
framework's text is not known there (the department completes it), not as met by default. So
that the school still sees where to go, the level its known criteria reach is given beside it
(`provisional`), and the gaps and the next level are counted from that one.

Which criteria apply: those of the school's tier; for a multi-tier school, the multi-tier criteria,
and for a group with none at some level, the criteria of its highest tier (Art. 23: "áp dụng tiêu
chuẩn … của cấp học cao nhất").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from thuvien.core import indicators
from thuvien.organisations.models import Unit
from thuvien.standards.models import (
    Assessment,
    AssessmentValue,
    Criterion,
    CriterionGroup,
    FrameworkVersion,
    Judgement,
    Level,
    Tier,
)

# Highest first: the tier whose criteria a multi-tier school falls back on.
TIER_ORDER = (Tier.UPPER_SECONDARY, Tier.LOWER_SECONDARY, Tier.PRIMARY, Tier.PRESCHOOL)


def tier_of(school: Unit) -> str:
    """The tier a school is assessed as: its one tier, or multi-tier."""
    return tier_of_tiers(school.tiers)


def tier_of_tiers(tiers: Sequence[str]) -> str:
    if len(tiers) > 1:
        return Tier.MULTI_TIER
    return tiers[0] if tiers else Tier.PRIMARY


def highest_tier(school: Unit) -> str | None:
    return highest_of(school.tiers)


def highest_of(tiers: Iterable[str]) -> str | None:
    have = set(tiers)
    return next((tier for tier in TIER_ORDER if tier in have), None)


def applicable(
    criteria: Sequence[Criterion], levels: Sequence[Level], tier: str, highest: str | None
) -> list[Criterion]:
    """The criteria that apply to a school of `tier` (see the module's rules)."""
    own = [c for c in criteria if tier in c.tiers]
    if tier != Tier.MULTI_TIER or highest is None:
        return own
    lowest = levels[0].pk if levels else None
    covered = {(c.group_id, c.level_id or lowest) for c in own}
    borrowed = [
        c
        for c in criteria
        if highest in c.tiers and (c.group_id, c.level_id or lowest) not in covered
    ]
    return sorted([*own, *borrowed], key=lambda c: c.order)


@dataclass
class CriterionResult:
    criterion: Criterion
    value: AssessmentValue | None
    computed: Decimal | None  # what the platform counts (the snapshot once submitted)
    level_index: int  # the level's position, lowest 0

    @property
    def entered(self) -> Decimal | None:
        return self.value.entered if self.value else None

    @property
    def used(self) -> Decimal | None:
        """The value the criterion is judged on."""
        return self.computed if self.computed is not None else self.entered

    @property
    def differs(self) -> bool:
        """The school's figure and the platform's disagree (shown, to be explained)."""
        return (
            self.computed is not None and self.entered is not None and self.computed != self.entered
        )

    @property
    def met(self) -> bool | None:
        """True or False once judged; None while nothing is given."""
        value = self.value
        return judge(
            self.criterion,
            value.entered if value else None,
            value.met_entered if value else None,
            self.computed,
        )


def judge(
    criterion: Criterion,
    entered: Decimal | None,
    met_entered: bool | None,
    computed: Decimal | None,
) -> bool | None:
    """Is the criterion met? The one rule (see the module docstring); None: not judged yet."""
    if criterion.judgement == Judgement.THRESHOLD:
        return criterion.meets(computed if computed is not None else entered)
    if met_entered is not None:
        return met_entered
    if criterion.judgement == Judgement.NUMBER:
        return True if entered is not None else None
    return None


def standing(
    judged: Sequence[tuple[int, int, bool | None]], groups: int, levels: int
) -> tuple[list[list[bool | None]], list[list[bool]], int, int]:
    """From (group position, level index, met) per criterion: per group and level, met (all its
    criteria up to that level) and known (a criterion at that level); the index of the level
    reached (-1: none) and of the level the known criteria reach (`provisional`, ≥ reached).
    Linear in the criteria."""
    false = [[False] * levels for _ in range(groups)]
    none = [[False] * levels for _ in range(groups)]
    known = [[False] * levels for _ in range(groups)]
    for group, level, met in judged:
        known[group][level] = True
        if met is False:
            false[group][level] = True
        elif met is None:
            none[group][level] = True
    met_by: list[list[bool | None]] = []
    for g in range(groups):
        row: list[bool | None] = []
        has_false = has_none = False
        for n in range(levels):
            has_false = has_false or false[g][n]
            has_none = has_none or none[g][n]
            row.append(False if has_false else None if has_none else True)
        met_by.append(row)
    reached = -1
    for n in range(levels):
        if groups and all(met_by[g][n] is True and known[g][n] for g in range(groups)):
            reached = n
        else:
            break
    provisional = -1
    for n in range(levels):
        if (
            groups
            and any(any(known[g][: n + 1]) for g in range(groups))
            and all(met_by[g][n] is True for g in range(groups))
        ):
            provisional = n
        else:
            break
    return met_by, known, reached, max(reached, provisional)


@dataclass
class GroupResult:
    group: CriterionGroup
    criteria: list[CriterionResult]
    met: list[bool | None] = field(default_factory=list)  # per level, lowest first
    known: list[bool] = field(default_factory=list)  # per level: has a criterion at that level


@dataclass
class Result:
    levels: list[Level]
    groups: list[GroupResult]
    reached: Level | None
    next_level: Level | None
    gaps: list[CriterionResult]  # what keeps the library from the next level
    incomplete: list[Level]  # levels some group has no known criterion for
    provisional: Level | None = None  # what the known criteria reach, when more than `reached`

    @property
    def criteria(self) -> list[CriterionResult]:
        return [row for group in self.groups for row in group.criteria]


def evaluate(
    version: FrameworkVersion,
    criteria: Sequence[Criterion],
    values: dict[int, AssessmentValue],
    computed: dict[str, Decimal],
    groups: Sequence[CriterionGroup],
    levels: Sequence[Level],
) -> Result:
    """The result of `criteria` (already the applicable ones, in order) with the school's
    `values` (by criterion id) and the platform's `computed` values (by metric)."""
    index = {level.pk: n for n, level in enumerate(levels)}
    rows = [
        CriterionResult(
            criterion=c,
            value=values.get(c.pk),
            computed=computed.get(c.metric) if c.metric else None,
            level_index=index.get(c.level_id, 0) if c.level_id else 0,
        )
        for c in criteria
    ]
    position = {group.pk: n for n, group in enumerate(groups)}
    judged = [
        (position[row.criterion.group_id], row.level_index, row.met)
        for row in rows
        if row.criterion.group_id in position
    ]
    met_by, known, reached_index, provisional = standing(judged, len(groups), len(levels))
    shown = [
        GroupResult(
            group,
            [row for row in rows if row.criterion.group_id == group.pk],
            met_by[n],
            known[n],
        )
        for n, group in enumerate(groups)
    ]
    incomplete = [
        level for n, level in enumerate(levels) if any(not group.known[n] for group in shown)
    ]
    next_index = provisional + 1  # where the school goes next, as far as the text is known
    next_level = levels[next_index] if next_index < len(levels) else None
    gaps = (
        [row for row in rows if row.level_index <= next_index and row.met is not True]
        if next_level is not None
        else []
    )
    return Result(
        levels=list(levels),
        groups=shown,
        reached=levels[reached_index] if reached_index >= 0 else None,
        next_level=next_level,
        gaps=gaps,
        incomplete=incomplete,
        provisional=levels[provisional] if provisional > reached_index else None,
    )


def computed_values(
    criteria: Iterable[Criterion], school_ids: Sequence[int], year: int
) -> dict[int, dict[str, Decimal]]:
    """school id → metric → the platform's value, one provider call per metric for all the
    schools (every indicator for every school of a province at once)."""
    found: dict[int, dict[str, Decimal]] = {school_id: {} for school_id in school_ids}
    for metric in sorted({c.metric for c in criteria if c.metric}):
        for school_id, value in indicators.values(metric, school_ids, year).items():
            found.setdefault(school_id, {})[metric] = value
    return found


def result_of(assessment: Assessment, *, live: bool | None = None) -> Result:
    """The assessment's result: with the platform's values of today while it is being prepared
    (or `live=True`), with its snapshot once submitted."""
    version = assessment.window.framework_version
    levels = list(version.levels.all())
    groups = list(version.groups.all())
    everything = list(version.criteria.all())
    school = assessment.school
    criteria = applicable(everything, levels, assessment.tier, highest_tier(school))
    values = {
        value.criterion_id: value
        for value in assessment.values.all()  # the caller prefetches
    }
    if live if live is not None else assessment.editable:
        computed = computed_values(criteria, [school.pk], assessment.window.year)[school.pk]
    else:
        computed = {}
        for c in criteria:
            snapshot = values[c.pk].computed if c.pk in values else None
            if c.metric and snapshot is not None:
                computed[c.metric] = snapshot
    return evaluate(version, criteria, values, computed, groups, levels)
