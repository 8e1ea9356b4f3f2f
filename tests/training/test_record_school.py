"""The principal's school page: progress, return, evaluate, extend, reopen, send the package —
and the whole little journey of one record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuvien.training import services
from thuvien.training.models import Enrolment, PackageStatus, ReportStatus, SchoolPackage


def url(name, obj):
    return reverse(f"training:{name}", args=[obj.pk])


@pytest.fixture
def principal(client_for, world):
    client = client_for(world.principal)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def submitted(record, published, world):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, published.topics.first())
    services.submit_report_text(record, body="Bài thu hoạch")
    record.refresh_from_db()
    return record


def test_school_page_lists_the_schools_people(principal, published, world):
    response = principal.get(url("school_page", published))
    assert response.status_code == 200
    people = {e.user for e in response.context["people"]}
    assert people == {world.librarian, world.teacher_librarian}
    assert response.context["supervisor"] == world.office
    assert world.office.name in response.content.decode()


def test_principal_of_another_school_gets_404(client_for, world, published, submitted):
    other = client_for(world.principal_a2)
    assert other.get(url("school_record", submitted)).status_code == 404
    assert other.post(url("school_return", submitted), {"comment": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.report_status == ReportStatus.SUBMITTED


def test_department_admin_does_not_evaluate_staff(client_for, world, published):
    assert client_for(world.dept_admin).get(url("school_page", published)).status_code == 403


def test_librarian_gets_403(client_for, world, published, record):
    assert client_for(world.librarian).get(url("school_page", published)).status_code == 403
    assert client_for(world.librarian).get(url("school_record", record)).status_code == 403


def test_anonymous_goes_to_login(client, published):
    response = client.get(url("school_page", published))
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(
    "name", ["school_return", "school_evaluate", "school_extend", "school_reopen"]
)
def test_actions_are_posts(principal, record, name):
    assert principal.get(url(name, record)).status_code == 405


def test_package_is_a_post(principal, published):
    assert principal.get(url("school_package", published)).status_code == 405


def test_record_shows_the_latest_submitted_version(principal, submitted):
    response = principal.get(url("school_record", submitted))
    assert "Bài thu hoạch" in response.content.decode()


def test_return_needs_a_comment(principal, submitted):
    assert principal.post(url("school_return", submitted), {"comment": ""}).status_code == 422
    submitted.refresh_from_db()
    assert submitted.report_status == ReportStatus.SUBMITTED


def test_evaluate_refuses_a_grade_off_the_scale(principal, submitted):
    response = principal.post(url("school_evaluate", submitted), {"grade": "excellent"})
    assert response.status_code == 422
    submitted.refresh_from_db()
    assert submitted.report_status == ReportStatus.SUBMITTED and submitted.grade == ""


def test_evaluate_on_marks_out_of_ten(client_for, world):
    from tests.training.conftest import PUBLISHED_ON, make_campaign

    campaign = make_campaign(world, scale="marks_10")
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, campaign.topics.first())
    services.submit_report_text(record, body="Bài")
    client = client_for(world.principal)
    assert client.post(url("school_evaluate", record), {"grade": "11"}).status_code == 422
    assert client.post(url("school_evaluate", record), {"grade": "7.5"}).status_code == 302
    record.refresh_from_db()
    assert (record.grade, record.passed) == ("7.5", True)


def test_extension(principal, record):
    data = {"until": "2026-05-10", "reason": "Ốm"}
    assert principal.post(url("school_extend", record), data).status_code == 302
    record.refresh_from_db()
    assert str(record.extended_until) == "2026-05-10" and record.deadline == record.extended_until
    bad = {"until": "2026-04-01", "reason": "x"}
    response = principal.post(url("school_extend", record), bad)
    assert response.status_code == 422 and "after the school deadline" in response.content.decode()
    record.refresh_from_db()
    assert str(record.extended_until) == "2026-05-10"


def test_reopen(principal, record):
    assert principal.post(url("school_reopen", record)).status_code == 302
    record.refresh_from_db()
    assert record.topic_reopened


def test_package_refused_while_reports_are_not_evaluated(principal, published, submitted):
    response = principal.post(url("school_package", published), {"summary": "Tốt"})
    assert response.status_code == 422 and "not evaluated yet" in response.content.decode()
    assert not SchoolPackage.objects.filter(campaign=published).exists()


def test_the_whole_journey(client_for, world, published, record):
    me = client_for(world.librarian)
    boss = client_for(world.principal)
    topic = published.topics.first()
    # The topic choice closed on 15/01/2026: refused until the principal reopens it.
    assert me.post(url("record_topic", record), {"topic": topic.pk}).status_code == 422
    assert boss.post(url("school_reopen", record)).status_code == 302
    assert me.post(url("record_topic", record), {"topic": topic.pk}).status_code == 302
    note = {"date": "2026-01-20", "topic": topic.pk, "content": "Thư viện mở", "hours": "3"}
    assert me.post(url("record_note", record), note).status_code == 302
    draft = me.post(url("record_draft", record), {"body": "Nháp"}, HTTP_HX_REQUEST="true")
    assert draft.status_code == 200
    assert (
        me.post(url("record_report", record), {"body": "Bài", "action": "submit"}).status_code
        == 302
    )
    assert boss.post(url("school_return", record), {"comment": "Bổ sung ví dụ"}).status_code == 302
    page = me.get(url("record_detail", record)).content.decode()
    assert "Bổ sung ví dụ" in page
    resubmit = {"body": "Bài có ví dụ", "action": "submit"}
    assert me.post(url("record_report", record), resubmit).status_code == 302
    assert boss.post(url("school_evaluate", record), {"grade": "good"}).status_code == 302
    # The teacher-librarian's report too, so the whole school is evaluated.
    other = Enrolment.objects.get(campaign=published, user=world.teacher_librarian)
    services.reopen_topic_choice(other, by=world.principal)
    services.choose_topic(other, topic)
    services.submit_report_text(other, body="Bài")
    services.evaluate(other, by=world.principal, grade="fair")
    assert boss.post(url("school_package", published), {"summary": "Hoàn thành"}).status_code == 302
    record.refresh_from_db()
    assert (record.report_status, record.grade, record.passed) == (
        ReportStatus.EVALUATED,
        "good",
        True,
    )
    assert [v.submitted for v in record.report_versions.all()] == [False, True, True]
    package = SchoolPackage.objects.get(campaign=published, school=world.school)
    assert (package.status, package.submitted_to) == (PackageStatus.SUBMITTED, world.office)


# --- The person's own topic, approved by the principal ---------------------------------------


@pytest.fixture
def open_campaign(world):
    from tests.training.conftest import PUBLISHED_ON, make_campaign

    campaign = make_campaign(world, allow_own_topic=True)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    return campaign


@pytest.fixture
def proposed(client_for, world, open_campaign):
    record = Enrolment.objects.get(campaign=open_campaign, user=world.librarian)
    services.reopen_topic_choice(record, by=world.principal)
    me = client_for(world.librarian)
    page = me.get(url("record_detail", record)).content.decode()
    assert url("record_own_topic", record) in page
    response = me.post(url("record_own_topic", record), {"own_topic": "Thư viện số ở trường"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.own_topic, record.own_topic_status) == ("Thư viện số ở trường", "pending")
    return record


def test_the_school_page_lists_pending_proposals(principal, open_campaign, proposed):
    response = principal.get(url("school_page", open_campaign))
    assert [e.pk for e in response.context["proposals"]] == [proposed.pk]
    page = response.content.decode()
    assert "Thư viện số ở trường" in page and url("school_own_topic", proposed) in page


def test_the_principal_approves_and_the_report_can_be_submitted(principal, proposed):
    response = principal.post(url("school_own_topic", proposed), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == url("school_page", proposed.campaign)
    proposed.refresh_from_db()
    assert proposed.own_topic_status == "approved"
    services.submit_report_text(proposed, body="Bài về thư viện số")
    proposed.refresh_from_db()
    assert proposed.report_status == ReportStatus.SUBMITTED
    assert principal.get(url("school_page", proposed.campaign)).context["proposals"] == []


def test_the_principal_rejects(principal, proposed):
    assert (
        principal.post(url("school_own_topic", proposed), {"decision": "reject"}).status_code == 302
    )
    proposed.refresh_from_db()
    assert proposed.own_topic_status == "rejected"
    with pytest.raises(services.TrainingError):
        services.submit_report_text(proposed, body="Bài")


def test_deciding_twice_or_without_a_decision_is_refused(principal, proposed):
    principal.post(url("school_own_topic", proposed), {"decision": "approve"})
    response = principal.post(url("school_own_topic", proposed), {"decision": "reject"})
    assert response.status_code == 422
    assert "no proposed topic waiting" in response.content.decode()
    assert principal.post(url("school_own_topic", proposed), {}).status_code == 422
    proposed.refresh_from_db()
    assert proposed.own_topic_status == "approved"


def test_own_topic_decisions_are_the_schools_principals(client_for, world, proposed):
    assert (
        client_for(world.principal_a2)
        .post(url("school_own_topic", proposed), {"decision": "approve"})
        .status_code
        == 404
    )
    assert (
        client_for(world.librarian)
        .post(url("school_own_topic", proposed), {"decision": "approve"})
        .status_code
        == 403
    )
    assert client_for(world.principal).get(url("school_own_topic", proposed)).status_code == 405
    proposed.refresh_from_db()
    assert proposed.own_topic_status == "pending"


def test_a_campaign_without_own_topics_refuses_a_proposal(client_for, world, record):
    services.reopen_topic_choice(record, by=world.principal)
    me = client_for(world.librarian)
    me.cookies["thuvien_language"] = "en"
    assert (
        url("record_own_topic", record) not in me.get(url("record_detail", record)).content.decode()
    )
    response = me.post(url("record_own_topic", record), {"own_topic": "Đề tài riêng"})
    assert response.status_code == 422
    assert "does not accept topics of one" in response.content.decode()
    record.refresh_from_db()
    assert record.own_topic == ""
