"""The demo province's training campaigns, whatever the day `seed_demo` runs: this school year's
2458 letter well under way (every stage visible), last school year's closed with nothing pending."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import pairwise

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from thuvien.access import resolve_scope
from thuvien.organisations import demo
from thuvien.organisations.models import Membership, Role, Unit, UnitKind, current_school_year
from thuvien.training import dashboard
from thuvien.training.demo import campaign as demo_campaign
from thuvien.training.demo import seed_training
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    Enrolment,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    StudyNote,
    UnitReport,
    UnitReportStatus,
)

NOVEMBER, APRIL = dt.date(2026, 11, 22), dt.date(2027, 4, 15)


@pytest.fixture(scope="module", params=[NOVEMBER, APRIL], ids=["november", "april"])
def seeded(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo province seeded as on a day in November or in April, built once for the tests of
    this module (about ten seconds each) and rolled back after them."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        demo.build_province(24, seed=2025, today=request.param)
        yield request.param
        transaction.set_rollback(True)


@pytest.fixture
def today(seeded, db):
    return seeded


def _campaigns(today: dt.date) -> tuple[Campaign, Campaign, Unit]:
    year = current_school_year(today)
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    current = Campaign.objects.get(issuer=department, school_year=year)
    previous = Campaign.objects.get(issuer=department, school_year=year - 1)
    return current, previous, department


def _progress(campaign: Campaign, department: Unit, today: dt.date) -> dashboard.Progress:
    admin = Membership.objects.get(unit=department, role=Role.DEPARTMENT_ADMIN).user
    return dashboard.progress(campaign, department, resolve_scope(admin, None), today)


def _local_day(moment: dt.datetime | None) -> dt.date:
    assert moment is not None
    return timezone.localdate(moment)


def _rows() -> dict[str, int]:
    models = (Campaign, Enrolment, StudyNote, SchoolPackage, UnitReport)
    return {model.__name__: model.objects.count() for model in models}


def test_this_years_campaign_is_well_under_way(today):
    current, _previous, _department = _campaigns(today)
    assert current.status == CampaignStatus.PUBLISHED
    assert (current.number, current.symbol, current.place) == (2458, "SGDĐT-KHTC", demo.PROVINCE)
    assert current.topics.count() == 5 and current.materials.count() == 3
    assert current.report_guidance and current.guidance_published_at is not None
    assert 120 <= (today - current.issued_on).days <= 155  # four to five months ago
    milestones = list(current.milestones.order_by("order"))
    assert len(milestones) == 5 and all(25 <= (m.end - m.start).days <= 32 for m in milestones)
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in pairwise(milestones))
    assert current.topic_lock_date() == milestones[1].start
    assert milestones[-1].end == current.school_deadline
    assert today - dt.timedelta(days=7) <= current.school_deadline < today
    assert today < current.office_deadline <= today + dt.timedelta(days=14)
    targets = set(
        Membership.objects.current(today)
        .filter(role__in=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN])
        .values_list("user", flat=True)
    )
    enrolled = set(Enrolment.objects.filter(campaign=current).values_list("user", flat=True))
    assert targets and enrolled == targets


def test_people_are_at_every_stage_and_nothing_is_dated_after_today(today):
    current, _previous, _department = _campaigns(today)
    records = list(Enrolment.objects.filter(campaign=current))
    statuses = Counter(record.report_status for record in records)
    assert statuses[ReportStatus.NOT_STARTED] > 0
    assert statuses[ReportStatus.DRAFT] > 0
    assert statuses[ReportStatus.SUBMITTED] > 0 and statuses[ReportStatus.EVALUATED] > 0
    handed_in = [r for r in records if r.report_status in ("submitted", "evaluated")]
    assert any(not r.is_late for r in handed_in) and any(r.is_late for r in handed_in)
    assert all(_local_day(r.submitted_at) <= today for r in handed_in)
    returned = [r for r in records if r.report_status == ReportStatus.RETURNED]
    assert len(returned) == 1 and returned[0].return_comment
    assert any(r.extended_until and r.extended_until > current.school_deadline for r in records)
    evaluated = [r for r in records if r.report_status == ReportStatus.EVALUATED]
    assert all(r.grade and r.evaluated_by_id for r in evaluated)
    assert all(r.submitted_at < r.evaluated_at for r in evaluated)
    assert all(_local_day(r.evaluated_at) <= today for r in evaluated)
    notes = StudyNote.objects.filter(enrolment__campaign=current)
    if today <= timezone.localdate():  # a note cannot be dated after the real today
        assert notes.exists()
    assert all(note.date <= min(today, timezone.localdate()) for note in notes)
    # Audited: each step is in the records' history.
    history = Enrolment.history.filter(campaign=current)
    assert history.filter(report_status=ReportStatus.RETURNED).exists()
    assert history.filter(report_status=ReportStatus.EVALUATED).exists()


def test_packages_and_the_office_report_are_at_every_stage(today):
    current, _previous, department = _campaigns(today)
    packages = list(SchoolPackage.objects.filter(campaign=current).select_related("school"))
    statuses = Counter(package.status for package in packages)
    assert statuses[PackageStatus.RETURNED] == 1 and statuses[PackageStatus.ACCEPTED] >= 2
    returned = next(p for p in packages if p.status == PackageStatus.RETURNED)
    assert returned.return_comment and returned.submitted_to.kind == UnitKind.OFFICE
    assert SchoolPackage.history.filter(id=returned.pk, status=PackageStatus.RETURNED).exists()
    assert any(package.is_late for package in packages)
    assert all(_local_day(package.submitted_at) <= today for package in packages)
    thpt = next(p for p in packages if p.submitted_to == department)
    assert thpt.school.parent == department and thpt.school.name.startswith("Trường THPT")
    assert thpt.status == PackageStatus.SUBMITTED
    report = UnitReport.objects.get(campaign=current)
    assert report.unit.kind == UnitKind.OFFICE and report.status == UnitReportStatus.SUBMITTED
    assert report.submitted_to == department and not report.is_late
    assert current.school_deadline < _local_day(report.submitted_at) <= today
    received = SchoolPackage.objects.filter(campaign=current, submitted_to=report.unit)
    assert received and {p.status for p in received} == {PackageStatus.ACCEPTED}
    assert all(p.submitted_at < report.submitted_at for p in received)
    assert report.results and report.number == 15 and report.symbol == "BC-VHXH"
    assert UnitReport.history.filter(id=report.pk, status=UnitReportStatus.SUBMITTED).exists()

    progress = _progress(current, department, today)
    totals = progress.totals
    assert totals.expected == Enrolment.objects.filter(campaign=current).count()
    assert totals.late > 0 and totals.on_time > 0 and totals.missing > 0 and totals.evaluated > 0
    groups = dashboard.pending_groups(progress.pending[0 : len(progress.pending)])
    assert [s.name for s in groups.returned] == [returned.school.name]
    assert groups.not_sent and groups.offices
    assert report.unit.name not in {office.name for office in groups.offices}
    assert thpt.school.name not in {school.name for school in groups.not_sent}


def test_last_years_campaign_is_closed_with_nothing_pending(today):
    _current, previous, department = _campaigns(today)
    assert previous.status == CampaignStatus.CLOSED
    assert previous.school_deadline == dt.date(previous.school_year + 1, 4, 10)
    statuses = set(
        Enrolment.objects.filter(campaign=previous).values_list("report_status", flat=True)
    )
    assert statuses == {ReportStatus.EVALUATED}
    packages = SchoolPackage.objects.filter(campaign=previous)
    assert packages and set(packages.values_list("status", flat=True)) == {PackageStatus.ACCEPTED}
    reports = UnitReport.objects.filter(campaign=previous)
    offices = reports.exclude(unit=department)
    assert offices and set(offices.values_list("status", flat=True)) == {UnitReportStatus.ACCEPTED}
    assert reports.get(unit=department).status == UnitReportStatus.FINAL
    assert all(not r.is_late for r in offices)

    progress = _progress(previous, department, today)
    assert len(progress.pending) == 0 and not progress.pending
    totals = progress.totals
    assert totals.expected == totals.submitted == totals.evaluated > 0
    assert totals.missing == 0 and totals.late > 0
    assert all(row.submission and row.submission.status != "not_sent" for row in progress.rows)


def test_seeding_again_adds_nothing(today):
    before = _rows()
    seed_training(today, seed=2025)
    assert _rows() == before


# Clearing and seeding again is the same code whatever the day: once, in April, is enough.
@pytest.mark.parametrize("seeded", [APRIL], indirect=True, ids=["april"])
def test_the_same_seed_gives_the_same_records_and_reset_clears_them(today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fields = ("user__username", "campaign__school_year", "report_status", "topic__title", "grade")
    first = sorted(Enrolment.objects.values_list(*fields))
    first_reports = sorted(UnitReport.objects.values_list("unit__name", "status", "submitted_at"))
    demo.clear_demo_data()  # the training rows too (clear_training_data)
    assert not Campaign.objects.exists() and not UnitReport.objects.exists()
    assert not Enrolment.history.exists()
    demo.build_province(24, seed=2025, today=today)
    assert sorted(Enrolment.objects.values_list(*fields)) == first
    assert sorted(UnitReport.objects.values_list("unit__name", "status", "submitted_at")) == (
        first_reports
    )


@pytest.mark.parametrize("month", range(1, 13))
def test_the_calendars_fit_any_day_of_the_year(month):
    """Every day: last year's campaign ends before this year's starts, five milestones of at
    least ten days in a row, the school deadline just passed and the office deadline ahead."""
    for day in range(1, 29):
        today = dt.date(2027, month, day)
        year = current_school_year(today)
        previous = demo_campaign.letter_timeline(year - 1)
        not_before = previous.office_deadline + dt.timedelta(days=30)
        current = demo_campaign.current_timeline(today, not_before=not_before)
        assert previous.office_deadline < current.published < current.milestones[0][0]
        starts = [start for start, _end in current.milestones]
        ends = [end for _start, end in current.milestones]
        assert all(
            end + dt.timedelta(days=1) == start
            for end, start in zip(ends, starts[1:], strict=False)
        )
        assert all((end - start).days >= 9 for start, end in current.milestones)
        assert ends[-1] == current.school_deadline < today < current.office_deadline
