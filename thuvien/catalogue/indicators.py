"""The catalogue's indicators for the library standards (`core.indicators`): copies per student
(per child, per teacher), textbook sets per teacher, professional books per teacher, digital
resources. Counted at the end of the school year (31 May of the next calendar year): copies
registered by then, less those withdrawn by then and those lost."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.catalogue.models import Copy, CopyStatus, DigitalResource, DocType
from thuvien.core.indicators import Counted, Indicator, register
from thuvien.organisations.models import SchoolYearStats

HUNDREDTH = Decimal("0.01")
# Books, as the standards count them: not newspapers, maps or digital resources.
BOOKS = (
    DocType.TEXTBOOK,
    DocType.TEACHER_BOOK,
    DocType.PROFESSIONAL,
    DocType.REFERENCE,
    DocType.CHILDREN,
)
SET_TYPES = (DocType.TEXTBOOK, DocType.TEACHER_BOOK)
PROFESSIONAL = (DocType.PROFESSIONAL, DocType.TEACHER_BOOK)


def year_end(year: int) -> dt.date:
    return dt.date(year + 1, 5, 31)


def held(school_ids: Sequence[int], year: int) -> Any:
    """The copies the schools held at the end of the school year."""
    end = year_end(year)
    return (
        Copy.objects.filter(school_id__in=school_ids, registered_on__lte=end)
        .exclude(status=CopyStatus.LOST)
        .exclude(status=CopyStatus.WITHDRAWN, withdrawal__withdrawn_on__lte=end)
    )


def _people(school_ids: Sequence[int], year: int, field: str) -> dict[int, int]:
    rows = SchoolYearStats.objects.filter(school_id__in=school_ids, year=year)
    return {school: count for school, count in rows.values_list("school_id", field) if count}


def _ratio(counts: dict[int, int], people: dict[int, int]) -> dict[int, Decimal]:
    """Per school with data (copies counted, and people to divide by): a school that keeps no
    copies in the catalogue has no value, as `core.indicators` asks, not a computed zero."""
    return {
        school: (Decimal(count) / people[school]).quantize(HUNDREDTH, ROUND_HALF_UP)
        for school, count in counts.items()
        if people.get(school)
    }


def _copies_of(types: Sequence[str]) -> Any:
    def counts(school_ids: Sequence[int], year: int) -> dict[int, int]:
        rows = held(school_ids, year).filter(record__doc_type__in=types)
        return dict(rows.values("school_id").annotate(n=Count("pk")).values_list("school_id", "n"))

    return counts


def _per(types: Sequence[str], field: str) -> Any:
    counts = _copies_of(types)

    def compute(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
        return _ratio(counts(school_ids, year), _people(school_ids, year, field))

    return compute


def textbook_sets(school_ids: Sequence[int], year: int) -> dict[int, dict[int, int]]:
    """Per school and grade, the complete sets of its textbooks and teachers' books: the fewest
    copies any title of that grade has (a set is one copy of every title of the grade)."""
    rows = (
        held(school_ids, year)
        .filter(record__doc_type__in=SET_TYPES, record__grade__isnull=False)
        .values_list("school_id", "record__grade", "record_id")
        .annotate(n=Count("pk"))
    )
    fewest: dict[int, dict[int, int]] = defaultdict(dict)
    for school, grade, _record, n in rows:
        fewest[school][grade] = min(n, fewest[school].get(grade, n))
    return fewest


def _sets_per_teacher(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    sets = {
        school: sum(grades.values()) for school, grades in textbook_sets(school_ids, year).items()
    }
    return _ratio(sets, _people(school_ids, year, "teachers"))


def _digital(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    rows = DigitalResource.objects.filter(
        school_id__in=school_ids, added_at__date__lte=year_end(year)
    )
    counts = rows.values("school_id").annotate(n=Count("pk")).values_list("school_id", "n")
    return {school: Decimal(n) for school, n in counts}


def _copy_rows(types: Sequence[str]) -> Any:
    def counted(school_id: int, year: int, scope: Any) -> list[Counted]:
        rows = (
            held([school_id], year)
            .filter(record__doc_type__in=types)
            .filter(pk__in=Copy.objects.visible_to(scope).values("pk"))
            .values_list("record__doc_type")
            .annotate(n=Count("pk"))
            .order_by("record__doc_type")
        )
        labels = dict(DocType.choices)
        return [Counted(str(labels[t]), _("%(n)s copies") % {"n": n}) for t, n in rows]

    return counted


def _set_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    if not Copy.objects.visible_to(scope).filter(school_id=school_id).exists():
        return []
    grades = textbook_sets([school_id], year).get(school_id, {})
    return [
        Counted(_("Grade %(grade)s") % {"grade": grade}, _("%(n)s sets") % {"n": n})
        for grade, n in sorted(grades.items())
    ]


def _resource_rows(school_id: int, year: int, scope: Any) -> list[Counted]:
    rows = (
        DigitalResource.objects.visible_to(scope)
        .filter(school_id=school_id, added_at__date__lte=year_end(year))
        .select_related("record")
    )
    return [Counted(r.record.full_title, r.get_kind_display()) for r in rows[:200]]


def register_indicators() -> None:
    source = gettext_lazy("The library's collection")
    copies_unit = gettext_lazy("copies")
    for code, label, unit, compute, counted in (
        ("book_copies_per_student", gettext_lazy("Book copies per student"), copies_unit,
         _per(BOOKS, "students"), _copy_rows(BOOKS)),
        ("book_copies_per_child", gettext_lazy("Book copies per child"), copies_unit,
         _per(BOOKS, "students"), _copy_rows(BOOKS)),
        ("book_copies_per_teacher", gettext_lazy("Book copies per teacher"), copies_unit,
         _per(BOOKS, "teachers"), _copy_rows(BOOKS)),
        ("book_sets_per_teacher", gettext_lazy("Textbook sets per teacher"),
         gettext_lazy("sets"), _sets_per_teacher, _set_rows),
        ("professional_books_per_teacher", gettext_lazy("Professional books per teacher"),
         copies_unit, _per(PROFESSIONAL, "teachers"), _copy_rows(PROFESSIONAL)),
        ("digital_resources", gettext_lazy("Digital resources"), gettext_lazy("resources"),
         _digital, _resource_rows),
    ):  # fmt: skip
        register(Indicator(code, label, unit, compute, counted, source))


__all__ = ["register_indicators", "textbook_sets"]
