"""Read-side queries of the organisation screens: a scope in, querysets and small rows out.

Counts are annotated as correlated subqueries so that a page costs the same number of queries
whether the province has 20 units or 2,000.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat

from thuvien.access import Scope
from thuvien.core.audit import AuditEntry, history_entries
from thuvien.organisations.agencies import abbreviation
from thuvien.organisations.models import (
    Membership,
    SchoolYearStats,
    Unit,
    UnitKind,
    UnitParentLink,
    current_school_year,
)


def _count(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values(grouper=Value(1)).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _strictly_below(path: Any) -> Q:
    """Units strictly below `path` (which may be an OuterRef), as an index range rather than a
    LIKE whose pattern comes from another row (which no index can serve). Paths hold only digits
    and "/", which sort before "a" in every collation."""
    return Q(path__gt=path, path__lt=Concat(path, Value("a"), output_field=CharField()))


def units_in_scope(scope: Scope, filters: dict[str, Any]) -> QuerySet[Unit]:
    """Units in scope, filtered (q, kind, tier, show_inactive, within), in tree order."""
    units = Unit.objects.visible_to(scope)
    if filters.get("within"):
        # Below a unit of the scope; a unit outside the scope gives nothing, not an error.
        below = units.filter(pk=filters["within"]).values("path")[:1]
        units = units.filter(_strictly_below(Subquery(below)))
    if filters.get("q"):
        units = units.search(filters["q"])
    if filters.get("kind"):
        units = units.filter(kind=filters["kind"])
    if filters.get("tier"):
        units = units.with_tier(filters["tier"])
    if not filters.get("show_inactive"):
        units = units.active()
    return units.order_by("path")


def with_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Each unit with: schools below it, current staff, and its latest students and teachers."""
    schools_below = Unit.objects.filter(
        _strictly_below(OuterRef("path")), kind=UnitKind.SCHOOL, is_active=True
    )
    staff = Membership.objects.current().filter(unit=OuterRef("pk")).exclude(role="reader")
    latest = SchoolYearStats.objects.filter(school=OuterRef("pk")).order_by("-year")
    return units.select_related("parent").annotate(
        schools_below=_count(schools_below),
        staff_count=_count(staff),
        students=Subquery(latest.values("students")[:1]),
        teachers=Subquery(latest.values("teachers")[:1]),
        stats_year=Subquery(latest.values("year")[:1]),
    )


def count_page(units: list[Unit], scope: Scope) -> list[Unit]:
    """The units of one page, re-read with their counts (one query). Counting after paginating
    keeps deep pages cheap: the counts are computed for the rows shown, not the rows skipped."""
    ids = [unit.pk for unit in units]
    return list(with_counts(Unit.objects.visible_to(scope).filter(pk__in=ids)).order_by("path"))


def unit_page(unit: Unit, scope: Scope) -> dict[str, Any]:
    """Everything the unit page shows (of a unit the scope sees), in a fixed number of queries."""
    children = unit.children.visible_to(scope).active()
    return {
        "children": list(children.order_by("kind", "name_folded")[:50]),
        "children_total": children.count(),
        "schools_below": Unit.objects.visible_to(scope)
        .filter(path__startswith=unit.path, kind=UnitKind.SCHOOL, is_active=True)
        .exclude(pk=unit.pk)
        .count(),
        "staff": list(
            unit.memberships.current()
            .exclude(role="reader")
            .select_related("user")
            .order_by("role", "user__full_name")
        ),
        "readers": unit.memberships.current().filter(role="reader").count(),
        "stats": list(unit.year_stats.all()[:10]),
        "parent_links": list(unit.parent_links.select_related("parent").order_by("-valid_from")),
        # policy: the names of the units above one the person sees (the page's breadcrumb)
        "ancestors": list(Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("depth")),
        "merged_from": list(unit.merged_from.all()),
        "signers": list(unit.signers.visible_to(scope)),
        "document_symbol": abbreviation(unit),
    }


def staff_in_scope(scope: Scope, filters: dict[str, str]) -> QuerySet[Membership]:
    memberships = (
        Membership.objects.visible_to(scope)
        .current()
        .select_related("user", "unit")
        .order_by("unit__path", "role", "user__full_name")
    )
    if filters.get("role"):
        memberships = memberships.filter(role=filters["role"])
    query = (filters.get("q") or "").strip()
    if query:
        memberships = memberships.filter(
            Q(user__full_name__icontains=query)
            | Q(user__username__icontains=query)
            | Q(user__email__icontains=query)
        )
    return memberships


def unit_history(unit: Unit) -> list[AuditEntry]:
    """The audit trail of a unit: its own record, its supervision, its counts and its people."""
    return history_entries(
        Unit.history.filter(id=unit.pk),
        UnitParentLink.history.filter(unit_id=unit.pk),
        SchoolYearStats.history.filter(school_id=unit.pk),
        Membership.history.filter(unit_id=unit.pk),
    )


def scope_summary(scope: Scope) -> dict[str, int]:
    """Headline figures of a scope for the home page: units by kind, staff, latest students."""
    units = Unit.objects.visible_to(scope).active()
    by_kind = dict(units.order_by().values_list("kind").annotate(n=Count("*")))
    year = current_school_year()
    stats = SchoolYearStats.objects.visible_to(scope).filter(year__in=[year, year - 1])
    latest_year = stats.order_by("-year").values_list("year", flat=True).first() or year
    students = stats.filter(year=latest_year).aggregate(n=Sum("students"))["n"] or 0
    staff = Membership.objects.visible_to(scope).current().exclude(role="reader").count()
    return {
        "offices": by_kind.get(UnitKind.OFFICE, 0),
        "schools": by_kind.get(UnitKind.SCHOOL, 0),
        "partners": by_kind.get(UnitKind.PARTNER, 0),
        "staff": staff,
        "students": students,
        "students_year": latest_year,
    }


def memberships_of_person(person: Any, scope: Scope) -> list[Membership]:
    """Every role of a person in units of the scope, current and ended, newest first."""
    return list(
        Membership.objects.visible_to(scope)
        .filter(user=person)
        .select_related("unit")
        .order_by("-valid_from", "unit__name")
    )


def person_history(person: Any, scope: Scope) -> list[AuditEntry]:
    """The audit trail of a person's profile and of their roles in units of the scope."""
    units_in_scope = Unit.objects.visible_to(scope).values("pk")
    return history_entries(
        person.history.all(),
        Membership.history.filter(user_id=person.pk, unit_id__in=units_in_scope),
        limit=200,
    )
