"""Issuing, editing, publishing and closing a campaign; who publishing enrols."""

import pytest

from tests.training.conftest import PUBLISHED_ON, D, enrolled_users, make_campaign
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import Campaign, CampaignStatus, Enrolment, Scale


def test_create_campaign_keeps_the_letter_as_a_draft(world, campaign):
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.reference == "2458/SGDĐT-KHTC"
    assert campaign.target == world.department
    assert campaign.roles == [Role.LIBRARIAN, Role.TEACHER_LIBRARIAN]
    assert campaign.scale == Scale.GOOD_FAIR_PASS_FAIL
    assert campaign.reminder_offsets == [1, 7]
    assert campaign.topics.values_list("title", flat=True)[0] == "Thư viện mở"
    assert campaign.topics.count() == 5
    assert campaign.milestones.count() == 5
    assert campaign.topic_lock_date() == D(2026, 1, 15)
    assert not Enrolment.objects.filter(campaign=campaign).exists()
    assert campaign in Campaign.objects.targeting_role(Role.LIBRARIAN)
    assert campaign not in Campaign.objects.targeting_role(Role.PRINCIPAL)


@pytest.mark.parametrize(
    ("issuer_attr", "fields", "message"),
    [
        ("school", {}, "department or an office"),
        ("office", {"target": "thpt"}, "its own schools"),
        ("office", {"target": "partner"}, "its own schools"),
        ("department", {"roles": []}, "roles"),
        ("department", {"roles": [Role.READER]}, "roles"),
        ("department", {"roles": ["archivist"]}, "roles"),
        ("department", {"subject": "  "}, "subject"),
        ("department", {"topics_per_person": 0}, "from 1 to 10"),
        ("department", {"topics_per_person": 11}, "from 1 to 10"),
        ("department", {"scale": "stars"}, "scale"),
        ("department", {"reminder_days": "a week"}, "7,1"),
        ("department", {"office_deadline": D(2026, 4, 1)}, "office deadline"),
    ],
)
def test_create_campaign_refuses_bad_input(world, issuer_attr, fields, message):
    if "target" in fields:
        fields["target"] = getattr(world, fields["target"])
    before = Campaign.objects.count()
    with pytest.raises(services.TrainingError, match=message):
        make_campaign(world, issuer=getattr(world, issuer_attr), **fields)
    assert Campaign.objects.count() == before


def test_unknown_field_is_a_programming_error(world):
    with pytest.raises(TypeError):
        services.create_campaign(world.department, by=None, subject="x", colour="red")


def test_update_only_in_draft(world, campaign):
    services.update_campaign(campaign, by=world.dept_admin, recipients="Các trường THPT")
    campaign.refresh_from_db()
    assert campaign.recipients == "Các trường THPT"
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    with pytest.raises(services.TrainingError, match="published"):
        services.update_campaign(campaign, by=world.dept_admin, subject="Khác")
    with pytest.raises(services.TrainingError):
        services.add_topic(campaign, title="Thư viện số")
    campaign.refresh_from_db()
    assert campaign.subject.startswith("V/v")


def test_publishing_the_department_campaign_enrols_every_targeted_person(world, campaign):
    count = services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    assert campaign.issued_on == PUBLISHED_ON
    expected = {world.librarian, world.teacher_librarian, world.thpt_librarian, world.outsider}
    assert count == 4
    assert enrolled_users(campaign) == expected
    record = Enrolment.objects.get(campaign=campaign, user=world.teacher_librarian)
    assert (record.school, record.role, record.enrolled_on) == (
        world.school,
        Role.TEACHER_LIBRARIAN,
        PUBLISHED_ON,
    )


def test_an_office_campaign_enrols_only_its_schools(world):
    campaign = make_campaign(world, issuer=world.office)
    assert services.publish_campaign(campaign, by=world.office_officer, on=PUBLISHED_ON) == 2
    assert enrolled_users(campaign) == {world.librarian, world.teacher_librarian}


def test_tiers_exclude_thpt(world):
    campaign = make_campaign(world, target_primary=True, target_lower_secondary=True)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    assert world.thpt_librarian not in enrolled_users(campaign)
    assert world.librarian in enrolled_users(campaign)
    assert world.outsider in enrolled_users(campaign)  # school X is lower secondary


def test_principal_role_is_targetable(world):
    campaign = make_campaign(world, issuer=world.office, roles=[Role.PRINCIPAL])
    services.publish_campaign(campaign, by=world.office_officer, on=PUBLISHED_ON)
    assert enrolled_users(campaign) == {world.principal, world.principal_a2}


def test_publishing_twice_enrols_nobody_twice(world, campaign):
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    assert services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON) == 0
    assert Enrolment.objects.filter(campaign=campaign).count() == 4


def test_publishing_needs_the_school_deadline(world):
    campaign = make_campaign(world, school_deadline=None, office_deadline=None)
    with pytest.raises(services.TrainingError, match="deadline"):
        services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_closed_campaign_cannot_be_published_or_closed_again(world, published):
    services.close_campaign(published, by=world.dept_admin)
    published.refresh_from_db()
    assert published.status == CampaignStatus.CLOSED
    with pytest.raises(services.TrainingError):
        services.publish_campaign(published, by=world.dept_admin)
    with pytest.raises(services.TrainingError):
        services.close_campaign(published, by=world.dept_admin)
    with pytest.raises(services.TrainingError):
        services.sync_enrolments(published)


def test_a_draft_cannot_be_closed(world, campaign):
    with pytest.raises(services.TrainingError, match="Draft"):
        services.close_campaign(campaign, by=world.dept_admin)


def test_report_guidance_is_published_later(world, published):
    services.publish_report_guidance(
        published, text="Bài thu hoạch 5–7 trang.", by=world.dept_admin
    )
    published.refresh_from_db()
    assert published.report_guidance == "Bài thu hoạch 5–7 trang."
    assert published.guidance_published_at is not None


def test_milestones_are_checked(world, campaign):
    with pytest.raises(services.TrainingError, match="end before"):
        services.add_milestone(campaign, name="x", start=D(2026, 2, 1), end=D(2026, 1, 1))
    with pytest.raises(services.TrainingError, match="optional part"):
        services.add_milestone(
            campaign, name="x", start=D(2026, 2, 1), end=D(2026, 2, 2), locks_topic_choice=True
        )
    with pytest.raises(services.TrainingError, match="title"):
        services.add_topic(campaign, title="thư viện mở")


def test_campaign_history_names_who_published(world, published):
    latest = published.history.first()
    assert (latest.status, latest.history_user) == (CampaignStatus.PUBLISHED, world.dept_admin)


def test_campaigns_are_visible_where_they_reach(world, published):
    from thuvien.access import resolve_scope

    office_campaign = make_campaign(world, issuer=world.office)
    ours = {published, office_campaign}

    def visible(user):
        return set(Campaign.objects.visible_to(resolve_scope(user, None))) & ours

    assert visible(world.dept_admin) == ours
    assert visible(world.office_officer) == ours
    assert visible(world.librarian) == {published}  # office A's is still a draft
    assert visible(world.outsider) == {published}
    assert visible(world.office_b_officer) == {published}
    services.publish_campaign(office_campaign, by=world.office_officer)
    assert visible(world.librarian) == ours
