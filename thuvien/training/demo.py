"""Self-training campaigns of the demo province, played through the real use cases.

`seed_training` issues, for the current school year, a department campaign modelled on the Bến Tre
letter 2458/SGD&ĐT-KHTC (five topics, five monthly milestones from December to April, month 2
locking the topic choice) and moves its people through the stages a real campaign would have
reached on `today`: only actions dated on or before `today` happen, so a date early in the year
gives fewer stages. One school under an office sends its package; the office accepts it and sends
its aggregate report to the department. The previous school year's campaign is played to the end
and closed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thuvien.organisations.demo.names import PROVINCE
from thuvien.organisations.models import Membership, Role, Unit, UnitKind, current_school_year
from thuvien.training import services
from thuvien.training.models import (
    Campaign,
    Enrolment,
    Material,
    Milestone,
    ReportVersion,
    ScaleLevel,
    SchoolPackage,
    StudyNote,
    Topic,
    UnitReport,
)
from thuvien.training.services import reports

D = dt.date
SUBJECT = (
    "Hướng dẫn công tác tự bồi dưỡng chuyên môn nghiệp vụ cho nhân viên, "
    "giáo viên kiêm nhiệm thư viện trường học"
)
TOPICS = (
    "Thư viện mở",
    "Thư viện xanh",
    "Xã hội hóa nguồn lực thư viện",
    "Hoạt động thư viện hiệu quả",
    "Thu hút bạn đọc",
)
# (name, (month, day) start, (month, day) end, locks the topic choice); December is in the
# school year's first calendar year, January–April in the next.
MILESTONES = (
    ("Nghiên cứu nội dung phần chung", (12, 15), (1, 14), False),
    ("Nghiên cứu nội dung tự chọn", (1, 15), (2, 14), True),
    ("Hướng dẫn viết bài thu hoạch", (2, 15), (3, 14), False),
    ("Viết bài thu hoạch", (3, 15), (3, 31), False),
    ("Nộp bài thu hoạch", (4, 1), (4, 10), False),
)
MATERIALS = (
    ("Tài liệu bồi dưỡng nghiệp vụ thư viện trường học", "Bộ Giáo dục và Đào tạo", 2017),
    ("Hướng dẫn tổ chức hoạt động thư viện trường phổ thông", "Vụ Giáo dục Trung học", 2019),
    ("Thư viện thân thiện trong nhà trường", "Bộ Giáo dục và Đào tạo", 2021),
)
PUBLISHER = "NXB Giáo dục Việt Nam"
NOTES = (
    "Đọc phần chung: vai trò của thư viện trong đổi mới giáo dục",
    "Ghi chép các tiêu chuẩn thư viện trường học theo Thông tư 16/2022/TT-BGDĐT",
    "Tìm hiểu mô hình thư viện mở, thư viện xanh ở các trường bạn",
    "Lập dàn ý bài thu hoạch theo chủ đề đã chọn",
)
RETURN_COMMENT = "Bài thu hoạch còn sơ sài; bổ sung phần liên hệ thực tế thư viện của trường."
NOT_STARTED, TOPIC, DRAFT, SUBMITTED, RETURNED, EVALUATED = range(6)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _pick(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date | None:
    """A day in [lo, hi], or None when the window is empty (the stage is not reached yet)."""
    if hi < lo:
        return None
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _member(unit: Unit, role: str, on: dt.date) -> Any:
    row = (
        Membership.objects.current(on)
        .filter(unit=unit, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _campaign(department: Unit, admin: Any, year: int) -> Campaign:
    campaign = services.create_campaign(
        department,
        by=admin,
        number=2458,
        symbol="SGDĐT-KHTC",
        place=PROVINCE,
        subject=SUBJECT,
        basis=f"Thông tư 16/2022/TT-BGDĐT\nKế hoạch năm học {year}–{year + 1}",
        recipients="Phòng Giáo dục và Đào tạo các xã, phường\nCác đơn vị trực thuộc Sở",
        purpose="Ôn tập, cập nhật kiến thức chuyên môn; phát triển năng lực tự học.",
        school_year=year,
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        school_deadline=D(year + 1, 4, 10),
        office_deadline=D(year + 1, 4, 20),
    )
    for title in TOPICS:
        services.add_topic(campaign, title=title)
    for name, start, end, locks in MILESTONES:
        services.add_milestone(
            campaign,
            name=name,
            start=D(year if start[0] >= 8 else year + 1, *start),
            end=D(year if end[0] >= 8 else year + 1, *end),
            locks_topic_choice=locks,
        )
    for title, author, published in MATERIALS:
        services.add_material(
            campaign, title=title, author=author, publisher=PUBLISHER, year=published
        )
    return campaign


class _Player:
    """Moves one campaign's records towards their target stages, never past `today`."""

    def __init__(self, campaign: Campaign, rng: random.Random, today: dt.date, admin: Any):
        self.campaign, self.rng, self.today, self.admin = campaign, rng, today, admin
        self.year = campaign.school_year
        self.lock = campaign.topic_lock_date() or D(self.year + 1, 1, 15)
        self.topics = list(Topic.objects.filter(campaign=campaign).order_by("order"))
        self.materials = list(campaign.materials.order_by("order"))
        # add_study_note refuses days after the real today, whatever the demo's `today` is.
        self.notes_until = min(today, timezone.localdate())

    def reviewer(self, record: Enrolment, on: dt.date) -> Any:
        return _member(record.school, Role.PRINCIPAL, on) or self.admin

    def play(self, record: Enrolment, stage: int, *, late: bool = False) -> dt.date | None:
        """Play `record` up to `stage`; returns the day of its last action (None: nothing)."""
        rng, year, start = self.rng, self.year, record.enrolled_on
        if stage < TOPIC:
            return None
        chosen = _pick(rng, start, min(self.lock - dt.timedelta(days=1), self.today))
        if chosen is None:
            return None
        topic = rng.choice(self.topics)
        services.choose_topic(record, topic, on=chosen)
        last = chosen
        for _ in range(rng.randint(1, 3)):
            day = _pick(rng, chosen, self.notes_until)
            if day is not None:
                services.add_study_note(
                    record,
                    date=day,
                    content=rng.choice(NOTES),
                    hours=Decimal(rng.choice((1, 2, 3))),
                    material=rng.choice(self.materials),
                    topic=topic,
                )
        if stage < DRAFT:
            return last
        # Those who go on to submit drafted during month 3, so month 4 is left for submitting.
        until = D(year + 1, 3, 14) if stage >= SUBMITTED else D(year + 1, 3, 31)
        drafted = _pick(rng, max(D(year + 1, 2, 15), chosen), min(self.today, until))
        if drafted is None:
            return last
        body = f"Bài thu hoạch: {topic.title}\n\nPhần mở đầu…"
        services.save_report_version(record, body=body, at=_at(drafted, 20))
        last = drafted
        if stage < SUBMITTED:
            return last
        reviewed = stage >= RETURNED
        lo = max(D(year + 1, 3, 15), drafted + dt.timedelta(days=1))
        hi = D(year + 1, 4, 15) if late else D(year + 1, 4, 10)
        if late:
            lo = D(year + 1, 4, 11)
        # Leave a day for the principal's review when there is to be one.
        submitted = _pick(rng, lo, min(hi, self.today - dt.timedelta(days=int(reviewed))))
        if submitted is None:
            return last
        body += "\n\nNội dung chính và liên hệ thực tế thư viện của trường."
        services.submit_report_text(record, body=body, at=_at(submitted, 16))
        last = submitted
        if not reviewed:
            return last
        day = _pick(
            rng,
            submitted + dt.timedelta(days=1),
            min(self.today, submitted + dt.timedelta(days=5)),
        )
        assert day is not None  # the window above left a day
        by = self.reviewer(record, day)
        if stage == RETURNED:
            services.return_report(record, by=by, comment=RETURN_COMMENT)
        else:
            grade = rng.choice(("good", "good", "fair", "fair", "pass"))
            services.evaluate(record, by=by, grade=grade, comment="Đạt yêu cầu.", on=_at(day, 10))
        return day


