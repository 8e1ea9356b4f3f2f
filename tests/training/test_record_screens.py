"""The person's own record screens: list, page, topic, notes, autosave, save, submit, print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from thuvien.training import services
from thuvien.training.models import Enrolment, ReportStatus, ReportVersion, StudyNote


def url(name, record):
    return reverse(f"training:{name}", args=[record.pk])


@pytest.fixture
def me(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


def test_list_shows_only_my_records_with_milestones(
    me, record, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = me.get(reverse("training:record_list"))
    assert response.status_code == 200
    mine = set(Enrolment.objects.filter(user=world.librarian))  # the world's campaign too
    assert {e for e, _s in response.context["records"]} == mine and record in mine
    assert len(mine) == 2
    states = [s.state for e, stances in response.context["records"] if e == record for s in stances]
    # Today is after the whole 2025–2026 timeline, and nothing of the plan is done.
    assert states == ["not_done"] * 5
    assert "Late" not in response.content.decode()


def test_record_page_shows_the_lock_date(me, record):
    response = me.get(url("record_detail", record))
    assert response.status_code == 200
    # Today is after the lock: the page says it closed, and offers no picker.
    page = response.content.decode()
    assert "Topic choice closed on 15/01/2026." in page
    assert reverse("training:record_topic", args=[record.pk]) not in page


def test_another_persons_record_is_404_even_in_the_same_school(me, world, published):
    theirs = Enrolment.objects.get(campaign=published, user=world.teacher_librarian)
    for name in ("record_detail", "record_print"):
        assert me.get(url(name, theirs)).status_code == 404
    assert me.post(url("record_draft", theirs), {"body": "x"}).status_code == 404
    assert not ReportVersion.objects.exists()


def test_outsider_gets_404(client_for, world, record):
    assert client_for(world.outsider).get(url("record_detail", record)).status_code == 404


def test_anonymous_goes_to_login(client, record):
    response = client.get(url("record_detail", record))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_principal_has_no_record_screens(client_for, world, record):
    assert client_for(world.principal).get(reverse("training:record_list")).status_code == 403
    assert client_for(world.principal).get(url("record_detail", record)).status_code == 403


@pytest.mark.parametrize("name", ["record_topic", "record_note", "record_draft", "record_report"])
def test_posts_only(me, record, name):
    assert me.get(url(name, record)).status_code == 405


def test_print_is_get_only(me, record):
    assert me.post(url("record_print", record)).status_code == 405
    assert me.get(url("record_print", record)).status_code == 200


def test_topic_after_the_lock_is_refused_with_the_message(me, record, published):
    topic = published.topics.first()
    response = me.post(url("record_topic", record), {"topic": topic.pk})
    assert response.status_code == 422
    assert "Topic choice closed on 15/01/2026" in response.content.decode()
    record.refresh_from_db()
    assert record.topic is None


def test_topic_once_reopened(me, record, published, world):
    services.reopen_topic_choice(record, by=world.principal)
    topic = published.topics.last()
    response = me.post(url("record_topic", record), {"topic": topic.pk})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.topic == topic and not record.topic_reopened


def test_add_a_study_note(me, record, published):
    material = published.materials.get()
    data = {
        "date": "2026-01-05",
        "material": material.pk,
        "content": "Đọc chương 1",
        "hours": "2.5",
    }
    assert me.post(url("record_note", record), data).status_code == 302
    note = StudyNote.objects.get()
    assert (note.enrolment, note.material, note.hours) == (record, material, Decimal("2.5"))


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-01-05", "content": "", "hours": "1"},
        {"date": "2026-01-05", "content": "x", "hours": "-1"},
        {"date": "2026-01-05", "content": "x", "hours": "25"},
        {"date": "not a date", "content": "x", "hours": "1"},
        {"date": "2099-01-01", "content": "x", "hours": "1"},
    ],
)
def test_bad_note_is_422_and_nothing_saved(me, record, data):
    assert me.post(url("record_note", record), data).status_code == 422
    assert not StudyNote.objects.exists()


def test_note_with_a_material_of_another_campaign_is_refused(me, record, world):
    from tests.training.conftest import make_campaign

    other = make_campaign(world, subject="Another").materials.get()
    data = {"date": "2026-01-05", "material": other.pk, "content": "x", "hours": "1"}
    assert me.post(url("record_note", record), data).status_code == 422
    assert not StudyNote.objects.exists()


def test_htmx_autosave_appends_a_version_and_answers_the_fragment(me, record):
    response = me.post(url("record_draft", record), {"body": "Mở đầu"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft saved at" in body and "<html" not in body
    version = ReportVersion.objects.get()
    assert (version.body, version.autosaved, version.submitted) == ("Mở đầu", True, False)
    record.refresh_from_db()
    assert record.report_status == ReportStatus.DRAFT


def test_autosaves_within_30_seconds_are_coalesced_and_later_ones_appended(record):
    start = timezone.now()
    first = services.save_report_version(record, body="a", autosave=True, at=start)
    again = services.save_report_version(
        record, body="ab", autosave=True, at=start + dt.timedelta(seconds=10)
    )
    assert again.pk == first.pk and ReportVersion.objects.get().body == "ab"
    services.save_report_version(
        record, body="abc", autosave=True, at=start + dt.timedelta(seconds=50)
    )
    services.save_report_version(record, body="abc", autosave=True)  # unchanged: nothing
    assert [v.body for v in ReportVersion.objects.all()] == ["ab", "abc"]


def test_empty_autosave_is_422_and_nothing_saved(me, record):
    response = me.post(url("record_draft", record), {"body": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert not ReportVersion.objects.exists()


def test_save_keeps_a_normal_version(me, record):
    response = me.post(url("record_report", record), {"body": "Bài", "action": "save"})
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert not version.autosaved and not version.submitted


def test_submit_without_topic_is_refused_and_keeps_nothing(me, record):
    response = me.post(url("record_report", record), {"body": "Bài", "action": "submit"})
    assert response.status_code == 422
    assert "Choose a topic" in response.content.decode()
    assert not ReportVersion.objects.exists()
    record.refresh_from_db()
    assert record.report_status == ReportStatus.NOT_STARTED


def test_submit_keeps_the_text_as_the_submitted_version(me, record, published, world):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, published.topics.first())
    response = me.post(url("record_report", record), {"body": "Bài cuối", "action": "submit"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.report_status == ReportStatus.SUBMITTED and record.submitted_at
    assert record.is_late  # after the 10/04/2026 deadline
    assert ReportVersion.objects.get(submitted=True).body == "Bài cuối"
    # A submitted report can no longer be changed, not even by an autosave.
    assert me.post(url("record_draft", record), {"body": "sửa"}).status_code == 422
    assert ReportVersion.objects.count() == 1


def test_print_shows_the_whole_record(me, record, published):
    services.add_study_note(record, date=dt.date(2026, 1, 5), content="Ghi chép", hours=Decimal(1))
    services.save_report_version(record, body="Nội dung bài")
    text = me.get(url("record_print", record)).content.decode()
    assert "Ghi chép" in text and "Nội dung bài" in text and published.subject in text
