"""A campaign modelled on the Bến Tre letter 2458/SGD&ĐT-KHTC (04/12/2017), moved to 2025–2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from thuvien.organisations.models import Role, Unit
from thuvien.training import services
from thuvien.training.models import Campaign, Enrolment

D = dt.date
PUBLISHED_ON = D(2025, 12, 4)
TOPICS = (
    "Thư viện mở",
    "Thư viện xanh",
    "Xã hội hóa nguồn lực thư viện",
    "Hoạt động thư viện hiệu quả",
    "Thu hút bạn đọc",
)
# Five monthly milestones; month 2 (the optional part) locks the topic choice when it starts.
MILESTONES = (
    ("Nghiên cứu nội dung phần chung", D(2025, 12, 15), D(2026, 1, 14), False),
    ("Nghiên cứu nội dung tự chọn", D(2026, 1, 15), D(2026, 2, 14), True),
    ("Hướng dẫn viết bài thu hoạch", D(2026, 2, 15), D(2026, 3, 14), False),
    ("Viết bài thu hoạch", D(2026, 3, 15), D(2026, 3, 31), False),
    ("Nộp bài thu hoạch", D(2026, 4, 1), D(2026, 4, 10), False),
)
LOCK_DAY = D(2026, 1, 15)


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def make_campaign(world: Any, issuer: Unit | None = None, **fields: Any) -> Campaign:
    issuer = issuer or world.department
    values: dict[str, Any] = {
        "number": 2458,
        "symbol": "SGDĐT-KHTC",
        "place": "Bến Tre",
        "subject": "V/v hướng dẫn công tác tự bồi dưỡng chuyên môn nghiệp vụ cho nhân viên, "
        "giáo viên kiêm nhiệm thư viện trường học",
        "basis": "Thông tư 01/2003/TT-BVHTT\nKế hoạch năm học 2025–2026",
        "recipients": "Phòng GD&ĐT các huyện, thành phố\nCác đơn vị trực thuộc Sở",
        "purpose": "Ôn tập, cập nhật kiến thức chuyên môn; phát triển năng lực tự học.",
        "school_year": 2025,
        "roles": [Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        "school_deadline": D(2026, 4, 10),
        "office_deadline": D(2026, 4, 20),
        **fields,
    }
    campaign = services.create_campaign(issuer, by=world.dept_admin, **values)
    for title in TOPICS:
        services.add_topic(campaign, title=title)
    for name, start, end, locks in MILESTONES:
        services.add_milestone(campaign, name=name, start=start, end=end, locks_topic_choice=locks)
    services.add_material(
        campaign,
        title="Tài liệu bồi dưỡng nghiệp vụ thư viện trường học",
        author="Bộ GD&ĐT",
        publisher="NXB Giáo dục Việt Nam",
        year=2017,
    )
    return campaign


@pytest.fixture
def campaign(world: Any) -> Campaign:
    return make_campaign(world)


@pytest.fixture
def published(world: Any, campaign: Campaign) -> Campaign:
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def record(world: Any, published: Campaign) -> Enrolment:
    """The librarian of school A1's record."""
    return Enrolment.objects.get(campaign=published, user=world.librarian)


def enrolled_users(campaign: Campaign) -> set[Any]:
    return {row.user for row in Enrolment.objects.filter(campaign=campaign).select_related("user")}


@pytest.fixture(autouse=True)
def _rules_in_english():
    """These tests check the rules, by the English message ids; the Vietnamese wording is
    checked once in test_messages.py."""
    with translation.override("en"):
        yield
