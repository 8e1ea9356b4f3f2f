"""One person's record played through the training use cases, on days the caller chooses.

Every step is the service a person or a principal would use, dated with its `on=`/`at=` parameter,
so the records, their report versions and the audit rows read like a campaign that ran. Study
notes are the one exception to the chosen days: the service refuses a note dated after the real
today, so a demo seeded for a later day skips the notes it cannot date.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thuvien.organisations.models import Membership, Role, Unit
from thuvien.training import services
from thuvien.training.demo.campaign import DAY, Timeline
from thuvien.training.models import Campaign, Enrolment, Topic
from thuvien.training.services import plans

NOTES = (
    "Đọc phần chung: vai trò của thư viện trong đổi mới giáo dục phổ thông",
    "Ghi chép các tiêu chuẩn thư viện trường học theo Thông tư 16/2022/TT-BGDĐT",
    "Tìm hiểu mô hình thư viện mở, thư viện xanh ở các trường bạn",
    "Trao đổi với tổ chuyên môn về tiết đọc thư viện cho học sinh",
    "Lập dàn ý bài thu hoạch theo chủ đề đã chọn",
)
PLAN = (
    "Đọc tài liệu phần chung, ghi chép những điểm mới",
    "Nghiên cứu tài liệu của chủ đề tự chọn",
    "Đọc hướng dẫn của Sở, lập dàn ý bài thu hoạch",
    "Viết bài thu hoạch, xin góp ý của tổ chuyên môn",
    "Hoàn chỉnh và nộp bài thu hoạch",
)
GRADES = ("good", "good", "fair", "fair", "pass")
PRAISE = {
    "good": "Bài viết công phu, liên hệ tốt với thực tế thư viện nhà trường.",
    "fair": "Bài viết đạt yêu cầu; cần nêu cụ thể hơn các giải pháp.",
    "pass": "Đạt yêu cầu; phần liên hệ thực tế còn ít.",
}
RETURN_COMMENT = (
    "Bài thu hoạch còn sơ sài; đề nghị bổ sung phần liên hệ thực tế thư viện của trường và nộp lại."
)
EXTENSION_REASON = "Nghỉ ốm có giấy xác nhận của cơ sở y tế."


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def pick(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A day in [lo, hi] (`lo` when the window is empty)."""
    return lo + DAY * rng.randint(0, max(0, (hi - lo).days))


def member(unit: Unit, role: str, on: dt.date) -> Any:
    """The first person holding `role` in `unit` on `on`, or None."""
    row = (
        Membership.objects.current(on)
        .filter(unit=unit, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def records_by_school(campaign: Campaign) -> dict[Unit, list[Enrolment]]:
    """The campaign's current records by school, ordered by names, not ids: one seed, one demo."""
    by_school: dict[Unit, list[Enrolment]] = {}
    records = (
        Enrolment.objects.filter(campaign=campaign, left_on=None)
        .select_related("school__parent", "campaign", "user")
        .order_by("school__name", "user__username")
    )
    for record in records:
        by_school.setdefault(record.school, []).append(record)
    return by_school


class Player:
    """Plays records of one campaign: topic and notes, a draft, the report, the principal's
    review. Each method takes the day of its step and returns it."""

    def __init__(
        self, campaign: Campaign, timeline: Timeline, rng: random.Random, admin: Any
    ) -> None:
        self.campaign, self.timeline, self.rng, self.admin = campaign, timeline, rng, admin
        self.topics = list(campaign.topics.order_by("order"))
        self.materials = list(campaign.materials.order_by("order"))
        self.milestones = list(campaign.milestones.order_by("order"))
        self.chosen: dict[int, Topic] = {}

    def principal(self, record: Enrolment, on: dt.date) -> Any:
        return member(record.school, Role.PRINCIPAL, on) or self.admin

    def start(self, record: Enrolment, until: dt.date) -> dt.date:
        """Choose a topic before the lock, take one to three notes up to `until`."""
        rng, timeline = self.rng, self.timeline
        chosen = pick(rng, timeline.published + DAY, timeline.lock - DAY)
        topic = self.chosen[record.pk] = rng.choice(self.topics)
        services.choose_topic(record, topic, on=chosen)
        for _ in range(rng.randint(1, 3)):
            day = pick(rng, chosen, until)
            content, material = rng.choice(NOTES), rng.choice(self.materials)
            hours = Decimal(rng.choice((1, 2, 3)))
            if day <= timezone.localdate():  # the service refuses later days
                services.add_study_note(
                    record, date=day, content=content, hours=hours, material=material, topic=topic
                )
        return chosen

    def plan(self, record: Enrolment) -> None:
        """The person's own plan: one entry for each milestone."""
        for milestone, what in zip(self.milestones, PLAN, strict=True):
            plans.add_plan_entry(
                record, what=what, start=milestone.start, end=milestone.end, milestone=milestone
            )

    def body(self, record: Enrolment, *, full: bool) -> str:
        title = self.chosen[record.pk].title
        text = (
            f"BÀI THU HOẠCH TỰ BỒI DƯỠNG: {title.upper()}\n\n"
            f"I. Lý do chọn chủ đề “{title}”.\n\nII. Nội dung đã tự bồi dưỡng…"
        )
        if full:
            text += (
                "\n\nIII. Liên hệ thực tế thư viện của trường: sắp xếp lại kho mở, tổ chức "
                "tiết đọc, giới thiệu sách mới hằng tháng.\n\nIV. Đề xuất, kiến nghị."
            )
        return text

    def draft(self, record: Enrolment, day: dt.date) -> dt.date:
        services.save_report_version(record, body=self.body(record, full=False), at=at(day, 20))
        return day

    def submit(self, record: Enrolment, day: dt.date) -> dt.date:
        """Draft during the writing month (or the day before), then submit on `day`."""
        writing = self.timeline.writing
        self.draft(record, pick(self.rng, writing[0], min(writing[1], day - DAY)))
        hour = self.rng.choice((10, 15, 16, 21))
        services.submit_report_text(record, body=self.body(record, full=True), at=at(day, hour))
        return day

    def evaluate(self, record: Enrolment, day: dt.date) -> dt.date:
        grade = self.rng.choice(GRADES)
        by = self.principal(record, day)
        services.evaluate(record, by=by, grade=grade, comment=PRAISE[grade], on=at(day, 14))
        return day

    def give_back(self, record: Enrolment, day: dt.date) -> dt.date:
        services.return_report(record, by=self.principal(record, day), comment=RETURN_COMMENT)
        return day

    def extend(self, record: Enrolment, until: dt.date, day: dt.date) -> None:
        by = self.principal(record, day)
        services.grant_extension(record, until=until, reason=EXTENSION_REASON, by=by)

    def evaluated(self, record: Enrolment, submitted: dt.date, *, until: dt.date) -> dt.date:
        """Start, submit on `submitted`, evaluated one to three days later (by `until`)."""
        self.start(record, until=submitted)
        self.submit(record, submitted)
        return self.evaluate(
            record, pick(self.rng, submitted + DAY, min(until, submitted + 3 * DAY))
        )
