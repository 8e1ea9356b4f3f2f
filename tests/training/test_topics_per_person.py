"""Campaigns where each person chooses several topics (`Campaign.topics_per_person`): choosing
exactly N, submitting with all N, the counts of the reports and the dashboard, reminders, the
letter, the campaign form and publishing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.training.conftest import TOPICS, D, at, make_campaign
from tests.training.test_campaign_screens import CAMPAIGN_POST
from tests.training.test_letter import docx_text
from thuvien.access import resolve_scope
from thuvien.documents import render_docx
from thuvien.notifications.models import Notification
from thuvien.training import dashboard, letters, services
from thuvien.training.figures import unit_figures
from thuvien.training.models import Campaign, Enrolment, OwnTopicStatus
from thuvien.training.services.reminders import send_reminders

BEFORE_LOCK = D(2026, 1, 2)
QUERIES = 4  # topic titles, the records, their extra topics (prefetched), the package


def two_each(world, **fields):
    campaign = make_campaign(world, topics_per_person=2, **fields)
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def campaign2(world):
    return two_each(world)


def topics(campaign, *indexes):
    listed = list(campaign.topics.order_by("order", "pk"))
    return [listed[i] for i in indexes]


def record_of(campaign, user):
    return Enrolment.objects.get(campaign=campaign, user=user)


# --- Choosing -----------------------------------------------------------------------------------


def test_choose_two_topics(world, campaign2):
    record = record_of(campaign2, world.librarian)
    services.choose_topic(record, topics=topics(campaign2, 3, 1), on=BEFORE_LOCK)
    record.refresh_from_db()
    assert record.topic.title == TOPICS[3]  # the first chosen stays in `topic`
    assert [t.title for t in record.extra_topics.all()] == [TOPICS[1]]
    assert [t.title for t in record.chosen_topics()] == [TOPICS[3], TOPICS[1]]
    assert record.chosen_count() == 2
    services.choose_topic(record, topics=topics(campaign2, 0, 2), on=BEFORE_LOCK)  # replaces
    record.refresh_from_db()
    assert [t.title for t in record.chosen_topics()] == [TOPICS[0], TOPICS[2]]


@pytest.mark.parametrize(
    ("indexes", "message"),
    [
        ((0,), r"Choose exactly 2 topics \(you chose 1\)"),
        ((0, 1, 2), r"Choose exactly 2 topics \(you chose 3\)"),
        ((), r"Choose exactly 2 topics \(you chose 0\)"),
        ((1, 1), "only once"),
    ],
)
def test_anything_but_two_topics_is_refused(world, campaign2, indexes, message):
    record = record_of(campaign2, world.librarian)
    with pytest.raises(services.TrainingError, match=message):
        services.choose_topic(record, topics=topics(campaign2, *indexes), on=BEFORE_LOCK)
    record.refresh_from_db()
    assert record.topic is None and not record.extra_topics.exists()


def test_the_single_topic_call_is_refused_when_two_are_needed(world, campaign2):
    record = record_of(campaign2, world.librarian)
    with pytest.raises(services.TrainingError, match="you chose 1"):
        services.choose_topic(record, campaign2.topics.first(), on=BEFORE_LOCK)


def test_a_topic_of_another_campaign_is_refused(world, campaign2):
    other = make_campaign(world, issuer=world.office)
    record = record_of(campaign2, world.librarian)
    mixed = [*topics(campaign2, 0), other.topics.first()]
    with pytest.raises(services.TrainingError, match="another campaign"):
        services.choose_topic(record, topics=mixed, on=BEFORE_LOCK)


def test_the_choice_locks_like_a_single_one(world, campaign2):
    record = record_of(campaign2, world.librarian)
    with pytest.raises(services.TrainingError, match="15/01/2026"):
        services.choose_topic(record, topics=topics(campaign2, 0, 1), on=D(2026, 1, 20))
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, topics=topics(campaign2, 0, 1), on=D(2026, 1, 20))
    with pytest.raises(services.TrainingError, match="reopen"):
        services.choose_topic(record, topics=topics(campaign2, 2, 3), on=D(2026, 1, 21))


def test_one_topic_and_an_own_one_when_allowed(world):
    campaign = two_each(world, allow_own_topic=True)
    record = record_of(campaign, world.librarian)
    with pytest.raises(services.TrainingError, match=r"or 1 and propose your own \(you chose 3\)"):
        services.choose_topic(
            record, topics=topics(campaign, 0, 1), own_topic="Thư viện số", on=BEFORE_LOCK
        )
    services.choose_topic(
        record, topics=topics(campaign, 4), own_topic="Thư viện số", on=BEFORE_LOCK
    )
    record.refresh_from_db()
    assert record.topic.title == TOPICS[4] and record.own_topic == "Thư viện số"
    assert record.own_topic_status == OwnTopicStatus.PENDING
    assert record.chosen_count() == 1  # the own topic counts once approved


def test_an_own_topic_is_refused_unless_allowed(world, campaign2):
    record = record_of(campaign2, world.librarian)
    with pytest.raises(services.TrainingError, match="own"):
        services.choose_topic(
            record, topics=topics(campaign2, 0), own_topic="Thư viện số", on=BEFORE_LOCK
        )


# --- Submitting ---------------------------------------------------------------------------------


def test_submitting_needs_both_topics(world, campaign2):
    record = record_of(campaign2, world.librarian)
    with pytest.raises(services.TrainingError, match="Choose your 2 topics"):
        services.submit_report(record)
    services.choose_topic(record, topics=topics(campaign2, 0, 1), on=BEFORE_LOCK)
    services.submit_report(record)
    record.refresh_from_db()
    assert record.report_status == "submitted"


def test_submitting_needs_the_own_topic_approved(world):
    campaign = two_each(world, allow_own_topic=True)
    record = record_of(campaign, world.librarian)
    services.choose_topic(
        record, topics=topics(campaign, 0), own_topic="Thư viện số", on=BEFORE_LOCK
    )
    with pytest.raises(services.TrainingError, match="Choose your 2 topics"):
        services.submit_report(record)
    services.approve_own_topic(record, by=world.principal)
    services.submit_report(record)


# --- Counting -----------------------------------------------------------------------------------


def hand_in_two(world, campaign, user, indexes, on):
    record = record_of(campaign, user)
    services.choose_topic(record, topics=topics(campaign, *indexes), on=BEFORE_LOCK)
    services.submit_report(record, on=on)
    return record


def test_report_figures_count_every_chosen_topic(world, campaign2):
    hand_in_two(world, campaign2, world.librarian, (0, 1), at(2026, 4, 1))
    hand_in_two(world, campaign2, world.teacher_librarian, (1, 2), at(2026, 4, 2))
    figures = unit_figures(campaign2, world.office)
    assert figures.topics == [(TOPICS[0], 1), (TOPICS[1], 2), (TOPICS[2], 1), (TOPICS[3], 0),
                              (TOPICS[4], 0)]  # fmt: skip
    province = unit_figures(campaign2, world.department)
    assert dict(province.topics) == dict(figures.topics)


def test_dashboard_counts_every_chosen_topic(world, campaign2):
    hand_in_two(world, campaign2, world.librarian, (0, 1), at(2026, 4, 1))
    hand_in_two(world, campaign2, world.teacher_librarian, (1, 2), at(2026, 4, 2))
    expected = {TOPICS[0]: 1, TOPICS[1]: 2, TOPICS[2]: 1, TOPICS[3]: 0, TOPICS[4]: 0}
    scope = resolve_scope(world.dept_admin, None)
    department = dashboard.progress(campaign2, world.department, scope, D(2026, 4, 20))
    assert dict(department.total_topics) == expected
    office = next(row for row in department.rows if row.name == world.office.name)
    assert office.figures.topics[campaign2.topics.get(title=TOPICS[1]).pk] == 2
    school = dashboard.progress(
        campaign2, world.school, resolve_scope(world.principal, None), D(2026, 4, 20)
    )
    assert dict(school.total_topics) == expected
    rows = {row.name: row for row in school.rows}
    assert rows[world.librarian.display_name].topic == f"{TOPICS[0]}; {TOPICS[1]}"


def test_the_school_dashboard_reads_extra_topics_without_a_query_per_person(
    world, campaign2, django_assert_max_num_queries
):
    hand_in_two(world, campaign2, world.librarian, (0, 1), at(2026, 4, 1))
    hand_in_two(world, campaign2, world.teacher_librarian, (1, 2), at(2026, 4, 2))
    scope = resolve_scope(world.principal, None)
    dashboard.progress(campaign2, world.school, scope, D(2026, 4, 20))  # warm the caches
    with django_assert_max_num_queries(QUERIES):
        dashboard.progress(campaign2, world.school, scope, D(2026, 4, 20))


def test_reminders_go_to_people_with_fewer_than_two_topics(world, settings):
    settings.LANGUAGE_CODE = "en"
    campaign = two_each(world, allow_own_topic=True)
    services.choose_topic(
        record_of(campaign, world.librarian), topics=topics(campaign, 0, 1), on=BEFORE_LOCK
    )
    rejected = record_of(campaign, world.teacher_librarian)
    services.choose_topic(
        rejected, topics=topics(campaign, 0), own_topic="Thư viện số", on=BEFORE_LOCK
    )
    services.approve_own_topic(rejected, by=world.principal, approve=False)
    send_reminders(today=D(2026, 1, 8))
    reminded = Notification.objects.filter(
        key__startswith=f"training:{campaign.pk}:", kind="training.topic"
    ).values_list("recipient__username", flat=True)
    assert sorted(reminded) == ["gvkiemnhiem", "ngoai", "thuvien_thpt"]


# --- The letter, the campaign form, publishing --------------------------------------------------


def test_the_letter_says_each_person_chooses_two(world, campaign2):
    doc = letters.campaign_letter(campaign2, position="GIÁM ĐỐC", signer="Nguyễn Văn A")
    text = docx_text(render_docx(doc))
    assert "Mỗi người chọn 02 chuyên đề" in text
    assert "Mỗi người chọn 01 chuyên đề" not in text


def test_the_campaign_form_saves_the_number_of_topics(world, client_for):
    client = client_for(world.office_officer)
    response = client.post(
        reverse("training:campaign_create"),
        {**CAMPAIGN_POST, "target": world.school.pk, "topics_per_person": "2"},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(subject=CAMPAIGN_POST["subject"])
    assert campaign.topics_per_person == 2  # a draft without topics yet is fine
    edit = reverse("training:campaign_edit", args=[campaign.pk])
    response = client.post(
        edit, {**CAMPAIGN_POST, "target": world.school.pk, "topics_per_person": "3"}
    )
    campaign.refresh_from_db()
    assert response.status_code == 302 and campaign.topics_per_person == 3


@pytest.mark.parametrize("value", ["0", "11", ""])
def test_the_campaign_form_refuses_a_bad_number_of_topics(world, client_for, value):
    response = client_for(world.office_officer).post(
        reverse("training:campaign_create"),
        {**CAMPAIGN_POST, "target": world.school.pk, "topics_per_person": value},
    )
    assert response.status_code == 422
    assert not Campaign.objects.filter(subject=CAMPAIGN_POST["subject"]).exists()


def test_publishing_refuses_more_topics_per_person_than_listed(world):
    campaign = make_campaign(world, topics_per_person=len(TOPICS) + 1)
    with pytest.raises(
        services.TrainingError,
        match="Each person chooses 6 topics but the campaign lists only 5",
    ):
        services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    campaign.refresh_from_db()
    assert campaign.status == "draft" and not campaign.enrolments.exists()
    services.update_campaign(campaign, by=world.dept_admin, topics_per_person=len(TOPICS))
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))


def test_a_campaign_without_topics_asks_for_at_most_one(world):
    campaign = services.create_campaign(
        world.department, by=world.dept_admin, subject="Không chuyên đề", school_year=2025,
        roles=["librarian"], school_deadline=D(2026, 4, 10), topics_per_person=2,
    )  # fmt: skip
    with pytest.raises(services.TrainingError, match="lists only 0"):
        services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))


# --- The record page ----------------------------------------------------------------------------


@pytest.fixture
def me(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


def test_the_record_page_offers_checkboxes_for_two(world, campaign2, me):
    record = record_of(campaign2, world.librarian)
    services.reopen_topic_choice(record, by=world.principal)  # today is after the lock
    page = me.get(reverse("training:record_detail", args=[record.pk])).content.decode()
    assert page.count('type="checkbox" name="topics"') == len(TOPICS)
    assert 'data-choose-exactly="2"' in page and "Choose 2 topics." in page
    assert page.count('<select name="topic"') == 1  # the study note's, no select to choose


def test_the_record_page_saves_two_topics_and_refuses_one(world, campaign2, me):
    record = record_of(campaign2, world.librarian)
    services.reopen_topic_choice(record, by=world.principal)  # today is after the lock
    url = reverse("training:record_topic", args=[record.pk])
    response = me.post(url, {"topics": [topics(campaign2, 0)[0].pk]})
    assert response.status_code == 422
    assert "Tick exactly 2 topics (you chose 1)." in response.content.decode()
    record.refresh_from_db()
    assert record.topic is None
    chosen = topics(campaign2, 2, 4)
    response = me.post(url, {"topics": [t.pk for t in chosen]})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.chosen_topics() == chosen
    page = me.get(reverse("training:record_detail", args=[record.pk])).content.decode()
    assert f"<li><strong>{TOPICS[2]}</strong></li>" in page
    assert f"<li><strong>{TOPICS[4]}</strong></li>" in page
    sheet = me.get(reverse("training:record_print", args=[record.pk])).content.decode()
    assert f"{TOPICS[2]}; {TOPICS[4]}" in sheet


def test_a_single_topic_campaign_keeps_its_select(world, published, me):
    record = record_of(published, world.librarian)
    services.reopen_topic_choice(record, by=world.principal)  # today is after the lock
    page = me.get(reverse("training:record_detail", args=[record.pk])).content.decode()
    assert page.count('<select name="topic"') == 2 and 'name="topics"' not in page


def test_lists_show_every_chosen_topic(world, campaign2, client_for):
    from django.urls import reverse

    record = record_of(campaign2, world.librarian)
    services.choose_topic(record, topics=topics(campaign2, 3, 1), on=BEFORE_LOCK)
    both = f"{TOPICS[3]}; {TOPICS[1]}"
    mine = client_for(world.librarian).get(reverse("training:record_list")).content.decode()
    school = client_for(world.principal).get(reverse("training:school_page", args=[campaign2.pk]))
    assert both in mine and both in school.content.decode()
