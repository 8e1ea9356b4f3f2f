"""The nation on one PostgreSQL server: the same pages with 2,000 schools and with ~43,000.

Run alone, on PostgreSQL only (`BENCH_ONLY=national`, see docs/benchmarks.md): this module seeds
its own database instead of the 2,000-school province (`national_seed`). It writes the Ministry
and the 2,000-school demo province under it, with the national campaign, and measures; then it
adds the 33 other provinces (`--schools` in all, 43,000 by default) and their staff, enrols them,
and measures the same pages again:

- as the Ministry's administrator, who sees every school: the unit list (page 1, a search, the
  last page), a school's page, the Ministry's page, the campaign's dashboard at the Ministry and at
  the demo province's Sở, and the same national figures from the API (and, for comparison, the
  national figures grouped by province in one SQL query);
- as the demo province's Sở administrator, who sees their 2,000 schools: the unit list, a
  school's page, the dashboard at the Sở and at its largest office.

Each page is timed as the other benchmarks time it (server time in-process, p95 and p50), its
queries counted and its size noted at both sizes; a query count that grows with the nation is a
miss (target: the count at 2,000 schools).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from harness import Context, Result, percentile
from national_seed import (
    MINISTRY_ADMIN,
    add_ministry,
    add_provinces,
    grow_campaign,
    national_campaign,
    province_sizes,
)

from thuvien.organisations.models import Membership, Unit, UnitKind
from thuvien.organisations.views import PAGE_SIZE
from thuvien.training.models import Campaign, Enrolment

OPT_IN = "national"  # run.py runs this module only when BENCH_ONLY is exactly this
UNITS_MS = 100
DASHBOARD_MS = 150
SEED_TARGET_S = 1800  # minutes, not hours, on two cores


@dataclass(frozen=True)
class Page:
    name: str
    viewer: str  # "ministry" or "province"
    url: str
    target_ms: float


def run(ctx: Context) -> list[Result]:
    if connection.vendor != "postgresql":
        print("bench_national: PostgreSQL only (the nation runs on PostgreSQL); skipped")
        return []
    today = timezone.localdate()
    sizes = province_sizes(ctx.schools)
    results: list[Result] = []
    started = time.perf_counter()
    print(f"bench_national: the Ministry and the demo province ({sizes[0]} schools)", flush=True)
    root = add_ministry()
    add_provinces(root, [0], sizes, today)
    campaign = national_campaign(root, today)
    _analyze()
    seconds = time.perf_counter() - started
    first = Unit.objects.schools().count()
    results.append(_seed_result(first, seconds, "the Ministry, the demo province, the campaign"))
    before = _measure(ctx, results, root, campaign, first)
    started = time.perf_counter()
    print(f"bench_national: {len(sizes) - 1} more provinces, {ctx.schools} schools", flush=True)
    took = add_provinces(root, range(1, len(sizes)), sizes, today)
    enrolled = grow_campaign(campaign, today)
    _analyze()
    seconds = time.perf_counter() - started
    total = Unit.objects.schools().count()
    slowest = max(took.values())
    results.append(
        _seed_result(
            total,
            seconds,
            f"{len(took)} more provinces ({min(sizes[1:])}–{max(sizes[1:])} schools, the "
            f"slowest written in {slowest:.0f} s), {enrolled} more records enrolled",
        )
    )
    after = _measure(ctx, results, root, campaign, total)
    for name, (queries, size) in after.items():
        was, was_size = before[name]
        note = (
            f"{was} queries ({was_size / 1024:.0f} KB) with {first} schools, {queries} "
            f"({size / 1024:.0f} KB) with {total}"
        )
        results.append(Result(f"queries_{name}", queries, "queries", was, note=note))
    return results


def _seed_result(schools: int, seconds: float, what: str) -> Result:
    units = Unit.objects.count()
    people = get_user_model().objects.count()
    memberships = Membership.objects.count()
    records = Enrolment.objects.count()
    note = (
        f"{what}: {units} units, {people} people, {memberships} memberships, {records} records "
        "in the database; then VACUUM ANALYZE"
    )
    return Result(f"national_seed@{schools}", round(seconds, 1), "s", SEED_TARGET_S, note=note)


def _analyze() -> None:
    # Autovacuum would vacuum the freshly written tables and gather planner statistics within a
    # minute or two; do it now rather than measure while it runs (on two cores it competes).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _pages(root: Unit, campaign: Campaign) -> list[Page]:
    school = Unit.objects.get(memberships__user__username="hieutruong")
    so = Membership.objects.get(user__username="so_admin").unit
    office = (
        Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True, parent=so)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    assert office is not None
    units = reverse("organisations:unit_list")
    nation_units = Unit.objects.filter(path__startswith=root.path).active().count()
    province_units = Unit.objects.filter(path__startswith=so.path).active().count()

    def detail(unit: Unit) -> str:
        return reverse("organisations:unit_detail", args=[unit.pk])

    def at(unit: Unit) -> str:
        return reverse("training:progress_unit", args=[campaign.pk, unit.pk])

    return [
        Page("nation_unit_list", "ministry", units, UNITS_MS),
        Page("nation_unit_list_search", "ministry", f"{units}?q=nguyen", UNITS_MS),
        Page(
            "nation_unit_list_last_page",
            "ministry",
            f"{units}?page={math.ceil(nation_units / PAGE_SIZE)}",
            UNITS_MS,
        ),
        Page("nation_unit_detail_school", "ministry", detail(school), UNITS_MS),
        Page("nation_unit_detail_ministry", "ministry", detail(root), UNITS_MS),
        Page(
            "nation_training_dashboard",
            "ministry",
            reverse("training:progress", args=[campaign.pk]),
            DASHBOARD_MS,
        ),
        Page(
            "nation_training_api",
            "ministry",
            f"/api/v1/campaigns/{campaign.pk}/progress/",
            DASHBOARD_MS,
        ),
        Page("nation_training_dashboard_at_province", "ministry", at(so), DASHBOARD_MS),
        Page("province_unit_list", "province", units, UNITS_MS),
        Page(
            "province_unit_list_last_page",
            "province",
            f"{units}?page={math.ceil(province_units / PAGE_SIZE)}",
            UNITS_MS,
        ),
        Page("province_unit_detail_school", "province", detail(school), UNITS_MS),
        Page(
            "province_training_dashboard",
            "province",
            reverse("training:progress", args=[campaign.pk]),
            DASHBOARD_MS,
        ),
        Page("province_training_dashboard_office", "province", at(office), DASHBOARD_MS),
    ]


def _measure(
    ctx: Context, results: list[Result], root: Unit, campaign: Campaign, schools: int
) -> dict[str, tuple[int, int]]:
    """Time every page (results named `<page>@<schools>`); returns page → (queries, bytes)."""
    users = get_user_model().objects
    clients = {
        "ministry": ctx.client_for(users.get(username=MINISTRY_ADMIN)),
        "province": ctx.client_for(users.get(username="so_admin")),
    }
    shapes: dict[str, tuple[int, int]] = {}
    print(f"bench_national: timing the pages with {schools} schools", flush=True)
    for page in _pages(root, campaign):
        client = clients[page.viewer]
        shapes[page.name] = _probe(client, page.url)
        result = ctx.latency(page.name, client, page.url, target_ms=page.target_ms)
        result.name = f"{page.name}@{schools}"
        result.note = result.note.replace(f"{ctx.schools} schools", f"{schools} schools")
        result.note += f" ({shapes[page.name][1] / 1024:.0f} KB)"
        results.append(result)
    results.append(_figures_in_sql(ctx, root, campaign, schools))
    return shapes


# The campaign's figures per province, grouped in the database: what a rollup refresh (or, on
# Citus, one aggregate pushed down to every shard) computes, next to the page's per-school rows.
FIGURES_SQL = """
SELECT split_part(u.path, '/', 3) AS province, count(*) AS expected,
       count(*) FILTER (WHERE e.report_status IN ('submitted', 'evaluated')) AS submitted,
       count(*) FILTER (WHERE e.report_status = 'evaluated') AS evaluated,
       count(*) FILTER (WHERE e.passed) AS passed
FROM training_enrolment e JOIN organisations_unit u ON u.id = e.school_id
WHERE e.campaign_id = %s AND e.left_on IS NULL AND u.path LIKE %s
GROUP BY 1
"""


def _figures_in_sql(ctx: Context, root: Unit, campaign: Campaign, schools: int) -> Result:
    timings = []
    for n in range(ctx.warmup + ctx.requests):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FIGURES_SQL, [campaign.pk, f"{root.path}%"])
            provinces = cursor.fetchall()
        if n >= ctx.warmup:
            timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentile(timings, 50), percentile(timings, 95)
    note = (
        f"p50 {p50:.1f} ms, {len(timings)} runs, {schools} schools: one GROUP BY province over "
        f"the campaign's records, {len(provinces)} rows (no page: the query alone)"
    )
    return Result(f"nation_figures_sql@{schools}", round(p95, 1), "ms p95", DASHBOARD_MS, note=note)


def _probe(client: Client, url: str) -> tuple[int, int]:
    """(queries, bytes) of one GET of `url`."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), len(response.content)
