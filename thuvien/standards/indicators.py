"""The indicators the library profile gives (`core.indicators`): areas, rooms and seats as the
school recorded them for the year, and the area per student with `SchoolYearStats`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.core.indicators import Counted, Indicator, register
from thuvien.organisations.models import SchoolYearStats
from thuvien.standards.models import LibraryProfile

HUNDREDTH = Decimal("0.01")


def _profiles(school_ids: Sequence[int], year: int) -> dict[int, LibraryProfile]:
    rows = LibraryProfile.objects.filter(school_id__in=school_ids, year=year)
    return {row.school_id: row for row in rows}


def _students(school_ids: Sequence[int], year: int) -> dict[int, int]:
    rows = SchoolYearStats.objects.filter(school_id__in=school_ids, year=year)
    return dict(rows.values_list("school_id", "students"))


def _from_profile(value_of: Callable[[LibraryProfile], Decimal | int | None]) -> Any:
    def compute(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
        found = {}
        for school_id, profile in _profiles(school_ids, year).items():
            value = value_of(profile)
            if value is not None:
                found[school_id] = Decimal(value)
        return found

    return compute


def _area_per_student(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    students = _students(school_ids, year)
    found = {}
    for school_id, profile in _profiles(school_ids, year).items():
        count = students.get(school_id)
        if count:
            found[school_id] = (profile.total_m2 / count).quantize(HUNDREDTH, ROUND_HALF_UP)
    return found


def _profile_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    profile = (
        LibraryProfile.objects.visible_to(scope).filter(school_id=school_id, year=year).first()
    )
    if profile is None:
        return []
    rows = [
        Counted(_("Reading rooms"), f"{profile.reading_room_m2} m²"),
        Counted(_("Stacks"), f"{profile.stack_m2} m²"),
        Counted(_("Other library rooms"), f"{profile.other_m2} m²"),
    ]
    stats = SchoolYearStats.objects.visible_to(scope).filter(school_id=school_id, year=year).first()
    if stats is not None:
        rows.append(Counted(_("Students"), str(stats.students)))
    return rows


def register_indicators() -> None:
    source = gettext_lazy("The library profile")
    m2 = gettext_lazy("m²")
    for code, label, unit, compute in (
        ("total_area_m2", gettext_lazy("Library area (without open space)"), m2,
         _from_profile(lambda p: p.total_m2)),
        ("area_m2_per_student", gettext_lazy("Library area per student"), m2, _area_per_student),
        ("area_m2_per_child", gettext_lazy("Library area per child"), m2, _area_per_student),
        ("reading_rooms", gettext_lazy("Reading rooms"), gettext_lazy("rooms"),
         _from_profile(lambda p: p.reading_rooms)),
        ("reading_seats", gettext_lazy("Reading seats"), gettext_lazy("seats"),
         _from_profile(lambda p: p.seats)),
        ("open_hours_per_week", gettext_lazy("Hours open a week"), gettext_lazy("hours"),
         _from_profile(lambda p: p.open_hours_per_week)),
    ):  # fmt: skip
        register(Indicator(code, label, unit, compute, _profile_rows, source))
