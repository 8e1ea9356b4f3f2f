"""The library's statistics for a school year: loans by month, class, grade, collection and
subject; the most borrowed titles; the share of active readers; on-site reading; activities.
For one school, or added up over the schools a supervisor sees (with a line a school).

Counts only, never a name: an office or the Sở sees the figures of its schools, computed over
the school ids the caller passes (the views pass those the scope sees, `Unit.visible_to`).
Each figure is one grouped query whatever the number of schools.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from thuvien.circulation.models import Loan, OnSiteReading, Reader, ReaderKind, ReadingActivity

HUNDREDTH = Decimal("0.01")


def year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The school year starting in `year`: 1 August to 31 July (as `current_school_year`)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 8, 1, tzinfo=zone), dt.datetime(year + 1, 8, 1, tzinfo=zone)


@dataclass
class Figures:
    year: int
    loans: int = 0
    by_month: list[tuple[dt.date, int]] = field(default_factory=list)
    by_class: list[tuple[str, int]] = field(default_factory=list)
    by_grade: list[tuple[Any, int]] = field(default_factory=list)
    by_collection: list[tuple[str, int]] = field(default_factory=list)
    by_subject: list[tuple[str, int]] = field(default_factory=list)
    top_titles: list[tuple[str, int]] = field(default_factory=list)
    readers: int = 0
    active_readers: int = 0
    on_site: int = 0
    on_site_by_month: list[tuple[dt.date, int]] = field(default_factory=list)
    activities: int = 0
    participants: int = 0
    by_school: list[dict[str, Any]] = field(default_factory=list)

    @property
    def active_share(self) -> Decimal | None:
        if not self.readers:
            return None
        return (Decimal(100 * self.active_readers) / self.readers).quantize(
            HUNDREDTH, ROUND_HALF_UP
        )

    @property
    def busiest(self) -> int:
        return max([n for _month, n in self.by_month] or [0])


def _grouped(rows: Any, key: str, *, limit: int | None = None) -> list[tuple[Any, int]]:
    counted = rows.values_list(key).annotate(n=Count("pk")).order_by("-n", key)
    return [(value, n) for value, n in (counted[:limit] if limit else counted)]


def _months(rows: Any, field_name: str, total: Any) -> list[tuple[dt.date, int]]:
    zone = ZoneInfo(settings.TIME_ZONE)
    counted = (
        rows.annotate(
            month=TruncMonth(field_name, tzinfo=zone)
            if field_name != "day"
            else TruncMonth(field_name)
        )
        .values_list("month")
        .annotate(n=total)
        .order_by("month")
    )
    return [
        (month.date() if isinstance(month, dt.datetime) else month, n or 0) for month, n in counted
    ]


def figures(school_ids: Sequence[int], year: int) -> Figures:
    start, end = year_span(year)
    loans = Loan.objects.filter(school_id__in=school_ids, issued_at__gte=start, issued_at__lt=end)
    found = Figures(year=year, loans=loans.count())
    found.by_month = _months(loans, "issued_at", Count("pk"))
    found.by_class = _grouped(loans.exclude(reader__class_name=""), "reader__class_name")
    found.by_grade = _grouped(loans.filter(reader__grade__isnull=False), "reader__grade")
    found.by_collection = _grouped(loans, "copy__collection__name")
    found.by_subject = _grouped(
        loans.exclude(copy__record__school_subject=""), "copy__record__school_subject"
    )
    found.top_titles = _grouped(loans, "copy__record__title", limit=20)
    readers = Reader.objects.filter(school_id__in=school_ids, active=True)
    found.readers = readers.count()
    found.active_readers = loans.values("reader_id").distinct().count()
    on_site = OnSiteReading.objects.filter(
        school_id__in=school_ids, day__gte=start.date(), day__lt=end.date()
    )
    found.on_site = on_site.aggregate(n=Sum("readers"))["n"] or 0
    found.on_site_by_month = _months(on_site, "day", Sum("readers"))
    activities = ReadingActivity.objects.filter(
        school_id__in=school_ids, held_on__gte=start.date(), held_on__lt=end.date()
    )
    found.activities = activities.count()
    found.participants = activities.aggregate(n=Sum("participants"))["n"] or 0
    if len(school_ids) > 1:
        found.by_school = _per_school(school_ids, loans, readers, on_site, activities)
    return found


def _per_school(
    school_ids: Sequence[int], loans: Any, readers: Any, on_site: Any, activities: Any
) -> list[dict[str, Any]]:
    from thuvien.organisations.models import Unit

    counted = dict(loans.values_list("school_id").annotate(n=Count("pk")))
    active = dict(loans.values_list("school_id").annotate(n=Count("reader_id", distinct=True)))
    people = dict(readers.values_list("school_id").annotate(n=Count("pk")))
    site = dict(on_site.values_list("school_id").annotate(n=Sum("readers")))
    done = dict(activities.values_list("school_id").annotate(n=Count("pk")))
    rows = []
    for school in Unit.objects.filter(pk__in=school_ids).order_by("path"):
        share = None
        if people.get(school.pk):
            share = (Decimal(100 * active.get(school.pk, 0)) / people[school.pk]).quantize(
                HUNDREDTH, ROUND_HALF_UP
            )
        rows.append({
            "school": school, "loans": counted.get(school.pk, 0),
            "readers": people.get(school.pk, 0), "active_share": share,
            "on_site": site.get(school.pk, 0), "activities": done.get(school.pk, 0),
        })  # fmt: skip
    return rows


def students_of(school_ids: Sequence[int]) -> Any:
    return Reader.objects.filter(school_id__in=school_ids, kind=ReaderKind.STUDENT, active=True)
