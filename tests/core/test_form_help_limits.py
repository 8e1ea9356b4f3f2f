"""Limits with a clear message hold in the services, not only in the forms (issue 9): the comment
returning an aggregate report (2,000 characters), its sections and a school's summary (20,000)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.training.conftest import PUBLISHED_ON, at, make_campaign
from tests.training.test_unit_reports import send_a1
from thuvien.core.form_help import COMMENT_MAX_CHARS, SECTION_MAX_CHARS
from thuvien.training import services
from thuvien.training.models import SchoolPackage, UnitReport, UnitReportStatus
from thuvien.training.services import reports
from thuvien.training.services.common import TrainingError


@pytest.fixture
def published(world):
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    return campaign


@pytest.fixture
def sent_report(world, published):
    send_a1(world, published)
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    return reports.submit_unit_report(
        report, by=world.office_officer, on=at(2026, 4, 18), not_sent=[world.school_a2.pk]
    )


def test_the_service_refuses_an_oversize_return_comment_and_keeps_the_report(world, sent_report):
    with translation.override("vi"), pytest.raises(TrainingError) as refused:
        reports.return_unit_report(
            sent_report, by=world.dept_officer, comment="x" * (COMMENT_MAX_CHARS + 1)
        )
    assert "2.000" in str(refused.value) and "2.001" in str(refused.value)
    assert UnitReport.objects.get(pk=sent_report.pk).status == UnitReportStatus.SUBMITTED
    reports.return_unit_report(sent_report, by=world.dept_officer, comment="x" * COMMENT_MAX_CHARS)
    assert UnitReport.objects.get(pk=sent_report.pk).status == UnitReportStatus.RETURNED


def test_the_return_form_says_it_at_the_field(client_for, world, sent_report):
    client = client_for(world.dept_officer)
    client.cookies["thuvien_language"] = "en"
    data = {"comment": "x" * (COMMENT_MAX_CHARS + 1)}
    response = client.post(reverse("training:report_return", args=[sent_report.pk]), data)
    assert response.status_code == 422
    assert "At most 2,000 characters, you typed 2,001" in response.content.decode()


@pytest.mark.parametrize("section", ["results", "limitations", "proposals"])
def test_the_service_refuses_an_oversize_report_section(world, published, section):
    with pytest.raises(TrainingError, match=r"20\.001"):
        reports.prepare_unit_report(
            published,
            world.office,
            by=world.office_officer,
            **{section: "x" * (SECTION_MAX_CHARS + 1)},
        )
    assert not UnitReport.objects.filter(campaign=published, unit=world.office).exists()


def test_the_report_form_says_it_at_the_field(client_for, world, published):
    client = client_for(world.office_officer)
    client.cookies["thuvien_language"] = "en"
    data = {"results": "x" * (SECTION_MAX_CHARS + 1)}
    response = client.post(reverse("training:unit_report", args=[published.pk]), data)
    body = response.content.decode()
    assert response.status_code == 422 and 'id="id_results_error"' in body
    assert "At most 20,000 characters, you typed 20,001" in body


def test_the_service_refuses_an_oversize_school_summary(world, published):
    with pytest.raises(TrainingError, match=r"20\.001"):
        services.prepare_school_package(
            published, world.school, summary="x" * (SECTION_MAX_CHARS + 1)
        )
    assert not SchoolPackage.objects.filter(campaign=published, school=world.school).exists()
    package = services.prepare_school_package(
        published, world.school, summary="x" * SECTION_MAX_CHARS
    )
    assert len(package.summary) == SECTION_MAX_CHARS
