"""The yearly self-assessment on the named world: indicators worked out by hand, the result rules,
every step from the library to the recognition, and the bad requests refused with nothing written.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.training.conftest import PUBLISHED_ON, at, make_campaign
from thuvien.core import indicators
from thuvien.notifications.models import Notification
from thuvien.standards import results, services
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    Evidence,
    LibraryProfile,
    Recognition,
    Tier,
)
from thuvien.training import services as training
from thuvien.training.models import Enrolment

YEAR = 2025  # the world's school-year figures (620 students at school A1)
TODAY = timezone.localdate()


def values_of(assessment):
    return {v.criterion.code: v for v in assessment.values.select_related("criterion")}


# --- indicators, by hand ------------------------------------------------------------------------


def test_the_profile_indicators_are_the_profile_and_the_students(world):
    services.save_profile(
        world.school,
        year=YEAR,
        reading_room_m2=Decimal("40.5"),
        stack_m2=Decimal(20),
        other_m2=Decimal(10),
        open_space_m2=Decimal(30),  # not counted in the area (TT 16)
        reading_rooms=2,
        seats=45,
    )
    schools = [world.school.pk, world.school_a2.pk]
    assert indicators.values("total_area_m2", schools, YEAR) == {world.school.pk: Decimal("70.5")}
    # 70.5 m² / 620 students = 0.1137… → 0.11
    assert indicators.values("area_m2_per_student", schools, YEAR) == {
        world.school.pk: Decimal("0.11")
    }
    assert indicators.values("reading_rooms", schools, YEAR) == {world.school.pk: Decimal(2)}
    assert indicators.values("reading_seats", schools, YEAR) == {world.school.pk: Decimal(45)}
    assert indicators.values("total_area_m2", schools, YEAR + 1) == {}


def test_the_training_indicators_count_people_evaluated_and_passed(world):
    campaign = make_campaign(world)  # school year 2025
    training.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    for user, grade in ((world.librarian, "good"), (world.teacher_librarian, "fail")):
        record = Enrolment.objects.get(campaign=campaign, user=user)
        training.choose_topic(record, campaign.topics.first(), on=dt.date(2026, 1, 1))
        training.submit_report(record, on=at(2026, 4, 1))
        training.evaluate(record, by=world.principal, grade=grade)
    schools = [world.school.pk, world.school_a2.pk, world.thpt.pk]
    assert indicators.values("staff_self_training_evaluated", schools, YEAR) == {
        world.school.pk: Decimal(2)
    }
    assert indicators.values("staff_self_training_passed", schools, YEAR) == {
        world.school.pk: Decimal(1)
    }
    assert indicators.values("staff_self_training_passed", schools, YEAR + 1) == {}
    from thuvien.access import resolve_scope

    rows = indicators.rows(
        "staff_self_training_passed", world.school.pk, YEAR, resolve_scope(world.principal, None)
    )
    assert [row.label for row in rows] == [world.librarian.full_name]


# --- which criteria, and the result -------------------------------------------------------------


def test_a_school_is_assessed_on_its_tiers_criteria(world, window):
    primary = services.start_assessment(window, world.school)
    assert primary.tier == Tier.PRIMARY
    assert set(values_of(primary)) == {
        "TH.TNTT.1.copies",
        "TH.TNTT.1.copies.teacher",
        "TH.HDTV.1",
        "ALL.QLTV.software",
    }
    thpt = services.start_assessment(window, world.thpt)
    assert "THPT.TNTT.1.b" in values_of(thpt) and "THCS.TNTT.1.b" not in values_of(thpt)
    assert services.start_assessment(window, world.school).pk == primary.pk  # once


def test_a_multi_tier_school_borrows_its_highest_tiers_criteria_where_it_has_none(world, tt16):
    levels = list(tt16.levels.all())
    criteria = list(tt16.criteria.all())
    chosen = {
        c.code for c in results.applicable(criteria, levels, Tier.MULTI_TIER, Tier.UPPER_SECONDARY)
    }
    assert {"NC.HDTV.1", "NC.HDTV.2", "THPT.TNTT.1.b", "TRH.TNTT.1.a"} <= chosen
    assert "TRH.HDTV.1" not in chosen  # the multi-tier HDTV criterion stands instead
    assert "THCS.TNTT.1.b" not in chosen


def test_the_level_is_reached_when_every_group_meets_it_and_the_gaps_say_what_is_missing(
    world, window
):
    assessment = services.start_assessment(window, world.thpt)
    rows = values_of(assessment)
    entries = {v.criterion_id: (None, True, "") for v in rows.values()}
    entries[rows["THPT.TNTT.1.b"].criterion_id] = (Decimal("4.5"), None, "")  # < 5 copies
    entries[rows["THPT.TNTT.1.b.teacher"].criterion_id] = (Decimal(1), None, "")
    services.save_values(assessment, entries)
    result = results.result_of(Assessment.objects.get(pk=assessment.pk))
    assert result.reached is None
    assert [gap.criterion.code for gap in result.gaps] == ["THPT.TNTT.1.b"]
    entries[rows["THPT.TNTT.1.b"].criterion_id] = (Decimal(5), None, "")
    services.save_values(assessment, entries)
    result = results.result_of(Assessment.objects.get(pk=assessment.pk))
    # Mức 1 needs every group to have a criterion: CSVC and TBCD have none for THPT in the text.
    assert result.reached is None
    assert {level.code for level in result.incomplete} == {"muc1", "muc2"}


# --- the steps ------------------------------------------------------------------------------------


def test_from_the_library_to_the_recognition(world, window):
    assessment = services.start_assessment(window, world.thpt)
    rows = values_of(assessment)
    services.save_profile(world.thpt, year=YEAR, reading_room_m2=Decimal(100))
    services.save_values(
        assessment, {v.criterion_id: (Decimal(6), True, "Sổ đăng ký") for v in rows.values()}
    )
    services.submit(assessment, by=world.thpt_librarian)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and not assessment.editable
    with pytest.raises(services.AssessmentError, match=r"không thể nộp lại"):
        services.submit(assessment, by=world.thpt_librarian)
    with pytest.raises(services.AssessmentError, match=r"không thể thay đổi"):
        services.save_values(assessment, {})
    services.approve(assessment, by=None)  # the world's THPT has no principal; views check roles
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SENT
    assert assessment.sent_to == world.department  # a THPT: the Sở recognises it
    told = Notification.objects.filter(kind="standards.sent", recipient=world.dept_officer)
    assert told.count() == 1
    muc1 = window.framework_version.levels.get(code="muc1")
    recognition = services.recognise(
        assessment,
        by=world.dept_officer,
        level=muc1,
        decision_number="15/QĐ-SGDĐT",
        decided_on=dt.date(2026, 6, 30),
    )
    assert recognition.valid_until == dt.date(2031, 6, 30)  # five years
    assert Recognition.objects.get(school=world.thpt).level == muc1
    with pytest.raises(services.AssessmentError, match=r"Đã công nhận"):
        services.return_for_changes(assessment, by=world.dept_officer, comment="Sửa")


def test_a_primary_school_is_sent_to_its_office_and_can_come_back(world, window):
    assessment = services.start_assessment(window, world.school)
    services.submit(assessment, by=world.librarian)
    assert Notification.objects.filter(
        kind="standards.submitted", recipient=world.principal
    ).exists()
    services.approve(assessment, by=world.principal)
    assessment.refresh_from_db()
    assert assessment.sent_to == world.office
    services.return_for_changes(
        assessment, by=world.office_officer, comment="Bổ sung minh chứng", check_notes="Đã đến"
    )
    assessment.refresh_from_db()
    assert assessment.editable and assessment.return_comment == "Bổ sung minh chứng"
    services.submit(assessment, by=world.librarian)  # again, after the changes
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_the_platforms_values_are_kept_as_they_were_when_submitted(world, window):
    services.save_profile(world.thpt, year=YEAR, reading_room_m2=Decimal(125))
    assessment = services.start_assessment(window, world.thpt)
    services.submit(assessment, by=world.thpt_librarian)
    services.save_profile(world.thpt, year=YEAR, reading_room_m2=Decimal(999))
    stored = AssessmentValue.objects.filter(
        assessment=assessment, criterion__metric="total_area_m2"
    )
    # TT 16 gives no area criterion for THPT: nothing computed is stored for it, and the
    # snapshot of the assessment's own criteria is what is read back
    assert not stored.exists()
    result = results.result_of(Assessment.objects.get(pk=assessment.pk))
    assert all(row.computed is None for row in result.criteria)


def test_nothing_is_saved_or_submitted_after_the_window(world, window):
    assessment = services.start_assessment(window, world.school)
    later = window.closes_on + dt.timedelta(days=1)
    with pytest.raises(services.AssessmentError, match=r"đã kết thúc ngày"):
        services.save_values(assessment, {}, on=later)
    moment = timezone.make_aware(dt.datetime.combine(later, dt.time(9)))
    with pytest.raises(services.AssessmentError, match=r"đã kết thúc ngày"):
        services.submit(assessment, by=world.librarian, on=moment)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


def test_evidence_that_is_not_a_document_is_refused_and_nothing_kept(world, window):
    assessment = services.start_assessment(window, world.school)
    value = assessment.values.first()
    fake = SimpleUploadedFile("bien-ban.pdf", b"just some text, not a PDF", "application/pdf")
    with pytest.raises(services.AssessmentError):
        services.add_evidence(value, fake)
    assert not Evidence.objects.filter(value=value).exists()
    pdf = io.BytesIO()
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    good = SimpleUploadedFile("bien-ban.pdf", pdf.getvalue(), "application/pdf")
    evidence = services.add_evidence(value, good)
    assert evidence.school_id == world.school.pk and evidence.file_name.endswith(".pdf")


def test_a_window_is_opened_once_a_year_by_the_department(world, window, tt16):
    with pytest.raises(services.AssessmentError, match=r"đã được mở"):
        services.open_window(
            world.department,
            framework_version=tt16,
            year=YEAR,
            title="Lần hai",
            opens_on=TODAY,
            closes_on=TODAY,
        )
    with pytest.raises(services.AssessmentError, match=r"Chỉ Sở"):
        services.open_window(
            world.office,
            framework_version=tt16,
            year=YEAR + 1,
            title="Phòng mở",
            opens_on=TODAY,
            closes_on=TODAY,
        )


def test_the_profile_is_one_row_a_school_year(world):
    services.save_profile(world.school, year=YEAR, seats=10)
    services.save_profile(world.school, year=YEAR, seats=12)
    assert LibraryProfile.objects.get(school=world.school, year=YEAR).seats == 12


def test_where_the_text_is_incomplete_the_known_criteria_still_point_the_way(world, window):
    """TT 16 as shipped gives THPT no CSVC/TBCD criteria: no level is reached, but the level the
    known criteria reach is shown, and the gaps are those of the next level (the plan's)."""
    assessment = services.start_assessment(window, world.thpt)
    rows = values_of(assessment)
    entries = {v.criterion_id: (Decimal(10), True, "") for v in rows.values()}
    entries[rows["TRH.TNTT.2"].criterion_id] = (None, False, "Chưa có sách tham khảo mở rộng")
    services.save_values(assessment, entries)
    result = results.result_of(Assessment.objects.get(pk=assessment.pk))
    assert result.reached is None
    assert (result.provisional.code, result.next_level.code) == ("muc1", "muc2")
    assert [gap.criterion.code for gap in result.gaps] == ["TRH.TNTT.2"]
