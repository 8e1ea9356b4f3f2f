"""Choosing a topic: locked when the optional part starts, reopened by the principal; people
enrolled once it has started make their first choice freely."""

import pytest

from tests.training.conftest import LOCK_DAY, D, make_campaign
from thuvien.core.testing import make_user
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import Enrolment, OwnTopicStatus


def topic(campaign, title="Thư viện xanh"):
    return campaign.topics.get(title=title)


def test_choose_a_topic_before_the_optional_part(record):
    services.choose_topic(record, topic(record.campaign), on=D(2026, 1, 14))
    record.refresh_from_db()
    assert record.topic.title == "Thư viện xanh"
    services.choose_topic(record, topic(record.campaign, "Thu hút bạn đọc"), on=D(2026, 1, 14))
    record.refresh_from_db()
    assert record.topic.title == "Thu hút bạn đọc"


def test_topic_choice_is_locked_once_the_milestone_starts(record):
    with pytest.raises(services.TrainingError, match="15/01/2026"):
        services.choose_topic(record, topic(record.campaign), on=LOCK_DAY)
    record.refresh_from_db()
    assert record.topic is None


def test_the_principal_reopens_the_choice_once(world, record):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, topic(record.campaign), on=D(2026, 2, 1))
    record.refresh_from_db()
    assert (record.topic.title, record.topic_reopened) == ("Thư viện xanh", False)
    with pytest.raises(services.TrainingError, match="reopen"):
        services.choose_topic(record, topic(record.campaign, "Thư viện mở"), on=D(2026, 2, 2))
    assert record.history.filter(history_user=world.principal, topic_reopened=True).exists()


def test_a_topic_of_another_campaign_is_refused(world, record):
    other = make_campaign(world, issuer=world.office)
    with pytest.raises(services.TrainingError, match="another campaign"):
        services.choose_topic(record, topic(other), on=D(2026, 1, 1))


def test_exactly_one_kind_of_topic(record):
    with pytest.raises(services.TrainingError, match="Choose one topic"):
        services.choose_topic(record, on=D(2026, 1, 1))
    with pytest.raises(services.TrainingError, match="Choose one topic"):
        services.choose_topic(
            record, topic(record.campaign), own_topic="Thư viện số", on=D(2026, 1, 1)
        )


def test_own_topic_refused_unless_allowed(record):
    with pytest.raises(services.TrainingError, match="own"):
        services.choose_topic(record, own_topic="Thư viện số", on=D(2026, 1, 1))


def test_own_topic_waits_for_the_principal(world):
    from thuvien.training.services import publish_campaign

    campaign = make_campaign(world, allow_own_topic=True)
    publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.choose_topic(record, own_topic=" Thư viện số ", on=D(2026, 1, 1))
    record.refresh_from_db()
    assert (record.own_topic, record.own_topic_status) == ("Thư viện số", OwnTopicStatus.PENDING)
    with pytest.raises(services.TrainingError, match="Choose a topic"):
        services.submit_report(record)
    services.approve_own_topic(record, by=world.principal)
    record.refresh_from_db()
    assert record.own_topic_status == OwnTopicStatus.APPROVED
    with pytest.raises(services.TrainingError, match="waiting"):
        services.approve_own_topic(record, by=world.principal)
    services.submit_report(record)


def test_rejected_own_topic(world):
    campaign = make_campaign(world, allow_own_topic=True)
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.choose_topic(record, own_topic="Thư viện số", on=D(2026, 1, 1))
    services.approve_own_topic(record, by=world.principal, approve=False)
    record.refresh_from_db()
    assert record.own_topic_status == OwnTopicStatus.REJECTED


def test_no_topic_change_after_submitting(record):
    services.choose_topic(record, topic(record.campaign), on=D(2026, 1, 1))
    services.submit_report(record)
    services.reopen_topic_choice(record, by=None)
    with pytest.raises(services.TrainingError, match="submitted"):
        services.choose_topic(record, topic(record.campaign, "Thư viện mở"), on=D(2026, 4, 1))


# --- People enrolled after the optional part started ---------------------------------------------


def newcomer_record(world, campaign, appointed_on, username="thuvien_moi"):
    person = make_user(username, "Lý Thị Mới")
    organisations.add_membership(person, world.school_a2, Role.LIBRARIAN, valid_from=appointed_on)
    services.sync_enrolments(campaign, on=appointed_on)
    return Enrolment.objects.get(campaign=campaign, user=person)


@pytest.mark.parametrize("appointed_on", [LOCK_DAY, D(2026, 2, 20)])
def test_a_person_enrolled_after_the_lock_makes_a_first_choice_without_reopening(
    world, published, appointed_on
):
    record = newcomer_record(world, published, appointed_on)
    assert record.enrolled_on == appointed_on
    services.choose_topic(record, topic(published), on=D(2026, 2, 25))
    record.refresh_from_db()
    assert (record.topic.title, record.topic_reopened) == ("Thư viện xanh", False)
    with pytest.raises(services.TrainingError, match="reopen"):  # only the FIRST choice
        services.choose_topic(record, topic(published, "Thư viện mở"), on=D(2026, 2, 26))
    record.refresh_from_db()
    assert record.topic.title == "Thư viện xanh"


def test_a_newcomers_own_topic_is_their_first_choice(world):
    campaign = make_campaign(world, allow_own_topic=True)
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    record = newcomer_record(world, campaign, D(2026, 2, 1))
    services.choose_topic(record, own_topic="Thư viện số", on=D(2026, 2, 2))
    record.refresh_from_db()
    assert (record.own_topic, record.own_topic_status) == ("Thư viện số", OwnTopicStatus.PENDING)
    with pytest.raises(services.TrainingError, match="reopen"):
        services.choose_topic(record, topic(campaign), on=D(2026, 2, 3))


def test_a_person_enrolled_before_the_lock_still_needs_the_principal(world, published):
    record = newcomer_record(world, published, D(2026, 1, 14))  # the day before it locks
    with pytest.raises(services.TrainingError, match="15/01/2026"):
        services.choose_topic(record, topic(published), on=D(2026, 1, 20))
    services.reopen_topic_choice(record, by=world.principal_a2)
    services.choose_topic(record, topic(published), on=D(2026, 1, 20))
    record.refresh_from_db()
    assert (record.topic.title, record.topic_reopened) == ("Thư viện xanh", False)
