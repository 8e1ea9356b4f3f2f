"""Indicators a school library's standards are judged by, computed from the platform's own data.

Domain-free, like `history`: each app that keeps data an indicator counts registers a provider in
its `AppConfig.ready()` (the training apps: staff training; the catalogue and circulation apps,
when they land: copies per student, loans…). The standards app asks `values(code, schools, year)`
and `rows(code, school, year, scope)` and so imports no other domain app. A criterion whose
`metric` names a registered indicator shows the computed value beside the one the school enters.

A provider computes for many schools at once (one or two grouped queries, whatever the number of
schools): every indicator of every school of a province is one call per indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Counted:
    """One row an indicator counted, for the drill-down: what it is and where it is seen."""

    label: str
    detail: str = ""
    url: str = ""  # "" when the scope cannot open it


@dataclass(frozen=True)
class Indicator:
    code: str  # the `metric` of a criterion: "staff_self_training_passed"
    label: Any  # lazy translation: "Library staff whose self-training passed"
    unit: Any  # lazy translation: "people"
    # (school ids, school year's starting year) → the value of each school that has one.
    compute: Callable[[Sequence[int], int], dict[int, Decimal]]
    # (school id, year, scope) → the rows counted, as the scope may see them.
    counted: Callable[[int, int, Any], list[Counted]]
    source: Any = ""  # lazy translation: which app counts it ("Self-training campaigns")


_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    _INDICATORS[indicator.code] = indicator


def get(code: str) -> Indicator | None:
    return _INDICATORS.get(code)


def registered() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda indicator: indicator.code)


def values(code: str, school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    """The indicator's value per school (a school without data has none); {} when no provider
    counts `code` yet."""
    indicator = _INDICATORS.get(code)
    if indicator is None or not school_ids:
        return {}
    return indicator.compute(school_ids, year)


def rows(code: str, school_id: int, year: int, scope: Any) -> list[Counted]:
    indicator = _INDICATORS.get(code)
    return [] if indicator is None else indicator.counted(school_id, year, scope)
