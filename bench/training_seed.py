"""A self-training campaign on the seeded benchmark province (`seed_demo --schools 2000`), for the
benchmarks of the training screens (the department dashboard, an office's aggregate report, a
reminder run) to share.

`seed_training_campaign()` issues a published campaign of the department to librarians and
teacher-librarians with at least `MIN_ENROLMENTS` records (adding teacher-librarians to schools
when the province has too few), and puts the records at varied stages in bulk: not started,
topic chosen, submitted on time, late, returned, evaluated on every grade, personal extensions;
a third of the schools have everyone evaluated and their package sent (on time, late, accepted,
one returned); a quarter of the offices have submitted their aggregate report. The deadlines sit
around today, so "missing" and "late" mean something on the day it runs.

Idempotent: a campaign with `SYMBOL` issued by the department is returned as it is.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from thuvien.organisations.models import Membership, Role, Unit, UnitKind, current_school_year
from thuvien.training import services
from thuvien.training.models import (
    Campaign,
    Enrolment,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)

SYMBOL = "SGDĐT-BENCH"
MIN_ENROLMENTS = 4000
TARGET_ENROLMENTS = 4200  # a margin above the minimum
TOPICS = (
    "Thư viện mở",
    "Thư viện xanh",
    "Xã hội hóa nguồn lực thư viện",
    "Hoạt động thư viện hiệu quả",
    "Thu hút bạn đọc",
)
GRADES = (("good", True), ("fair", True), ("fair", True), ("pass", True), ("fail", False))
BATCH = 500


def seed_training_campaign(today: dt.date | None = None) -> Campaign:
    """The benchmark campaign (see the module docstring); created once, then reused."""
    today = today or timezone.localdate()
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    existing = Campaign.objects.filter(issuer=department, symbol=SYMBOL).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        admin = Membership.objects.filter(unit=department, role=Role.DEPARTMENT_ADMIN).first()
        by = admin.user if admin else None
        _add_staff(today)
        campaign = _campaign(department, by, today)
        services.publish_campaign(campaign, by=by, on=today - dt.timedelta(days=120))
        records = list(
            Enrolment.objects.filter(campaign=campaign).select_related("school").order_by("pk")
        )
        assert len(records) >= MIN_ENROLMENTS, len(records)
        package_schools = _stages(campaign, records, today)
        _packages(campaign, records, package_schools, today, by)
        _office_reports(campaign, department, today, by)
    return campaign


def _campaign(department: Unit, by: Any, today: dt.date) -> Campaign:
    campaign = services.create_campaign(
        department,
        by=by,
        number=9999,
        symbol=SYMBOL,
        subject="Tự bồi dưỡng chuyên môn nghiệp vụ thư viện (benchmark)",
        school_year=current_school_year(today),
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        school_deadline=today - dt.timedelta(days=5),
        office_deadline=today + dt.timedelta(days=10),
    )
    for title in TOPICS:
        services.add_topic(campaign, title=title)
    return campaign


def _add_staff(today: dt.date) -> None:
    """Teacher-librarians at schools in turn until the province has enough people to train."""
    roles = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN)
    have = Membership.objects.current(today).filter(role__in=roles, unit__is_active=True)
    missing = TARGET_ENROLMENTS - have.values("user_id").distinct().count()
    if missing <= 0:
        return
    schools = list(Unit.objects.schools().active().order_by("pk"))
    password = make_password("bench-not-a-login")
    since = today - dt.timedelta(days=400)
    user_model = get_user_model()
    users = [
        user_model(
            username=f"bench_gvtv_{n:05d}",
            email=f"bench_gvtv_{n:05d}@bench.invalid",
            full_name=f"Giáo viên kiêm nhiệm {n:05d}",
            password=password,
        )
        for n in range(missing)
    ]
    user_model.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(
        (
            Membership(user=user, unit=school, role=Role.TEACHER_LIBRARIAN, valid_from=since)
            for user, school in zip(users, itertools.cycle(schools), strict=False)
        ),
        batch_size=BATCH,
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _evaluate(record: Enrolment, n: int, day: dt.date) -> None:
    grade, passed = GRADES[n % len(GRADES)]
    record.report_status, record.grade, record.passed = ReportStatus.EVALUATED, grade, passed
    record.evaluated_at = _at(day, 15)


def _stages(campaign: Campaign, records: list[Enrolment], today: dt.date) -> set[int]:
    """Set every record's stage in memory, then write them in bulk; returns the schools whose
    people are all evaluated (every third school), which send their package."""
    deadline = campaign.school_deadline
    assert deadline is not None
    topics = list(campaign.topics.order_by("order"))
    school_ids = sorted({record.school_id for record in records})
    package_schools = set(school_ids[::3])
    for n, record in enumerate(records):
        stage = n % 10
        if record.school_id in package_schools:
            stage = 7
        if stage >= 1:
            record.topic = topics[n % len(topics)]
        if stage in (3, 4, 7, 8, 9):  # on time
            record.submitted_at = _at(deadline - dt.timedelta(days=1 + n % 20), 16)
        elif stage == 5:  # late
            record.submitted_at = _at(deadline + dt.timedelta(days=1 + n % 4), 16)
        if stage == 2:
            record.report_status = ReportStatus.DRAFT
        elif stage in (3, 4, 5):
            record.report_status = ReportStatus.SUBMITTED
        elif stage in (7, 8):
            _evaluate(record, n, deadline)
        elif stage == 9:
            record.report_status = ReportStatus.RETURNED
            record.return_comment = "Bổ sung phần liên hệ thực tế."
        if stage == 0 and n % 20 == 0:  # extended beyond today: not missing yet
            record.extended_until = today + dt.timedelta(days=7)
            record.extension_reason = "Nghỉ ốm"
    fields = [
        "topic", "submitted_at", "report_status", "grade", "passed", "evaluated_at",
        "return_comment", "extended_until", "extension_reason",
    ]  # fmt: skip
    Enrolment.objects.bulk_update(records, fields, batch_size=BATCH)
    return package_schools


def _packages(
    campaign: Campaign, records: list[Enrolment], schools: set[int], today: dt.date, by: Any
) -> None:
    """Packages of the all-evaluated schools, sent to their supervisor of today."""
    deadline = campaign.school_deadline
    assert deadline is not None
    units = {record.school_id: record.school for record in records}
    packages = []
    for n, school_id in enumerate(sorted(schools)):
        late = n % 5 == 4
        sent = _at(deadline + dt.timedelta(days=2) if late else deadline - dt.timedelta(days=1))
        status = PackageStatus.ACCEPTED if n % 3 == 0 else PackageStatus.SUBMITTED
        if n == 1:
            status = PackageStatus.RETURNED
        packages.append(
            SchoolPackage(
                campaign=campaign,
                school_id=school_id,
                summary="Hoàn thành đánh giá bài thu hoạch.",
                status=status,
                submitted_at=sent,
                submitted_by=by,
                submitted_to_id=units[school_id].parent_id,
                return_comment="Thiếu nhận xét chung." if n == 1 else "",
            )
        )
    SchoolPackage.objects.bulk_create(packages, batch_size=BATCH)


def _office_reports(campaign: Campaign, department: Unit, today: dt.date, by: Any) -> None:
    offices = Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True).order_by("pk")
    UnitReport.objects.bulk_create(
        UnitReport(
            campaign=campaign,
            unit=office,
            results="Các trường đã hoàn thành kế hoạch tự bồi dưỡng.",
            status=UnitReportStatus.SUBMITTED,
            submitted_at=_at(today - dt.timedelta(days=1)),
            submitted_by=by,
            submitted_to=department,
        )
        for office in offices[::4]
    )
