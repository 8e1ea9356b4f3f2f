"""The library standards on the 2,000-school province (issue 10).

Seeding (once, in bulk, like `training_seed`): a department window of this school year with TT 16,
a library profile and the year's figures for every school, an assessment for nine schools in ten
with every criterion's value, at every stage (a quarter recognised, Mức 1 or 2 or none).

- `standards_all_indicators`: every registered indicator for every school of the province, one
  provider call per indicator (what an overview or a yearly report needs) — target ≤ 30 s.
- `standards_assessment_page`: a school's assessment page as its librarian opens it (the values,
  the platform's figures computed live, the result) — ≤ 100 ms p95.
- `standards_overview_department`: the Sở's overview (by office, by tier, over the years, the
  schools one criterion away) — ≤ 150 ms p95; its query count again with 200 more schools, each
  assessed (in a transaction rolled back afterwards): a count that grows is a miss.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from harness import Context, Result, count_queries

from thuvien.core import indicators
from thuvien.core.folding import fold
from thuvien.organisations.models import (
    Membership,
    Role,
    SchoolYearStats,
    Unit,
    UnitKind,
    current_school_year,
)
from thuvien.standards import results, services
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    AssessmentWindow,
    Framework,
    LibraryProfile,
    Recognition,
)

TITLE = "Tự đánh giá thư viện (benchmark)"
COMPUTED_TARGET_MS = 400  # the first request after a write, which computes the overview again
ADDED_SCHOOLS = 200
BATCH = 1000


def _seed() -> AssessmentWindow:
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    found = AssessmentWindow.objects.filter(issuer=department, title=TITLE).first()
    if found is not None:
        return found
    services.ship_frameworks()
    version = Framework.objects.get(code="tt16-2022").current
    assert version is not None
    today = timezone.localdate()
    year = current_school_year(today)
    rng = random.Random(10)
    with transaction.atomic():
        AssessmentWindow.objects.filter(issuer=department, year=year).delete()
        window = AssessmentWindow.objects.create(
            issuer=department,
            target=department,
            framework_version=version,
            year=year,
            title=TITLE,
            opens_on=today - dt.timedelta(days=30),
            closes_on=today + dt.timedelta(days=30),
            department_tiers=["upper_secondary"],
        )
        _assess(window, list(Unit.objects.schools().filter(is_active=True)), rng)
    return window


def _assess(window: AssessmentWindow, schools: list[Unit], rng: random.Random) -> None:
    version = window.framework_version
    year = window.year
    criteria = list(version.criteria.all())
    levels = list(version.levels.all())
    have_stats = set(SchoolYearStats.objects.filter(year=year).values_list("school_id", flat=True))
    SchoolYearStats.objects.bulk_create(
        [
            SchoolYearStats(school=s, year=year, students=rng.randint(200, 1500), teachers=40)
            for s in schools
            if s.pk not in have_stats
        ],
        batch_size=BATCH,
    )
    LibraryProfile.objects.bulk_create(
        [
            LibraryProfile(
                school=s,
                year=year,
                reading_room_m2=Decimal(rng.choice((36, 54, 72, 90))),
                stack_m2=Decimal(20),
                seats=40,
                reading_rooms=1,
            )
            for s in schools
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    stages = [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.SENT,
              AssessmentStatus.RETURNED, AssessmentStatus.RECOGNISED]  # fmt: skip
    chosen = [s for n, s in enumerate(schools) if n % 10]
    rows = Assessment.objects.bulk_create(
        [
            Assessment(
                window=window,
                school=s,
                tier=results.tier_of(s),
                status=stages[n % len(stages)],
                sent_to=window.issuer if n % len(stages) >= 2 else None,
            )
            for n, s in enumerate(chosen)
        ],
        batch_size=BATCH,
    )
    values = []
    for assessment, school in zip(rows, chosen, strict=True):
        for c in results.applicable(
            criteria, levels, assessment.tier, results.highest_tier(school)
        ):
            entered = (c.threshold * Decimal("1.2")) if c.threshold is not None else None
            values.append(
                AssessmentValue(
                    assessment=assessment,
                    school=school,
                    criterion=c,
                    entered=entered,
                    met_entered=None if entered is not None else rng.random() < 0.8,
                )
            )
    AssessmentValue.objects.bulk_create(values, batch_size=BATCH)
    Recognition.objects.bulk_create(
        [
            Recognition(
                assessment=a,
                school_id=a.school_id,
                level=rng.choice([None, *levels]),
                decided_by=window.issuer,
                decision_number=f"{n}/QĐ-SGDĐT",
                decided_on=window.opens_on,
            )
            for n, a in enumerate(rows)
            if a.status == AssessmentStatus.RECOGNISED
        ],
        batch_size=BATCH,
    )


def run(ctx: Context) -> list[Result]:
    started = time.perf_counter()
    window = _seed()
    seeded = round(time.perf_counter() - started, 1)
    assessed = Assessment.objects.filter(window=window).count()
    results_ = [
        Result("standards_seed", seeded, "s", 120, note=f"{assessed} assessments"),
        _all_indicators(window),
    ]
    librarian_row = (
        Membership.objects.filter(
            role=Role.LIBRARIAN, unit__in=Assessment.objects.filter(window=window).values("school")
        )
        .select_related("user", "unit")
        .order_by("pk")
        .first()
    )
    assert librarian_row is not None
    assessment = Assessment.objects.get(window=window, school=librarian_row.unit)
    librarian = ctx.client_for(librarian_row.user)
    url = reverse("standards:assessment_detail", args=[assessment.pk])
    results_.append(ctx.latency("standards_assessment_page", librarian, url, target_ms=100))
    admin = get_user_model().objects.get(username="so_admin")
    client = ctx.client_for(admin)
    overview = reverse("standards:overview") + f"?window={window.pk}"
    results_.append(ctx.latency("standards_overview_department", client, overview, target_ms=150))
    # The same page right after a write (a value saved): the kept overview is stale, the request
    # computes it again.
    value = AssessmentValue.objects.filter(assessment__window=window).order_by("pk").first()
    assert value is not None

    def a_write() -> None:
        value.save(update_fields=["note"])

    results_.append(
        ctx.latency(
            "standards_overview_department_after_a_write",
            client,
            overview,
            target_ms=COMPUTED_TARGET_MS,
            before_each=a_write,
            what=", each after a value was saved",
        )
    )
    before = _computed_queries(client, overview)
    with transaction.atomic():
        _add_schools(window, ADDED_SCHOOLS)
        after = _computed_queries(client, overview)
        transaction.set_rollback(True)
    note = (
        f"{before} queries with {ctx.schools} schools, {after} with "
        f"{ctx.schools + ADDED_SCHOOLS} (and {ADDED_SCHOOLS} more assessments): GET {overview}"
    )
    results_.append(Result("queries_standards_overview", after, "queries", before, note=note))
    return results_


def _computed_queries(client: Any, url: str) -> int:
    """The queries of a request that computes the overview (nothing kept)."""
    cache.clear()
    return count_queries(lambda: client.get(url))


def _all_indicators(window: AssessmentWindow) -> Result:
    schools = list(Unit.objects.schools().filter(is_active=True).values_list("pk", flat=True))
    started = time.perf_counter()
    counted = 0
    for indicator in indicators.registered():
        counted += len(indicators.values(indicator.code, schools, window.year))
    seconds = round(time.perf_counter() - started, 2)
    note = (
        f"{len(indicators.registered())} indicators × {len(schools)} schools: "
        f"{counted} values for school year {window.school_year}"
    )
    return Result("standards_all_indicators", seconds, "s", 30, note=note)


def _add_schools(window: AssessmentWindow, count: int) -> None:
    office = Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True).order_by("pk").first()
    assert office is not None
    names = [f"Trường Tiểu học Thử Tiêu Chuẩn {n}" for n in range(count)]
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
    _assess(window, schools, random.Random(11))
