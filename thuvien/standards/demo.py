"""The library standards of the demo province, played through the real use cases.

`seed_standards(today, seed=…)`:
- a library profile for every school, last school year and this one;
- last school year's self-assessment (window May–July), every school's recognised: some Mức 2,
  more Mức 1, some without a level, by the department (upper secondary) or their office, with
  the decision's number; a development plan made from each school's gaps, some actions done;
- this school year's window, open now (from three weeks ago to six weeks ahead), the schools at
  every stage: not started, being prepared, waiting for the principal, sent, returned for
  changes, recognised.

Deterministic in `seed`; a window already there for its school year is left alone, so a second
run adds nothing. `clear_standards_data` removes it all (`seed_demo --reset`).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thuvien.organisations.models import Membership, Role, Unit, UnitKind, current_school_year
from thuvien.standards import services
from thuvien.standards.models import (
    Assessment,
    AssessmentValue,
    AssessmentWindow,
    DevelopmentPlan,
    Evidence,
    Framework,
    FrameworkVersion,
    Judgement,
    LibraryProfile,
    PlanAction,
    PlanActionStatus,
    Recognition,
)

__all__ = ["clear_standards_data", "seed_standards"]

STAGES = ("not_started", "draft", "submitted", "sent", "returned", "recognised")


def _member(unit: Unit, roles: tuple[str, ...], on: dt.date) -> Any:
    row = (
        Membership.objects.current(on)
        .filter(unit=unit, role__in=roles)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed_standards(today: dt.date, *, seed: int) -> None:
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").first()
    if department is None:
        return
    services.ship_frameworks()
    version = Framework.objects.get(code="tt16-2022").current
    assert version is not None
    rng = random.Random(f"standards-{seed}")  # noqa: S311 - demo data, not secrets
    year = current_school_year(today)
    schools = list(Unit.objects.schools().filter(is_active=True).order_by("path"))
    for school in schools:
        for profile_year in (year - 1, year):
            _profile(school, profile_year, rng)
    existing = set(
        AssessmentWindow.objects.filter(issuer=department).values_list("year", flat=True)
    )
    if year - 1 not in existing:
        _last_year(department, version, year - 1, schools, rng)
    if year not in existing:
        _this_year(department, version, year, schools, today, rng)


def _profile(school: Unit, year: int, rng: random.Random) -> None:
    if LibraryProfile.objects.filter(school=school, year=year).exists():
        return
    reading = Decimal(rng.choice((36, 48, 54, 60, 72, 90, 120)))
    services.save_profile(
        school,
        year=year,
        reading_room_m2=reading,
        stack_m2=Decimal(rng.choice((12, 18, 24, 30))),
        other_m2=Decimal(rng.choice((0, 6, 9, 12))),
        open_space_m2=Decimal(rng.choice((0, 20, 40))),
        reading_rooms=rng.choice((1, 1, 2)),
        seats=int(reading) // 2,
        open_corners=rng.choice((0, 2, 4, 6)),
        green_corners=rng.choice((0, 1, 2)),
        computers=rng.choice((0, 2, 4, 8)),
        equipment="Tủ, kệ, giá sách; bàn ghế đọc; tủ mục lục; máy tính tra cứu",
        opening_hours="Thứ Hai – Thứ Sáu, 7h00 – 16h30",
        open_hours_per_week=Decimal(rng.choice((30, 35, 40, 45))),
        budget_vnd=rng.choice((15, 20, 30, 45, 60)) * 1_000_000,
    )


def _fill(assessment: Assessment, rng: random.Random, *, good: bool, day: dt.date) -> None:
    """Values as a school enters them: a number for each threshold (mostly above it when `good`)
    and yes for the other criteria, with a short explanation."""
    entries: dict[int, tuple[Decimal | None, bool | None, str]] = {}
    for value in assessment.values.select_related("criterion"):
        criterion = value.criterion
        if criterion.judgement == Judgement.THRESHOLD and criterion.threshold is not None:
            factor = Decimal(rng.choice(("1.1", "1.3", "1.6"))) if good else Decimal("0.8")
            entries[criterion.pk] = (
                (criterion.threshold * factor).quantize(Decimal("0.1")),
                None,
                "",
            )
        else:
            met = good or rng.random() < 0.6
            note = "Có biên bản, sổ sách kèm theo." if met else "Đang bổ sung."
            entries[criterion.pk] = (None, met, note)
    services.save_values(
        assessment, entries, summary="Thư viện hoạt động đều, phục vụ tốt.", on=day
    )


def _recognise(assessment: Assessment, level: Any, decided_on: dt.date, number: int) -> None:
    sent_to = assessment.sent_to
    assert sent_to is not None
    officer = _member(
        sent_to, (Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_ADMIN, Role.OFFICE_OFFICER), decided_on
    )
    symbol = "QĐ-SGDĐT" if sent_to.kind == UnitKind.DEPARTMENT else "QĐ-PGDĐT"
    services.recognise(
        assessment,
        by=officer,
        level=level,
        decision_number=f"{number}/{symbol}",
        decided_on=decided_on,
        check_notes="Đã kiểm tra thực tế tại thư viện.",
    )


def _walk(assessment: Assessment, school: Unit, to: str, day: dt.date) -> None:
    """Take a prepared assessment from draft to `to` (submitted, sent, returned)."""
    librarian = _member(school, (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN), day)
    principal = _member(school, (Role.PRINCIPAL,), day)
    services.submit(assessment, by=librarian, on=_at(day))
    if to == "submitted":
        return
    services.approve(assessment, by=principal, on=_at(day + dt.timedelta(days=2)))
    if to == "returned":
        assessment.refresh_from_db()
        assert assessment.sent_to is not None  # approved: sent
        reviewer = _member(
            assessment.sent_to,
            (Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_ADMIN, Role.OFFICE_OFFICER),
            day,
        )
        services.return_for_changes(
            assessment,
            by=reviewer,
            comment="Bổ sung minh chứng về diện tích phòng đọc và sổ đăng ký cá biệt.",
            check_notes="Chưa kiểm tra thực tế.",
        )


def _last_year(
    department: Unit, version: FrameworkVersion, year: int, schools: list[Unit], rng: random.Random
) -> None:
    opens, closes = dt.date(year + 1, 5, 1), dt.date(year + 1, 7, 31)
    window = services.open_window(
        department,
        framework_version=version,
        year=year,
        title=f"Tự đánh giá thư viện trường học năm học {year}–{year + 1}",
        opens_on=opens,
        closes_on=closes,
    )
    levels = {level.code: level for level in version.levels.all()}
    for number, school in enumerate(schools, start=1):
        assessment = services.start_assessment(window, school)
        draw = rng.random()
        level = levels["muc2"] if draw < 0.25 else levels["muc1"] if draw < 0.75 else None
        day = opens + dt.timedelta(days=rng.randint(5, 40))
        _fill(assessment, rng, good=level is not None, day=day)
        _walk(assessment, school, "sent", day)
        assessment.refresh_from_db()
        _recognise(assessment, level, dt.date(year + 1, 8, 20), 100 + number)
        plan = services.plan_from_gaps(Assessment.objects.get(pk=assessment.pk))
        actions = list(plan.actions.all())
        if not actions:
            services.add_action(plan, title="Tổ chức Ngày Sách và Văn hóa đọc Việt Nam (21/4)")
            actions = list(plan.actions.all())
        rows = {}
        for n, action in enumerate(actions):
            rows[action.pk] = {
                "owner": "Người làm công tác thư viện",
                "due_on": dt.date(year + 1, 12, 31),
                "budget_vnd": rng.choice((2, 5, 10, 20)) * 1_000_000,
                "status": PlanActionStatus.DONE if n % 2 else PlanActionStatus.IN_PROGRESS,
            }
        services.save_actions(plan, rows)


def _this_year(
    department: Unit,
    version: FrameworkVersion,
    year: int,
    schools: list[Unit],
    today: dt.date,
    rng: random.Random,
) -> None:
    opens, closes = today - dt.timedelta(days=21), today + dt.timedelta(days=42)
    window = services.open_window(
        department,
        framework_version=version,
        year=year,
        title=f"Tự đánh giá thư viện trường học năm học {year}–{year + 1}",
        opens_on=opens,
        closes_on=closes,
    )
    levels = {level.code: level for level in version.levels.all()}
    for n, school in enumerate(schools):
        stage = STAGES[n % len(STAGES)]
        if stage == "not_started":
            continue
        assessment = services.start_assessment(window, school)
        day = opens + dt.timedelta(days=rng.randint(1, 14))
        _fill(assessment, rng, good=rng.random() < 0.7, day=day)
        if stage == "draft":
            continue
        _walk(assessment, school, "sent" if stage == "recognised" else stage, day)
        if stage == "recognised":
            assessment.refresh_from_db()
            _recognise(assessment, levels["muc1"], today - dt.timedelta(days=1), 500 + n)


def clear_standards_data() -> None:
    """Delete every window, assessment, plan and profile, evidence files included (the
    frameworks stay: they are the platform's reference data)."""
    for evidence in Evidence.objects.all():
        evidence.file.delete(save=False)
    PlanAction.objects.all().delete()
    DevelopmentPlan.objects.all().delete()
    Recognition.objects.all().delete()
    Evidence.objects.all().delete()
    AssessmentValue.objects.all().delete()
    Assessment.objects.all().delete()
    AssessmentWindow.objects.all().delete()
    LibraryProfile.objects.all().delete()
