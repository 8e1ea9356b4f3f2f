"""The training models' declared instance rules, each asked twice: through the pages (403 for a
unit that sees the row but may not act on it, 404 for one that does not see it) and through
`get_scoped_or_404` itself, which carries the refusal's message (the API shows it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.training.conftest import at, make_campaign
from tests.training.test_unit_reports import send_a1
from thuvien.access import Action, allows, get_scoped_or_404, resolve_scope
from thuvien.training import services
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    Enrolment,
    PackageStatus,
    ReportVersion,
    SchoolPackage,
    StudyNote,
    UnitReport,
    UnitReportStatus,
)
from thuvien.training.services import reports


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def scope_of(user):
    return resolve_scope(user, None)


def refusal(model, user, action, row):
    """The message of the 403 the policy answers for `action` on `row`."""
    with pytest.raises(PermissionDenied) as refused:
        get_scoped_or_404(model.objects.all(), scope_of(user), action, pk=row.pk)
    with translation.override("en"):  # a page request before may have switched the language
        return str(refused.value)


def out_of_sight(model, user, row, action=None):
    with pytest.raises(Http404):
        get_scoped_or_404(model.objects.all(), scope_of(user), action, pk=row.pk)
    return True


@pytest.fixture
def office_draft(world):
    return make_campaign(world, issuer=world.office)


@pytest.fixture
def package(world, published):
    return send_a1(world, published)


@pytest.fixture
def sent_report(world, published, package):
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    return reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 18))


# --- Campaign: MANAGE_CAMPAIGNS is the issuer's ------------------------------------------------


def test_only_the_issuing_unit_changes_a_campaign(world, client_for, office_draft):
    services.publish_campaign(office_draft, by=world.office_officer)
    close = url("campaign_close", office_draft.pk)
    # The Sở sees its office's campaign but did not issue it; office B does not see it at all.
    assert client_for(world.dept_officer).post(close).status_code == 403
    assert client_for(world.office_b_officer).post(close).status_code == 404
    assert Campaign.objects.get(pk=office_draft.pk).status == CampaignStatus.PUBLISHED
    assert client_for(world.office_officer).post(close).status_code == 302
    assert Campaign.objects.get(pk=office_draft.pk).status == CampaignStatus.CLOSED
    message = refusal(Campaign, world.dept_officer, Action.MANAGE_CAMPAIGNS, office_draft)
    assert message == "Only the unit that issued a campaign can change it."
    assert out_of_sight(Campaign, world.office_b_officer, office_draft, Action.MANAGE_CAMPAIGNS)


def test_the_issuer_buttons_follow_the_rule(world, client_for, office_draft):
    detail = url("campaign_detail", office_draft.pk)
    page = client_for(world.office_officer).get(detail).content.decode()
    assert url("campaign_edit", office_draft.pk) in page
    services.publish_campaign(office_draft, by=world.office_officer)
    assert (
        url("campaign_close", office_draft.pk)
        in client_for(world.office_officer).get(detail).content.decode()
    )
    page = client_for(world.dept_officer).get(detail)
    assert page.status_code == 200
    assert url("campaign_close", office_draft.pk) not in page.content.decode()
    assert allows(scope_of(world.office_officer), Action.MANAGE_CAMPAIGNS, office_draft)
    assert not allows(scope_of(world.dept_admin), Action.MANAGE_CAMPAIGNS, office_draft)


# --- Campaign: FOLLOW_PROGRESS is for supervisors and principals ------------------------------


def test_library_staff_do_not_follow_progress(world, client_for, published):
    progress = url("progress", published.pk)
    assert client_for(world.librarian).get(progress).status_code == 403
    assert client_for(world.principal).get(progress).status_code == 200
    api = reverse("api-campaign-progress", args=[published.pk])
    api_client = APIClient()
    token, _created = Token.objects.get_or_create(user=world.librarian)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.cookies["thuvien_language"] = "en"
    answer = api_client.get(api)
    assert answer.status_code == 403
    assert answer.json() == {
        "detail": "Only supervisors and principals follow a campaign's progress."
    }
    message = refusal(Campaign, world.librarian, Action.FOLLOW_PROGRESS, published)
    assert message == "Only supervisors and principals follow a campaign's progress."


def test_progress_of_a_campaign_out_of_sight_is_404(world, client_for, office_draft):
    services.publish_campaign(office_draft, by=world.office_officer)  # office A's schools only
    for user in (world.office_b_officer, world.thpt_librarian, world.outsider):
        assert client_for(user).get(url("progress", office_draft.pk)).status_code == 404, user


# --- Enrolment: TAKE_TRAINING (one's own), EVALUATE_TRAINING, READ_RECORDS ----------------------


def test_a_record_is_kept_only_by_its_person(world, client_for, record):
    assert client_for(world.librarian).get(url("record_detail", record.pk)).status_code == 200
    # A colleague of the same school sees the record's row, but it is not theirs: the record
    # screens fetch from the TAKE_TRAINING rows, so it answers 404 (not 403) there.
    colleague = scope_of(world.teacher_librarian)
    assert Enrolment.objects.visible_to(colleague).filter(pk=record.pk).exists()
    own = Enrolment.objects.allowed_to(colleague, Action.TAKE_TRAINING)
    assert not own.filter(pk=record.pk).exists() and own.filter(user=world.teacher_librarian)
    target = url("record_detail", record.pk)
    assert client_for(world.teacher_librarian).get(target).status_code == 404


def test_only_the_principal_of_the_school_evaluates(world, client_for, record):
    target = url("school_record", record.pk)
    assert client_for(world.principal).get(target).status_code == 200
    assert client_for(world.principal_a2).get(target).status_code == 404
    # The rule names the record's own school: a supervisor who sees the record is not its
    # principal, whatever the role table grants.
    rule = Enrolment.policy.rule_for(Action.EVALUATE_TRAINING)
    for user, expected in ((world.principal, True), (world.dept_admin, False)):
        scope = scope_of(user)
        assert Enrolment.objects.visible_to(scope).filter(pk=record.pk).exists()
        found = Enrolment.objects.filter(rule.q(scope, Enrolment), pk=record.pk).exists()
        assert found is expected, user
    with translation.override("en"):
        message = str(Enrolment.policy.refusal(Action.EVALUATE_TRAINING))
    assert message == "Only the principal of the record's school evaluates it."


def test_a_record_is_read_by_its_person_principal_and_supervisors(world, client_for, record):
    note = services.add_study_note(
        record, date=at(2026, 1, 20).date(), content="Đọc tài liệu", hours=2
    )
    version = services.save_report_version(record, body="<p>Bài</p>")
    for user in (world.librarian, world.principal, world.office_officer, world.dept_admin):
        scope = scope_of(user)
        assert Enrolment.objects.allowed_to(scope, Action.READ_RECORDS).filter(pk=record.pk)
        assert StudyNote.objects.allowed_to(scope, Action.READ_RECORDS).filter(pk=note.pk)
        assert ReportVersion.objects.allowed_to(scope, Action.READ_RECORDS).filter(pk=version.pk)
        assert client_for(user).get(url("record_pdf", record.pk)).status_code == 200, user
    for user in (world.teacher_librarian, world.principal_a2, world.office_b_officer):
        scope = scope_of(user)
        assert not StudyNote.objects.allowed_to(scope, Action.READ_RECORDS).filter(pk=note.pk)
        assert not ReportVersion.objects.allowed_to(scope, Action.READ_RECORDS).filter(
            pk=version.pk
        )
        assert client_for(user).get(url("record_pdf", record.pk)).status_code == 404, user


# --- SchoolPackage and UnitReport: REVIEW_PACKAGES by the recipient, WRITE_REPORTS by the writer --


def test_only_the_recipient_reviews_a_package(world, client_for, package):
    accept = url("package_accept", package.pk)
    assert client_for(world.dept_officer).post(accept).status_code == 403
    assert client_for(world.office_b_officer).post(accept).status_code == 404
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.SUBMITTED
    message = refusal(SchoolPackage, world.dept_officer, Action.REVIEW_PACKAGES, package)
    assert message == "Only the unit it was sent to can review it."
    assert out_of_sight(SchoolPackage, world.office_b_officer, package, Action.REVIEW_PACKAGES)
    assert client_for(world.office_officer).post(accept).status_code == 302
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.ACCEPTED


def test_only_the_recipient_reviews_a_report(world, client_for, sent_report):
    back = url("report_return", sent_report.pk)
    assert client_for(world.office_officer).post(back, {"comment": "x"}).status_code == 403
    assert client_for(world.office_b_officer).post(back, {"comment": "x"}).status_code == 404
    message = refusal(UnitReport, world.office_officer, Action.REVIEW_PACKAGES, sent_report)
    assert message == "Only the unit it was sent to can review it."
    assert client_for(world.dept_officer).post(back, {"comment": "Bổ sung."}).status_code == 302
    assert UnitReport.objects.get(pk=sent_report.pk).status == UnitReportStatus.RETURNED


def test_only_the_writing_unit_sends_its_report(world, client_for, published, package):
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    send = url("unit_report_send", report.pk)
    assert client_for(world.dept_officer).post(send).status_code == 403
    assert client_for(world.office_b_officer).post(send).status_code == 404
    assert UnitReport.objects.get(pk=report.pk).status == UnitReportStatus.DRAFT
    message = refusal(UnitReport, world.dept_officer, Action.WRITE_REPORTS, report)
    assert message == "Only the unit that writes a report sends it."
    confirm = {"send-missing": [world.school_a2.pk], "send-confirm": "on"}  # A2 has not sent
    assert client_for(world.office_officer).post(send, confirm).status_code == 302
    assert UnitReport.objects.get(pk=report.pk).status == UnitReportStatus.SUBMITTED


def test_review_buttons_show_only_to_the_recipient(world, client_for, sent_report, package):
    detail = url("report_detail", sent_report.pk)
    accept = url("report_accept", sent_report.pk)
    assert accept in client_for(world.dept_officer).get(detail).content.decode()
    assert accept not in client_for(world.office_officer).get(detail).content.decode()
    package_accept = url("package_accept", package.pk)
    page = client_for(world.dept_officer).get(url("package_detail", package.pk))
    assert page.status_code == 200 and package_accept not in page.content.decode()
