"""The record is whole: the plan is linked from the record and shown to the principal (page and
PDF), its "done" agrees with the record's milestones, the topic picker shows the choice and is
offered only while the choice is open, and grades read by their label everywhere."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from tests.training.conftest import LOCK_DAY, D, at
from thuvien.training import record_queries, services
from thuvien.training.models import Enrolment


def url(name, obj):
    return reverse(f"training:{name}", args=[obj.pk])


@pytest.fixture
def me(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def boss(client_for, world):
    client = client_for(world.principal)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def planned(record):
    """Two entries: one linked to the first milestone, one to the second."""
    first, second = record.campaign.milestones.order_by("start")[:2]
    services.plans.add_plan_entry(
        record, what="Đọc phần chung", start=D(2025, 12, 15), end=D(2026, 1, 14), milestone=first
    )
    services.plans.add_plan_entry(
        record, what="Chuyên đề tự chọn", start=D(2026, 1, 15), end=D(2026, 2, 14), milestone=second
    )
    record.refresh_from_db()
    return record


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def states(record):
    milestones = list(record.campaign.milestones.order_by("order", "start"))
    return [s.state for s in record_queries.stances(milestones, D(2026, 12, 1), record)]


# --- The plan is linked and shown --------------------------------------------------------------


def test_the_record_page_links_the_plan_and_shows_it(me, planned):
    page = me.get(url("record_detail", planned)).content.decode()
    assert url("record_plan", planned) in page
    assert "Đọc phần chung" in page and "Chuyên đề tự chọn" in page


def test_an_empty_plan_is_offered_from_the_record(me, record):
    page = me.get(url("record_detail", record)).content.decode()
    assert url("record_plan", record) in page and "Make my plan" in page


def test_the_principal_sees_the_plan_on_the_record_page_and_in_the_pdf(boss, planned):
    page = boss.get(url("school_record", planned)).content.decode()
    assert "Self-training plan" in page and "Đọc phần chung" in page
    response = boss.get(url("record_pdf", planned))
    assert response.status_code == 200
    text = pdf_text(response)
    assert "Đọc phần chung" in text and "Chuyên đề tự chọn" in text


def test_the_print_view_carries_the_plan(me, planned):
    page = me.get(url("record_print", planned)).content.decode()
    assert "Self-training plan" in page and "Chuyên đề tự chọn" in page


def test_a_colleague_does_not_read_the_plan(client_for, world, planned):
    colleague = client_for(world.teacher_librarian)
    assert colleague.get(url("record_plan", planned)).status_code == 404
    assert colleague.get(url("record_pdf", planned)).status_code == 404


# --- The plan's "done" and the record's agree ----------------------------------------------------


def test_a_milestone_is_done_when_its_plan_entries_are(planned):
    # Today is after the whole timeline: nothing ticked, so nothing is done.
    assert states(planned) == ["not_done"] * 5
    services.plans.mark_plan_entry(planned, 1, done=True)
    planned.refresh_from_db()
    assert states(planned) == ["done", *["not_done"] * 4]
    services.plans.mark_plan_entry(planned, 1, done=False)
    planned.refresh_from_db()
    assert states(planned) == ["not_done"] * 5


def test_by_the_dates_a_milestone_is_current_or_upcoming(planned):
    milestones = list(planned.campaign.milestones.order_by("order", "start"))
    day = D(2026, 1, 20)  # in the second milestone
    got = [s.state for s in record_queries.stances(milestones, day, planned)]
    assert got == ["not_done", "current", "upcoming", "upcoming", "upcoming"]


def test_a_handed_in_report_makes_the_plan_and_the_milestones_done(me, planned, world):
    services.reopen_topic_choice(planned, by=world.principal)
    services.choose_topic(planned, planned.campaign.topics.first())
    services.submit_report_text(planned, body="Bài thu hoạch")
    planned.refresh_from_db()
    assert states(planned) == ["done"] * 5
    plan = me.get(url("record_plan", planned))
    assert [row.done for row in plan.context["entries"]] == [True, True]
    assert not plan.context["open"]  # nothing to tick any more
    assert "Not done" not in plan.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    # Returned for revision, the plan is the person's own ticks again.
    services.return_report(planned, by=world.principal, comment="Bổ sung")
    planned.refresh_from_db()
    assert states(planned) == ["not_done"] * 5


def test_the_plan_page_and_the_record_page_say_the_same(me, planned):
    me.post(url("record_plan_entry", planned), {"entry": 1, "action": "done"})
    record = me.get(url("record_detail", planned))
    assert [s.state for s in record.context["stances"]][:2] == ["done", "not_done"]
    plan = me.get(url("record_plan", planned))
    assert [row.done for row in plan.context["entries"]] == [True, False]


def test_the_school_table_shows_each_persons_own_stance(boss, planned, published, world):
    services.plans.mark_plan_entry(planned, 1, done=True)
    response = boss.get(reverse("training:school_page", args=[published.pk]))
    rows = {e.user: [s.state for s in stances] for e, stances in response.context["progress"]}
    assert rows[world.librarian][0] == "done"
    assert rows[world.teacher_librarian][0] == "not_done"


# --- The topic picker ------------------------------------------------------------------------


def test_the_choice_is_open_before_the_lock_and_after_it_only_when_reopened(record, world):
    assert record.topic_choice_open(LOCK_DAY - dt.timedelta(days=1))
    assert not record.topic_choice_open(LOCK_DAY)
    services.reopen_topic_choice(record, by=world.principal)
    record.refresh_from_db()
    assert record.topic_choice_open(LOCK_DAY)


def test_the_picker_is_not_offered_after_the_lock(me, record):
    page = me.get(url("record_detail", record)).content.decode()
    assert url("record_topic", record) not in page
    assert url("record_own_topic", record) not in page
    assert "Topic choice closed on 15/01/2026." in page


def test_a_reopened_choice_offers_the_picker_with_the_chosen_topic_selected(me, record, world):
    topic = record.campaign.topics.order_by("order")[1]
    services.choose_topic(record, topic, on=D(2026, 1, 1))
    services.reopen_topic_choice(record, by=world.principal)
    response = me.get(url("record_detail", record))
    page = response.content.decode()
    assert url("record_topic", record) in page
    assert response.context["topic_form"]["topic"].value() == topic.pk
    assert f'<option value="{topic.pk}" selected>' in page
    # The new choice uses the reopening up: the picker goes away again.
    assert me.post(url("record_topic", record), {"topic": topic.pk}).status_code == 302
    assert url("record_topic", record) not in me.get(url("record_detail", record)).content.decode()


# --- Grades by their label ---------------------------------------------------------------------


@pytest.fixture
def graded(record, world, published):
    services.choose_topic(record, published.topics.first(), on=D(2026, 1, 1))
    services.submit_report(record, on=at(2026, 4, 1))
    services.evaluate(record, by=world.principal, grade="good", comment="Bài tốt")
    record.refresh_from_db()
    return record


def test_the_grade_label_is_the_levels_word(graded):
    assert graded.grade == "good" and graded.grade_label == "Good"
    graded.grade = "Hoàn thành tốt"  # a custom level is stored as its label
    assert graded.grade_label == "Hoàn thành tốt"


def test_a_mark_reads_the_vietnamese_way(published):
    record = Enrolment(campaign=published, grade="7.5", mark=Decimal("7.5"))
    with translation.override("vi"):
        assert record.grade_label == "7,5"


def test_grades_read_tot_not_good_on_every_page(client_for, world, graded, published):
    """In Vietnamese (the default), as the people read it."""
    me, boss = client_for(world.librarian), client_for(world.principal)
    pages = {
        "record": me.get(url("record_detail", graded)),
        "print": me.get(url("record_print", graded)),
        "principal's record": boss.get(url("school_record", graded)),
        "school table": boss.get(reverse("training:school_page", args=[published.pk])),
    }
    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "Tốt" in body, name
        assert "(good)" not in body and ">good<" not in body, name
    text = pdf_text(me.get(url("record_pdf", graded)))
    assert "Tốt" in text and "good" not in text


def test_the_package_detail_reads_the_label(client_for, world, graded, published):
    other = Enrolment.objects.get(campaign=published, user=world.teacher_librarian)
    services.choose_topic(other, published.topics.first(), on=D(2026, 1, 1))
    services.submit_report(other, on=at(2026, 4, 1))
    services.evaluate(other, by=world.principal, grade="fair")
    package = services.submit_school_package(
        published, world.school, by=world.principal, summary="x", on=at(2026, 4, 10)
    )
    body = client_for(world.office_officer).get(url("package_detail", package)).content.decode()
    assert "Tốt" in body and "Khá" in body and ">fair<" not in body
