"""The office's screens: its schools' status, a school's package, the aggregate report and, for the
department, the offices' reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.training.conftest import D, at
from tests.training.test_unit_reports import send_a1
from thuvien.core.testing import OUTSIDER_MARK
from thuvien.organisations import services as organisations
from thuvien.training.models import PackageStatus, SchoolPackage, UnitReport, UnitReportStatus
from thuvien.training.services import reports


@pytest.fixture
def client_for(client_for):
    """Pages in English, so the tests read the English messages."""

    def make(user):
        client = client_for(user)
        client.cookies["thuvien_language"] = "en"
        return client

    return make


def url(name, *args):
    return reverse(f"training:{name}", args=args)


@pytest.fixture
def package(world, published):
    return send_a1(world, published)


@pytest.fixture
def sent_report(world, published, package):
    report = reports.prepare_unit_report(
        published, world.office, by=world.office_officer, results="Hoàn thành kế hoạch."
    )
    return reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 18))


# --- The office page ---------------------------------------------------------------------------


def test_office_page_shows_its_schools_only(world, client_for, published, package):
    response = client_for(world.office_officer).get(url("office_page", published.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.school.name in body and world.school_a2.name in body
    assert world.thpt.name not in body and OUTSIDER_MARK not in body
    assert url("package_detail", package.pk) in body
    assert 'hx-trigger="every 30s"' in body


def test_office_page_htmx_answers_the_schools_fragment(world, client_for, published, package):
    client = client_for(world.office_officer)
    response = client.get(url("office_page", published.pk), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<section id="office-schools"')
    assert world.school.name in body


def test_department_page_shows_its_direct_schools_and_offices_reports(
    world, client_for, published, sent_report
):
    body = client_for(world.dept_officer).get(url("office_page", published.pk)).content.decode()
    assert world.thpt.name in body and world.school_a2.name not in body
    assert url("report_detail", sent_report.pk) in body


def test_office_page_refuses_others(world, client, client_for, published):
    target = url("office_page", published.pk)
    assert client.get(target)["Location"].startswith("/accounts/login/")
    assert client_for(world.office_officer).post(target).status_code == 405
    for user in (world.principal, world.librarian, world.reader, world.trainer):
        assert client_for(user).get(target).status_code == 403
    office_a_campaign = UnitReport.objects.get(unit=world.office).campaign  # from the world
    assert (
        client_for(world.office_b_officer).get(url("office_page", office_a_campaign.pk)).status_code
        == 404
    )


# --- A school's package ------------------------------------------------------------------------


def test_package_detail_shows_the_evaluations(world, client_for, package):
    response = client_for(world.office_officer).get(url("package_detail", package.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.librarian.full_name in body and world.teacher_librarian.full_name in body
    assert "Good" in body and "A1" in body
    assert url("package_accept", package.pk) in body


def test_package_is_out_of_reach_of_other_offices_and_schools(world, client_for, package):
    target = url("package_detail", package.pk)
    assert client_for(world.office_b_officer).get(target).status_code == 404
    assert client_for(world.outsider).get(target).status_code == 403
    assert client_for(world.principal).get(target).status_code == 403
    assert (
        client_for(world.office_b_officer).post(url("package_accept", package.pk)).status_code
        == 404
    )


def test_the_department_sees_an_office_package_but_does_not_review_it(world, client_for, package):
    client = client_for(world.dept_officer)
    response = client.get(url("package_detail", package.pk))
    assert response.status_code == 200
    assert url("package_accept", package.pk) not in response.content.decode()
    assert client.post(url("package_accept", package.pk)).status_code == 403
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.SUBMITTED


def test_return_needs_a_comment(world, client_for, package):
    client = client_for(world.office_officer)
    response = client.post(url("package_return", package.pk), {"comment": ""})
    assert response.status_code == 422
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.SUBMITTED
    response = client.post(url("package_return", package.pk), {"comment": "Thiếu nhận xét."})
    assert response.status_code == 302
    package.refresh_from_db()
    assert (package.status, package.return_comment, package.reviewed_by) == (
        PackageStatus.RETURNED, "Thiếu nhận xét.", world.office_officer,
    )  # fmt: skip


def test_accept_then_accept_again_says_why(world, client_for, package):
    client = client_for(world.office_officer)
    assert client.post(url("package_accept", package.pk)).status_code == 302
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.ACCEPTED
    response = client.post(url("package_accept", package.pk), follow=True)
    assert "cannot become" in response.content.decode()
    assert client.get(url("package_accept", package.pk)).status_code == 405


def test_a_moved_school_package_stays_with_the_office_that_received_it(
    world, client_for, published
):
    package = send_a1(world, published, on=at(2026, 4, 9))
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 4, 15))
    old, new = client_for(world.office_officer), client_for(world.office_b_officer)
    assert old.get(url("package_detail", package.pk)).status_code == 200
    assert world.school.name in old.get(url("office_page", published.pk)).content.decode()
    assert world.school.name not in new.get(url("office_page", published.pk)).content.decode()
    assert new.post(url("package_accept", package.pk)).status_code == 403
    assert old.post(url("package_accept", package.pk)).status_code == 302
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.ACCEPTED


# --- The aggregate report ----------------------------------------------------------------------


def test_report_page_saves_the_narrative(world, client_for, published, package):
    client = client_for(world.office_officer)
    page = client.get(url("unit_report", published.pk))
    assert page.status_code == 200 and world.school.name in page.content.decode()
    response = client.post(
        url("unit_report", published.pk),
        {
            "number": "15",
            "symbol": "BC-PGDĐT",
            "results": "Đạt",
            "limitations": "",
            "proposals": "Tập huấn",
        },
    )
    assert response.status_code == 302
    report = UnitReport.objects.get(campaign=published, unit=world.office)
    assert (report.number, report.symbol, report.results, report.proposals) == (
        15, "BC-PGDĐT", "Đạt", "Tập huấn",
    )  # fmt: skip
    body = client.get(url("unit_report", published.pk)).content.decode()
    assert url("unit_report_pdf", report.pk) in body and url("unit_report_send", report.pk) in body


def test_report_page_answers_422_with_what_to_fix(world, client_for, published):
    response = client_for(world.office_officer).post(
        url("unit_report", published.pk), {"symbol": "PGDĐT"}
    )
    assert response.status_code == 422
    assert "starts with “BC-”" in response.content.decode()
    assert not UnitReport.objects.filter(campaign=published, unit=world.office).exists()


def test_send_goes_to_the_department(world, client_for, published, package):
    client = client_for(world.office_officer)
    client.post(url("unit_report", published.pk), {"results": "Đạt"})
    report = UnitReport.objects.get(campaign=published, unit=world.office)
    # A2 has not sent its package: the report goes once the office confirms it, naming A2.
    confirm = {"send-missing": [world.school_a2.pk], "send-confirm": "on"}
    assert client.post(url("unit_report_send", report.pk), confirm).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.submitted_to) == (UnitReportStatus.SUBMITTED, world.department)
    again = client.post(url("unit_report_send", report.pk), follow=True)
    assert "already sent" in again.content.decode()
    assert "Results" in again.content.decode()  # read-only now


def test_send_with_nothing_received_says_so(world, client_for, published):
    client = client_for(world.office_officer)
    client.post(url("unit_report", published.pk), {"results": "Đạt"})
    report = UnitReport.objects.get(campaign=published, unit=world.office)
    response = client.post(url("unit_report_send", report.pk), follow=True)
    assert "No school package has been received" in response.content.decode()
    assert UnitReport.objects.get(pk=report.pk).status == UnitReportStatus.DRAFT


def test_the_department_finalises_its_own_report(world, client_for, published):
    client = client_for(world.dept_officer)
    assert (
        "Finalise the report" not in client.get(url("unit_report", published.pk)).content.decode()
    )
    client.post(url("unit_report", published.pk), {"results": "Toàn tỉnh hoàn thành."})
    report = UnitReport.objects.get(campaign=published, unit=world.department)
    body = client.get(url("unit_report", published.pk)).content.decode()
    assert "Finalise the report" in body and world.office.name in body  # by unit
    # Nothing has reached the Sở: it confirms the offices and the THPT school by name first.
    missing = [world.office.pk, world.office_b.pk, world.thpt.pk]
    data = {"send-missing": missing, "send-confirm": "on"}
    assert client.post(url("unit_report_send", report.pk), data).status_code == 302
    assert UnitReport.objects.get(pk=report.pk).status == UnitReportStatus.FINAL


def test_only_the_writing_unit_sends_its_report(world, client_for, published, package):
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    assert (
        client_for(world.dept_officer).post(url("unit_report_send", report.pk)).status_code == 403
    )
    assert (
        client_for(world.office_b_officer).post(url("unit_report_send", report.pk)).status_code
        == 404
    )


# --- The department reviews the offices' reports ---------------------------------------------


def test_department_returns_with_a_comment_then_accepts(world, client_for, sent_report):
    client = client_for(world.dept_officer)
    page = client.get(url("report_detail", sent_report.pk))
    assert page.status_code == 200 and "Hoàn thành kế hoạch." in page.content.decode()
    assert client.post(url("report_return", sent_report.pk), {"comment": " "}).status_code == 422
    assert (
        client.post(url("report_return", sent_report.pk), {"comment": "Bổ sung."}).status_code
        == 302
    )
    sent_report.refresh_from_db()
    assert (sent_report.status, sent_report.return_comment) == (
        UnitReportStatus.RETURNED,
        "Bổ sung.",
    )
    reports.submit_unit_report(sent_report, by=world.office_officer)
    assert client.post(url("report_accept", sent_report.pk)).status_code == 302
    assert UnitReport.objects.get(pk=sent_report.pk).status == UnitReportStatus.ACCEPTED


def test_reports_are_scoped(world, client, client_for, sent_report):
    detail = url("report_detail", sent_report.pk)
    assert client.get(detail)["Location"].startswith("/accounts/login/")
    assert client_for(world.office_b_officer).get(detail).status_code == 404
    for user in (world.principal, world.librarian, world.outsider):
        assert client_for(user).get(detail).status_code == 403
    own = client_for(world.office_officer)
    assert own.get(detail).status_code == 200
    assert own.post(url("report_accept", sent_report.pk)).status_code == 403
    assert own.post(url("report_return", sent_report.pk), {"comment": "x"}).status_code == 403
    assert UnitReport.objects.get(pk=sent_report.pk).status == UnitReportStatus.SUBMITTED
