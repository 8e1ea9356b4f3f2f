"""The training workflow tells people: a returned or evaluated report, an extension, a returned
school package (to the principal). Nothing is told when the change fails."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.training.conftest import PUBLISHED_ON, at, make_campaign
from thuvien.notifications.models import Notification
from thuvien.training import services
from thuvien.training.models import Enrolment, SchoolPackage


@pytest.fixture(autouse=True)
def _notifications_in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def submitted(world):
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    enrolment = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.choose_topic(enrolment, campaign.topics.first(), on=dt.date(2026, 1, 2))
    return services.submit_report(enrolment, on=at(2026, 4, 2))


def told(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_a_returned_report_tells_the_person_what_to_revise(world, submitted):
    services.return_report(submitted, by=world.principal, comment="Bổ sung phần kết luận")
    [notice] = told(world.librarian, "training.report_returned")
    assert notice.subject == "Your self-training report was returned for revision"
    assert "Bổ sung phần kết luận" in notice.body
    assert notice.url == f"/training/records/{submitted.pk}/"
    assert told(world.teacher_librarian, "training.report_returned") == []


def test_a_refused_return_tells_nobody(world, submitted):
    with pytest.raises(services.TrainingError):
        services.return_report(submitted, by=world.principal, comment=" ")
    assert told(world.librarian, "training.report_returned") == []


def test_an_evaluation_tells_the_grade(world, submitted):
    services.evaluate(submitted, by=world.principal, grade="good", comment="Bài viết tốt")
    [notice] = told(world.librarian, "training.report_evaluated")
    assert notice.subject == "Your self-training report was evaluated: Good"
    assert notice.body == "Comment of your principal: Bài viết tốt"


def test_an_extension_tells_the_new_deadline(world, submitted):
    teacher = Enrolment.objects.get(campaign=submitted.campaign, user=world.teacher_librarian)
    services.grant_extension(teacher, until=dt.date(2026, 4, 30), reason="Ốm", by=world.principal)
    [notice] = told(world.teacher_librarian, "training.extension")
    assert notice.subject == "Your self-training report is now due on 30/04/2026"
    assert "Ốm" in notice.body


def test_a_returned_package_tells_the_schools_principal(world, submitted):
    campaign = submitted.campaign
    services.evaluate(submitted, by=world.principal, grade="good")
    teacher = Enrolment.objects.get(campaign=campaign, user=world.teacher_librarian)
    services.choose_topic(teacher, campaign.topics.first(), on=dt.date(2026, 1, 2))
    services.submit_report(teacher, on=at(2026, 4, 2))
    services.evaluate(teacher, by=world.principal, grade="fair")
    services.submit_school_package(
        campaign, world.school, by=world.principal, summary="Xong", on=at(2026, 4, 9)
    )
    package = SchoolPackage.objects.get(campaign=campaign, school=world.school)
    services.return_school_package(package, by=world.office_officer, comment="Thiếu tóm tắt")
    [notice] = told(world.principal, "training.package_returned")
    assert "Thiếu tóm tắt" in notice.body
    assert notice.url == f"/training/school/{campaign.pk}/"
    assert told(world.principal_a2, "training.package_returned") == []
