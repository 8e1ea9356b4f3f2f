"""The demo's campaigns on paper: the texts of the Bến Tre letter 2458 and the two calendars.

The closed campaign of last school year keeps the letter's own calendar (published on 4 December,
five monthly milestones, the school deadline on 10 April and the office's on 20 April). The current
one is laid out backwards from the seeding day, so that `make demo` shows a campaign well under way
on any day: published about five months before, five milestones of about a month, the school
deadline a few days ago and the office deadline a few days ahead (as in the letter, ten days apart).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from thuvien.organisations.demo.names import PROVINCE
from thuvien.organisations.models import Role, Unit
from thuvien.training import services
from thuvien.training.models import Campaign

D = dt.date
DAY = dt.timedelta(days=1)
NUMBER = 2458  # the letter's number, this year; last year's letter had its own
PREVIOUS_NUMBER = 2316
SYMBOL = "SGDĐT-KHTC"
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
# (name, expected output, locks the topic choice): month 1 the common part, month 2 the optional
# part (its start locks the topic), month 3 the report guidance, month 4 writing, month 5 sending.
MILESTONES = (
    ("Nghiên cứu nội dung phần chung", "Ghi chép nội dung phần chung", False),
    ("Nghiên cứu nội dung tự chọn", "Ghi chép theo chủ đề đã chọn", True),
    ("Hướng dẫn viết bài thu hoạch", "Dàn ý bài thu hoạch", False),
    ("Viết bài thu hoạch", "Bản thảo bài thu hoạch", False),
    ("Nộp bài thu hoạch", "Bài thu hoạch nộp cho Hiệu trưởng", False),
)
# The letter's calendar, as (month, day): December is in the school year's first calendar year.
LETTER_PUBLISHED = (12, 4)
LETTER_MILESTONES = (
    ((12, 15), (1, 14)),
    ((1, 15), (2, 14)),
    ((2, 15), (3, 14)),
    ((3, 15), (3, 31)),
    ((4, 1), (4, 10)),
)
LETTER_DEADLINES = ((4, 10), (4, 20))
MATERIALS = (
    ("Tài liệu bồi dưỡng nghiệp vụ thư viện trường học", "Bộ Giáo dục và Đào tạo", 2017),
    ("Hướng dẫn tổ chức hoạt động thư viện trường phổ thông", "Vụ Giáo dục Trung học", 2019),
    ("Thư viện thân thiện trong nhà trường", "Bộ Giáo dục và Đào tạo", 2021),
)
PUBLISHER = "NXB Giáo dục Việt Nam"
GUIDANCE = (
    "Bài thu hoạch dài từ 5 đến 8 trang khổ A4, gồm: phần mở đầu (lý do chọn chủ đề); nội dung "
    "đã tự bồi dưỡng; liên hệ thực tế công tác thư viện của đơn vị; đề xuất, kiến nghị. "
    "Nộp cho Hiệu trưởng qua hệ thống trước hạn; Hiệu trưởng đánh giá theo mức Tốt, Khá, Đạt, "
    "Chưa đạt và gửi hồ sơ của trường về đơn vị quản lý."
)


@dataclass(frozen=True)
class Timeline:
    """The days a campaign is played on."""

    published: dt.date
    milestones: tuple[tuple[dt.date, dt.date], ...]  # (start, end) of the five, in order
    school_deadline: dt.date
    office_deadline: dt.date

    @property
    def lock(self) -> dt.date:
        return self.milestones[1][0]

    @property
    def guidance(self) -> dt.date:
        return self.milestones[2][0]

    @property
    def writing(self) -> tuple[dt.date, dt.date]:
        return self.milestones[3]

    @property
    def sending(self) -> tuple[dt.date, dt.date]:
        return self.milestones[4]


def letter_timeline(year: int) -> Timeline:
    """The letter's calendar for the school year starting in `year`."""

    def day(month_day: tuple[int, int]) -> dt.date:
        return D(year if month_day[0] >= 8 else year + 1, *month_day)

    school, office = LETTER_DEADLINES
    return Timeline(
        published=day(LETTER_PUBLISHED),
        milestones=tuple((day(start), day(end)) for start, end in LETTER_MILESTONES),
        school_deadline=day(school),
        office_deadline=day(office),
    )


def current_timeline(today: dt.date, *, not_before: dt.date) -> Timeline:
    """Published about five months before `today` (never before `not_before`, the end of last
    year's campaign: early in August the months are shorter), the school deadline four days ago,
    the office deadline six days ahead."""
    deadline = today - 4 * DAY
    published = max(today - 150 * DAY, not_before)
    first = published + 7 * DAY
    step = ((deadline - first).days + 1) // len(MILESTONES)
    starts = [deadline + DAY - (len(MILESTONES) - n) * step * DAY for n in range(len(MILESTONES))]
    ends = [*(start - DAY for start in starts[1:]), deadline]
    return Timeline(
        published=published,
        milestones=tuple(zip(starts, ends, strict=True)),
        school_deadline=deadline,
        office_deadline=today + 6 * DAY,
    )


def issue(department: Unit, admin: Any, year: int, timeline: Timeline, number: int) -> Campaign:
    """The department's draft campaign for the school year `year`, on `timeline`."""
    campaign = services.create_campaign(
        department,
        by=admin,
        number=number,
        symbol=SYMBOL,
        place=PROVINCE,
        subject=SUBJECT,
        basis=(
            "Thông tư số 16/2022/TT-BGDĐT ngày 22/11/2022 của Bộ Giáo dục và Đào tạo quy định "
            f"tiêu chuẩn thư viện cơ sở giáo dục\nKế hoạch năm học {year}–{year + 1} của Sở"
        ),
        recipients="Phòng Văn hóa – Xã hội các xã, phường\nCác trường trực thuộc Sở",
        purpose=(
            "Nhân viên, giáo viên kiêm nhiệm thư viện ôn tập, cập nhật kiến thức chuyên môn "
            "nghiệp vụ; phát triển năng lực tự học, tự đánh giá và tự quản lý."
        ),
        requirements=(
            "Mỗi người lập hồ sơ tự bồi dưỡng, xây dựng kế hoạch, ghi chép nội dung đã học và "
            "nộp bài thu hoạch đúng hạn."
        ),
        school_year=year,
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        school_deadline=timeline.school_deadline,
        office_deadline=timeline.office_deadline,
    )
    for title in TOPICS:
        services.add_topic(campaign, title=title)
    for (name, output, locks), (start, end) in zip(MILESTONES, timeline.milestones, strict=True):
        services.add_milestone(
            campaign,
            name=name,
            start=start,
            end=end,
            expected_output=output,
            locks_topic_choice=locks,
        )
    for title, author, published in MATERIALS:
        services.add_material(
            campaign, title=title, author=author, publisher=PUBLISHER, year=published
        )
    return campaign
