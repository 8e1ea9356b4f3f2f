"""The circulation's indicators for the library standards (`core.indicators`): loans and on-site
reading per student, the share of active readers, reading-promotion activities, opening hours a
week. Counted over the school year (1 August to 31 July); per student by the school's student
count of that year (`SchoolYearStats`). A school with nothing counted has no value."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.circulation.models import DeskSettings, Loan, OnSiteReading, Reader, ReadingActivity
from thuvien.circulation.statistics import year_span
from thuvien.core.indicators import Counted, Indicator, register
from thuvien.organisations.models import SchoolYearStats

HUNDREDTH = Decimal("0.01")


def _students(school_ids: Sequence[int], year: int) -> dict[int, int]:
    rows = SchoolYearStats.objects.filter(school_id__in=school_ids, year=year)
    return {school: n for school, n in rows.values_list("school_id", "students") if n}


def _loans(school_ids: Sequence[int], year: int) -> Any:
    start, end = year_span(year)
    return Loan.objects.filter(school_id__in=school_ids, issued_at__gte=start, issued_at__lt=end)


def _on_site(school_ids: Sequence[int], year: int) -> Any:
    start, end = year_span(year)
    return OnSiteReading.objects.filter(
        school_id__in=school_ids, day__gte=start.date(), day__lt=end.date()
    )


def _activities(school_ids: Sequence[int], year: int) -> Any:
    start, end = year_span(year)
    return ReadingActivity.objects.filter(
        school_id__in=school_ids, held_on__gte=start.date(), held_on__lt=end.date()
    )


def _per_student(counts: dict[int, int], students: dict[int, int]) -> dict[int, Decimal]:
    return {
        school: (Decimal(n) / students[school]).quantize(HUNDREDTH, ROUND_HALF_UP)
        for school, n in counts.items()
        if students.get(school)
    }


def _loans_per_student(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    counts = dict(_loans(school_ids, year).values_list("school_id").annotate(n=Count("pk")))
    return _per_student(counts, _students(school_ids, year))


def _on_site_per_student(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    counts = dict(_on_site(school_ids, year).values_list("school_id").annotate(n=Sum("readers")))
    return _per_student(counts, _students(school_ids, year))


def _active_share(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    active = dict(
        _loans(school_ids, year)
        .values_list("school_id")
        .annotate(n=Count("reader_id", distinct=True))
    )
    readers = dict(
        Reader.objects.filter(school_id__in=school_ids, active=True)
        .values_list("school_id")
        .annotate(n=Count("pk"))
    )
    return {
        school: (Decimal(100 * active.get(school, 0)) / n).quantize(HUNDREDTH, ROUND_HALF_UP)
        for school, n in readers.items()
        if n and school in active
    }


def _activity_count(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    counts = _activities(school_ids, year).values_list("school_id").annotate(n=Count("pk"))
    return {school: Decimal(n) for school, n in counts}


def _hours(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    rows = DeskSettings.objects.filter(school_id__in=school_ids, hours_per_week__isnull=False)
    pairs = rows.values_list("school_id", "hours_per_week")
    return {school: hours for school, hours in pairs if hours is not None}


def _month_rows(rows: Any, total: Any, label: str) -> list[Counted]:
    from thuvien.circulation.statistics import _months

    return [
        Counted(f"{month:%m/%Y}", _("%(n)s %(what)s") % {"n": n, "what": label})
        for month, n in _months(rows, *total)
    ]


def _sees(scope: Any, school_id: int) -> bool:
    """The drill-down shows a school's figures to those who see its circulation."""
    return Reader.objects.visible_to(scope).filter(school_id=school_id).exists()


def _loan_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    if not _sees(scope, school_id):
        return []
    return _month_rows(_loans([school_id], year), ("issued_at", Count("pk")), _("loans"))


def _on_site_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    if not _sees(scope, school_id):
        return []
    return _month_rows(_on_site([school_id], year), ("day", Sum("readers")), _("readers"))


def _active_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    if not _sees(scope, school_id):
        return []
    active = _loans([school_id], year).values("reader_id").distinct().count()
    readers = Reader.objects.filter(school_id=school_id, active=True).count()
    return [Counted(_("Readers who borrowed this school year"), f"{active} / {readers}")]


def _activity_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    url = reverse("circulation:activity_list")
    rows = _activities([school_id], year).filter(
        pk__in=ReadingActivity.objects.visible_to(scope).values("pk")
    )
    return [
        Counted(activity.title, f"{activity.held_on:%d/%m/%Y}", url)
        for activity in rows.order_by("held_on")
    ]


def _hour_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    settings = DeskSettings.objects.visible_to(scope).filter(school_id=school_id).first()
    if settings is None or settings.hours_per_week is None:
        return []
    return [Counted(_("Opening hours a week"), str(settings.hours_per_week))]


def register_indicators() -> None:
    source = gettext_lazy("The library's services")
    for code, label, unit, compute, counted in (
        ("loans_per_student", gettext_lazy("Loans per student"), gettext_lazy("loans"),
         _loans_per_student, _loan_rows),
        ("on_site_readings_per_student", gettext_lazy("On-site readings per student"),
         gettext_lazy("readings"), _on_site_per_student, _on_site_rows),
        ("active_readers_share", gettext_lazy("Readers who borrowed in the year"),
         gettext_lazy("%"), _active_share, _active_rows),
        ("reading_promotion_activities", gettext_lazy("Reading-promotion activities"),
         gettext_lazy("activities"), _activity_count, _activity_rows),
        ("opening_hours_per_week", gettext_lazy("Opening hours a week"), gettext_lazy("hours"),
         _hours, _hour_rows),
    ):  # fmt: skip
        register(Indicator(code, label, unit, compute, counted, source))