def _records(campaign: Campaign) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(campaign=campaign, left_on=None)
        .select_related("school", "campaign")
        .order_by("school__name", "user__username")  # not by ids: the same for the same seed
    )


def _play_current(campaign: Campaign, player: _Player, rng: random.Random) -> None:
    records = _records(campaign)
    by_school: dict[int, list[Enrolment]] = {}
    for record in records:
        by_school.setdefault(record.school_id, []).append(record)
    # One school under an office is to send its package: everyone there is evaluated.
    package_school = next(
        (
            rows
            for rows in by_school.values()
            if rows[0].school.parent is not None and rows[0].school.parent.kind == UnitKind.OFFICE
        ),
        [],
    )
    others = [r for r in records if r not in package_school]
    rng.shuffle(others)
    cycle = (NOT_STARTED, TOPIC, DRAFT, SUBMITTED, EVALUATED, TOPIC, SUBMITTED, EVALUATED)
    stages = {r.pk: cycle[i % len(cycle)] for i, r in enumerate(others)}
    if others:
        stages[others[1 % len(others)].pk] = RETURNED  # exactly one report sent back
    late = next((r.pk for r in others if stages[r.pk] == SUBMITTED), None)
    for record in others:
        player.play(record, stages[record.pk], late=record.pk == late)
    # Evaluated three days early at the latest, leaving a day to send the package, then a day for
    # the office to accept it and send its report to the department.
    early = _Player(campaign, rng, player.today - dt.timedelta(days=3), player.admin)
    days = [early.play(record, EVALUATED) for record in package_school]
    if not package_school or None in days:
        return
    last = max(day for day in days if day is not None)
    until = min(player.today - dt.timedelta(days=1), last + dt.timedelta(days=3))
    sent = _pick(rng, last + dt.timedelta(days=1), until)
    if sent is None:
        return
    school = package_school[0].school
    package = services.submit_school_package(
        campaign,
        school,
        by=player.reviewer(package_school[0], sent),
        summary=f"{school.name} gửi kết quả đánh giá bài thu hoạch của {len(days)} người.",
        on=_at(sent, 15),
    )
    _office_report(campaign, package, sent + dt.timedelta(days=1), player.admin)


