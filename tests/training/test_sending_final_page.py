"""The Sở's final report page names the offices (and the schools directly under it) that have
not sent, above the Finalise button, and finalises only once the box naming them is ticked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.training.conftest import at
from tests.training.test_unit_reports import send_a1
from thuvien.training.models import UnitReport, UnitReportStatus
from thuvien.training.services import reports


def url(name, *args):
    return reverse(f"training:{name}", args=args)


@pytest.fixture
def dept(client_for, world):
    client = client_for(world.dept_officer)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def final_report(world, published):
    return reports.prepare_unit_report(published, world.department, by=world.dept_officer)


@pytest.fixture
def office_report(world, published):
    send_a1(world, published)
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    return reports.submit_unit_report(
        report, by=world.office_officer, on=at(2026, 4, 18), not_sent=[world.school_a2.pk]
    )


def status(report):
    return UnitReport.objects.get(pk=report.pk).status


def test_the_page_names_the_units_not_sent_before_the_button(
    dept, world, published, office_report, final_report
):
    body = dept.get(url("unit_report", published.pk)).content.decode()
    warning = body.index('id="report-unsent-schools"')
    names = body[warning : body.index("Finalise the report", warning)]
    assert "2 units have not sent their report or package" in names
    assert world.office_b.name in names and world.thpt.name in names
    assert world.office.name not in names  # its report is with the Sở
    assert 'name="send-confirm"' in names and "finalise the report without" in names
    form = body[body.rindex("<form", 0, warning) : warning]
    assert "data-confirm" not in form  # the box asks, not a dialog after the click


def test_without_the_box_the_report_stays_a_draft(dept, world, office_report, final_report):
    data = {"send-missing": [world.office_b.pk, world.thpt.pk]}
    response = dept.post(url("unit_report_send", final_report.pk), data)
    assert response.status_code == 422 and "Tick the box to confirm" in response.content.decode()
    assert status(final_report) == UnitReportStatus.DRAFT


def test_with_the_box_the_report_is_final(dept, world, office_report, final_report):
    data = {"send-missing": [world.office_b.pk, world.thpt.pk], "send-confirm": "on"}
    assert dept.post(url("unit_report_send", final_report.pk), data).status_code == 302
    assert status(final_report) == UnitReportStatus.FINAL


def test_a_box_ticked_for_an_old_list_is_refused_with_the_new_names(
    dept, world, office_report, final_report
):
    data = {"send-missing": [world.office_b.pk, world.thpt.pk], "send-confirm": "on"}
    reports.return_unit_report(office_report, by=world.dept_officer, comment="Bổ sung.")
    response = dept.post(url("unit_report_send", final_report.pk), data, follow=True)
    body = response.content.decode()
    assert "finalised without these units" in body and world.office.name in body
    assert status(final_report) == UnitReportStatus.DRAFT


def test_an_officer_sending_the_offices_report_sees_no_final_wording(client_for, world, published):
    send_a1(world, published)
    reports.prepare_unit_report(published, world.office, by=world.office_officer)
    client = client_for(world.office_officer)
    client.cookies["thuvien_language"] = "en"
    body = client.get(url("unit_report", published.pk)).content.decode()
    assert "1 school has not sent its package" in body and "finalise" not in body.lower()
