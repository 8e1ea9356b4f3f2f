"""The report guidance, published after the campaign (the letter's "month 3"), is announced to the
people currently enrolled: once per publication; an edited guidance is announced again, the same
text published twice (a double click) is not."""

import datetime as dt

import pytest

from tests.training.conftest import at
from thuvien.notifications.models import Notification
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Membership, Role
from thuvien.training import services
from thuvien.training.models import Enrolment

GUIDANCE = "Bài thu hoạch 5–7 trang, có phần liên hệ thực tế."
EVERYONE = ["gvkiemnhiem", "ngoai", "thuvien", "thuvien_thpt"]


@pytest.fixture(autouse=True)
def _notifications_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def notices(campaign):
    return Notification.objects.filter(
        key__startswith=f"training:{campaign.pk}:", kind="training.guidance"
    ).order_by("recipient__username", "pk")


def test_publishing_the_guidance_tells_each_enrolled_person(world, published):
    services.publish_report_guidance(
        published, text=GUIDANCE, by=world.dept_admin, on=at(2026, 2, 15)
    )
    rows = notices(published)
    assert [row.recipient.username for row in rows] == EVERYONE
    mine = rows.get(recipient=world.librarian)
    record = Enrolment.objects.get(campaign=published, user=world.librarian)
    assert mine.url == f"/training/records/{record.pk}/"
    assert mine.subject == f"The report guidance of “{published.subject}” is published"
    assert len({row.key for row in rows}) == 1


def test_a_double_click_tells_nobody_twice_and_keeps_the_first_time(world, published):
    services.publish_report_guidance(
        published, text=GUIDANCE, by=world.dept_admin, on=at(2026, 2, 15)
    )
    services.publish_report_guidance(
        published, text=f"  {GUIDANCE} ", by=world.dept_admin, on=at(2026, 2, 15, 10)
    )
    published.refresh_from_db()
    assert published.guidance_published_at == at(2026, 2, 15)
    assert notices(published).count() == len(EVERYONE)
    assert published.history.filter(guidance_published_at__isnull=False).count() == 1


def test_an_edited_guidance_is_announced_again(world, published):
    services.publish_report_guidance(
        published, text=GUIDANCE, by=world.dept_admin, on=at(2026, 2, 15)
    )
    services.publish_report_guidance(
        published, text="Bản sửa: 4–6 trang.", by=world.dept_admin, on=at(2026, 2, 20)
    )
    published.refresh_from_db()
    assert (published.report_guidance, published.guidance_published_at) == (
        "Bản sửa: 4–6 trang.",
        at(2026, 2, 20),
    )
    rows = notices(published).filter(recipient=world.librarian)
    assert rows.count() == 2 and len({row.key for row in rows}) == 2


def test_people_who_left_are_not_told(world, published):
    membership = Membership.objects.get(user=world.teacher_librarian, role=Role.TEACHER_LIBRARIAN)
    organisations.end_membership(membership, on=dt.date(2026, 1, 31))
    services.sync_enrolments(published, on=dt.date(2026, 2, 1))
    services.publish_report_guidance(
        published, text=GUIDANCE, by=world.dept_admin, on=at(2026, 2, 15)
    )
    assert [row.recipient.username for row in notices(published)] == [
        "ngoai",
        "thuvien",
        "thuvien_thpt",
    ]


def test_refused_guidance_tells_nobody(world, published):
    with pytest.raises(services.TrainingError, match="guidance"):
        services.publish_report_guidance(published, text="  ", by=world.dept_admin)
    services.close_campaign(published, by=world.dept_admin)
    with pytest.raises(services.TrainingError, match="guidance"):
        services.publish_report_guidance(published, text=GUIDANCE, by=world.dept_admin)
    assert not notices(published).exists()
