"""The demo province's training campaigns: the 2458 letter this year, last year's closed."""

from __future__ import annotations

import datetime as dt

import pytest

from thuvien.organisations import demo
from thuvien.organisations.models import Membership, Role
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    Enrolment,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)

NOVEMBER, MARCH = dt.date(2026, 11, 21), dt.date(2027, 3, 20)


def _build(today: dt.date) -> None:
    demo.build_province(24, seed=2025, today=today)


def _statuses(campaign: Campaign) -> list[str]:
    return list(Enrolment.objects.filter(campaign=campaign).values_list("report_status", flat=True))


@pytest.mark.parametrize("today", [NOVEMBER, MARCH])
def test_current_campaign_enrols_every_librarian(db, today):
    _build(today)
    current = Campaign.objects.get(school_year=2026)
    assert current.status == CampaignStatus.PUBLISHED
    assert (current.number, current.symbol, current.place) == (2458, "SGDĐT-KHTC", demo.PROVINCE)
    assert current.topics.count() == 5 and current.milestones.count() == 5
    assert current.topic_lock_date() == dt.date(2027, 1, 15)
    assert current.school_deadline == dt.date(2027, 4, 10)
    assert current.office_deadline == dt.date(2027, 4, 20)
    assert 2 <= current.materials.count() <= 3
    targets = set(
        Membership.objects.current(today)
        .filter(role__in=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN])
        .values_list("user", flat=True)
    )
    enrolled = set(
        Enrolment.objects.filter(campaign=current).current().values_list("user", flat=True)
    )
    assert targets and enrolled == targets


@pytest.mark.parametrize("today", [NOVEMBER, MARCH])
def test_last_years_campaign_is_closed_and_fully_evaluated(db, today):
    _build(today)
    previous = Campaign.objects.get(school_year=2025)
    assert previous.status == CampaignStatus.CLOSED
    statuses = _statuses(previous)
    assert statuses and set(statuses) == {ReportStatus.EVALUATED}


def test_in_november_nothing_is_dated_after_today(db):
    _build(NOVEMBER)
    current = Campaign.objects.get(school_year=2026)
    assert set(_statuses(current)) <= {ReportStatus.NOT_STARTED}
    assert Enrolment.objects.filter(campaign=current, topic__isnull=False).exists()
    assert not SchoolPackage.objects.filter(campaign=current).exists()
    assert not UnitReport.objects.exists()


def test_in_march_records_are_at_every_stage(db):
    _build(MARCH)
    current = Campaign.objects.get(school_year=2026)
    statuses = _statuses(current)
    for status in ReportStatus.values:
        assert status in statuses, status
    returned = Enrolment.objects.get(campaign=current, report_status=ReportStatus.RETURNED)
    assert returned.return_comment
    submitted = Enrolment.objects.filter(campaign=current, submitted_at__isnull=False)
    latest = max(submitted.values_list("submitted_at", flat=True))
    assert latest.date() <= MARCH
    package = SchoolPackage.objects.get(campaign=current)
    assert package.status == PackageStatus.ACCEPTED
    assert package.submitted_to == package.school.parent


def test_in_march_one_office_report_is_with_the_department(db):
    _build(MARCH)
    current = Campaign.objects.get(school_year=2026)
    package = SchoolPackage.objects.get(campaign=current)
    report = UnitReport.objects.get(campaign=current)
    assert report.unit == package.submitted_to and report.unit.kind == "office"
    assert report.status == UnitReportStatus.SUBMITTED
    assert report.submitted_to == report.unit.parent and report.submitted_to.kind == "department"
    assert package.submitted_at < report.submitted_at
    assert report.submitted_at.date() <= MARCH and not report.is_late
    assert report.results and report.number == 15 and report.symbol == "BC-PGDĐT"


def test_the_same_seed_gives_the_same_records(db):
    _build(MARCH)
    first = sorted(
        Enrolment.objects.values_list("user__username", "report_status", "topic__title", "grade")
    )
    first_reports = list(UnitReport.objects.values_list("unit__name", "status", "submitted_at"))
    demo.clear_demo_data()  # the training rows too (clear_training_data)
    assert not Campaign.objects.exists() and not UnitReport.objects.exists()
    _build(MARCH)
    again = sorted(
        Enrolment.objects.values_list("user__username", "report_status", "topic__title", "grade")
    )
    assert first == again
    assert first_reports == list(
        UnitReport.objects.values_list("unit__name", "status", "submitted_at")
    )