def _office_report(campaign: Campaign, package: SchoolPackage, day: dt.date, admin: Any) -> None:
    """The office accepts the package it received and sends its aggregate report on `day`."""
    office = package.submitted_to
    assert office is not None  # a sent package has its route
    officer = _member(office, Role.OFFICE_OFFICER, day) or admin
    services.accept_school_package(package, by=officer)
    report = reports.prepare_unit_report(
        campaign,
        office,
        by=officer,
        number=15,
        symbol="BC-PGDĐT",
        results="Các trường đã gửi hồ sơ triển khai đúng hướng dẫn; bài thu hoạch đạt yêu cầu.",
        limitations="Một số trường chưa gửi hồ sơ; một số bài thu hoạch còn sơ sài.",
        proposals="Đề nghị Sở tổ chức tập huấn nghiệp vụ thư viện cho nhân viên mới.",
    )
    reports.submit_unit_report(report, by=officer, on=_at(day, 10))


def seed_training(today: dt.date, *, seed: int) -> None:
    """The demo's self-training campaigns (see the module docstring); deterministic in `seed`."""
    rng = random.Random(f"training-{seed}")  # noqa: S311 - demo data, not secrets
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    admin = _member(department, Role.DEPARTMENT_ADMIN, today)
    year = current_school_year(today)

    # Last school year's campaign, played to the end: everyone evaluated, then closed.
    previous = _campaign(department, admin, year - 1)
    services.publish_campaign(previous, by=admin, on=D(year - 1, 12, 4))
    past = _Player(previous, rng, D(year, 4, 30), admin)
    for record in _records(previous):
        past.play(record, EVALUATED)
    services.close_campaign(previous, by=admin)

    # This year's: published in early December (or today, when that is still to come, so the
    # demo always shows the campaign), enrolments brought in step with `today`.
    current = _campaign(department, admin, year)
    services.publish_campaign(current, by=admin, on=min(D(year, 12, 4), today))
    services.sync_enrolments(current, on=today)
    _play_current(current, _Player(current, rng, today, admin), rng)


def clear_training_data() -> None:
    """Delete every campaign and what hangs off it, with their audit rows (`seed_demo --reset`,
    development databases only): run before the units and accounts they point to go."""
    for model in (UnitReport, SchoolPackage, StudyNote, ReportVersion, Enrolment):
        model.objects.all().delete()
    for campaign_part in (Topic, Material, Milestone, ScaleLevel):
        campaign_part.objects.all().delete()
    Campaign.objects.all().delete()
    for audited in (UnitReport, SchoolPackage, StudyNote, Enrolment, Campaign):
        history = getattr(audited, "history", None)
        if history is not None:
            history.all().delete()
