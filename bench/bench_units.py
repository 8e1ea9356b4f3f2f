"""The organisation screens of a province (`seed_demo --schools 2000`), as the Sở admin sees them.

Latency: the unit list (page 1, a search, the last page), a school's page and the department's
page, each timed as server time through the real middleware, view and templates.
Query counts: the same pages counted, then counted again after 200 more schools are added (in a
transaction rolled back afterwards); a count that grows with the number of units is a miss.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from harness import Context, Result, count_queries

from thuvien.core.folding import fold
from thuvien.organisations.models import Role, SchoolYearStats, Unit, UnitKind
from thuvien.organisations.views import PAGE_SIZE

ADDED_SCHOOLS = 200


def run(ctx: Context) -> list[Result]:
    admin = get_user_model().objects.get(
        memberships__role=Role.DEPARTMENT_ADMIN, username="so_admin"
    )
    client = ctx.client_for(admin)
    school = Unit.objects.get(memberships__user__username="hieutruong")
    office = school.parent
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    units_url = reverse("organisations:unit_list")
    last_page = -(-Unit.objects.active().count() // PAGE_SIZE)
    results = [
        ctx.latency("unit_list", client, units_url),
        ctx.latency("unit_list_search", client, f"{units_url}?q=nguyen"),
        ctx.latency("unit_list_last_page", client, f"{units_url}?page={last_page}"),
        ctx.latency("unit_detail_school", client, _detail(school)),
        ctx.latency("unit_detail_department", client, _detail(department)),
    ]
    pages = {
        "unit_list": units_url,
        "unit_list_search": f"{units_url}?q=nguyen",
        "unit_detail_school": _detail(school),
        "unit_detail_office": _detail(office),
    }
    before = {name: _queries(client, url) for name, url in pages.items()}
    with transaction.atomic():
        _add_schools(office, ADDED_SCHOOLS)
        after = {name: _queries(client, url) for name, url in pages.items()}
        transaction.set_rollback(True)
    for name in pages:
        note = (
            f"{before[name]} queries with {ctx.schools} schools, {after[name]} with "
            f"{ctx.schools + ADDED_SCHOOLS}: GET {pages[name]}"
        )
        results.append(Result(f"queries_{name}", after[name], "queries", before[name], note=note))
    return results


def _detail(unit: Unit) -> str:
    return reverse("organisations:unit_detail", args=[unit.pk])


def _queries(client: Client, url: str) -> int:
    return count_queries(lambda: client.get(url))


def _add_schools(office: Unit, count: int) -> None:
    """`count` more primary schools (with counts) under `office`, names matching the search."""
    names = [f"Trường Tiểu học Nguyễn Văn Thử {n}" for n in range(count)]
    schools = Unit.objects.bulk_create(
        Unit(
            kind=UnitKind.SCHOOL,
            name=name,
            name_folded=fold(name),
            parent=office,
            depth=office.depth + 1,
            has_primary=True,
        )
        for name in names
    )
    for school in schools:
        school.path = f"{office.path}{school.pk}/"
    Unit.objects.bulk_update(schools, ["path"])
    SchoolYearStats.objects.bulk_create(
        SchoolYearStats(school=school, year=2025, students=500, teachers=25) for school in schools
    )
