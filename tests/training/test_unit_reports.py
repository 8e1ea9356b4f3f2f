"""The aggregate reports: their figures, and sending, returning, accepting and finalising them."""

from __future__ import annotations

import pytest

from tests.training.conftest import D, at, make_campaign
from thuvien.organisations import services as organisations
from thuvien.training import services
from thuvien.training.figures import unit_figures
from thuvien.training.models import (
    Enrolment,
    PackageStatus,
    Scale,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)
from thuvien.training.services import reports


def hand_in(world, campaign, user, *, on, grade=None, topic=0):
    record = Enrolment.objects.get(campaign=campaign, user=user)
    services.choose_topic(record, campaign.topics.all()[topic], on=D(2026, 1, 1))
    services.submit_report(record, on=on)
    if grade is not None:
        services.evaluate(record, by=world.principal, grade=grade)
    return record


def send_a1(world, campaign, *, on=None, late_teacher=True):
    """A1: the librarian on time (good), the teacher-librarian late (fail); package sent."""
    hand_in(world, campaign, world.librarian, on=at(2026, 4, 1), grade="good")
    teacher_day = at(2026, 4, 12) if late_teacher else at(2026, 4, 2)
    hand_in(world, campaign, world.teacher_librarian, on=teacher_day, grade="fail", topic=1)
    return services.submit_school_package(
        campaign, world.school, by=world.principal, summary="A1", on=on or at(2026, 4, 13)
    )


def test_office_figures_of_a_small_world(world, published):
    send_a1(world, published)
    figures = unit_figures(published, world.office)
    # By name: "Trường THCS Lê Lợi" (A2) before "Trường Tiểu học Nguyễn Du" (A1).
    assert [row.school for row in figures.schools] == [world.school_a2, world.school]
    a2, a1 = figures.schools
    tally = a1.tally
    assert (tally.expected, tally.submitted, tally.on_time, tally.late, tally.missing) == (
        2, 2, 1, 1, 0,
    )  # fmt: skip
    assert (tally.evaluated, tally.passed, dict(tally.grades)) == (2, 1, {"good": 1, "fail": 1})
    assert a1.sent and a1.late and a1.sent_on == D(2026, 4, 13) and a1.via == world.office
    assert not a2.sent and a2.tally.expected == 0
    assert [row.school for row in figures.not_sent] == [world.school_a2]
    assert [(p.name, p.school, p.day) for p in figures.late] == [
        (world.teacher_librarian.full_name, world.school.name, D(2026, 4, 12))
    ]
    assert figures.missing == []
    assert [(lvl.code, n) for lvl, n, _pct in figures.grade_rows] == [
        ("good", 1), ("fair", 0), ("pass", 0), ("fail", 1),
    ]  # fmt: skip
    assert figures.topics[:2] == [("Thư viện mở", 1), ("Thư viện xanh", 1)]
    assert figures.offices == [] and not figures.province


def test_missing_people_are_listed_with_their_deadline(world, published):
    hand_in(world, published, world.librarian, on=at(2026, 4, 1))
    figures = unit_figures(published, world.office)
    assert [(p.name, p.day, p.status) for p in figures.missing] == [
        (world.teacher_librarian.full_name, D(2026, 4, 10), "not_started")
    ]
    assert figures.totals.submitted == 1 and figures.totals.missing == 1


def test_marks_are_counted_in_bands(world):
    campaign = make_campaign(world, scale=Scale.MARKS_10)
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    hand_in(world, campaign, world.librarian, on=at(2026, 4, 1), grade="9.5")
    hand_in(world, campaign, world.teacher_librarian, on=at(2026, 4, 1), grade="4")
    rows = {lvl.code: n for lvl, n, _pct in unit_figures(campaign, world.office).grade_rows}
    assert rows == {"9 – 10": 1, "7 – 8,9": 0, "5 – 6,9": 0, "0 – 4,9": 1}


def test_province_figures_cover_every_school_and_office(world, published):
    send_a1(world, published)
    figures = unit_figures(published, world.department)
    schools = {row.school for row in figures.schools}
    assert schools == {world.school, world.school_a2, world.thpt, world.outsider_school}
    offices = {row.office: (row.schools, row.sent, row.tally.expected) for row in figures.offices}
    assert offices == {
        world.department: (1, 0, 1),
        world.office: (2, 1, 2),
        world.office_b: (1, 0, 1),
    }
    assert figures.offices[0].office == world.department  # the Sở's own schools first
    assert figures.totals.expected == 4


def test_the_department_directly_supervises_the_thpt_school(world, published):
    figures = unit_figures(published, world.department, province=False)
    assert [row.school for row in figures.schools] == [world.thpt]


def test_a_school_moved_after_sending_shows_at_the_office_that_received_it(world, published):
    send_a1(world, published, on=at(2026, 4, 9))
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 4, 15))
    world.school.refresh_from_db()
    old = unit_figures(published, world.office)
    new = unit_figures(published, world.office_b)
    assert world.school in [row.school for row in old.schools]
    assert old.totals.expected == 2
    assert world.school not in [row.school for row in new.schools]
    assert [row.school for row in new.schools] == [world.outsider_school]


def test_a_school_moved_before_sending_is_routed_to_its_new_office(world, published):
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 3, 1))
    package = send_a1(world, published, on=at(2026, 4, 9))
    assert package.submitted_to == world.office_b
    assert world.school not in [row.school for row in unit_figures(published, world.office).schools]
    assert world.school in [row.school for row in unit_figures(published, world.office_b).schools]


# --- The use cases -------------------------------------------------------------------------------


def prepare(world, campaign, unit=None, **fields):
    return reports.prepare_unit_report(
        campaign, unit or world.office, by=world.office_officer, **fields
    )


def test_prepare_saves_the_narrative_while_editable(world, published):
    report = prepare(world, published, results=" Hoàn thành. ", number=12, symbol="BC-PGDĐT")
    report.refresh_from_db()
    assert (report.status, report.results, report.number) == ("draft", "Hoàn thành.", 12)
    again = prepare(world, published, proposals="Tập huấn")
    assert again.pk == report.pk and again.proposals == "Tập huấn" and again.results == ""
    assert report.history.first().history_user == world.office_officer


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"symbol": "PGDĐT"}, "starts with “BC-”"),
        ({"number": 0}, "starts at 1"),
    ],
)
def test_prepare_refuses_bad_numbers(world, published, fields, message):
    with pytest.raises(services.TrainingError, match=message):
        prepare(world, published, **fields)


def test_prepare_refuses_schools_drafts_and_units_out_of_reach(world, published, campaign):
    with pytest.raises(services.TrainingError, match="Only an office or the department"):
        prepare(world, published, world.school)
    office_campaign = make_campaign(world, world.office, symbol="PGDĐT")
    services.publish_campaign(office_campaign, by=world.office_officer, on=D(2025, 12, 4))
    with pytest.raises(services.TrainingError, match="does not reach"):
        prepare(world, office_campaign, world.office_b)
    draft = make_campaign(world, subject="Khác")
    with pytest.raises(services.TrainingError, match="not published"):
        prepare(world, draft)


def test_nothing_received_nothing_to_submit(world, published):
    report = prepare(world, published)
    with pytest.raises(services.TrainingError, match="No school package has been received"):
        reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 19))
    report.refresh_from_db()
    assert report.status == UnitReportStatus.DRAFT


def test_submit_goes_to_the_department_on_time_and_only_once(world, published):
    send_a1(world, published)
    report = prepare(world, published)
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 20))
    report.refresh_from_db()
    assert (report.status, report.submitted_to, report.submitted_by) == (
        UnitReportStatus.SUBMITTED, world.department, world.office_officer,
    )  # fmt: skip
    assert not report.is_late
    with pytest.raises(services.TrainingError, match=r"already sent to .* on 20/04/2026"):
        reports.submit_unit_report(report, by=world.office_officer)
    with pytest.raises(services.TrainingError, match="can no longer be changed"):
        prepare(world, published, results="x")


def test_late_is_counted_against_the_office_deadline(world, published):
    send_a1(world, published)
    report = prepare(world, published)
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 21))
    report.refresh_from_db()
    assert report.is_late


def test_return_needs_a_comment_then_the_office_resends(world, published):
    send_a1(world, published)
    report = prepare(world, published)
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 18))
    with pytest.raises(services.TrainingError, match="Say what the unit should revise"):
        reports.return_unit_report(report, by=world.dept_officer, comment="  ")
    reports.return_unit_report(report, by=world.dept_officer, comment="Bổ sung số liệu.")
    report.refresh_from_db()
    assert (report.status, report.return_comment, report.reviewed_by) == (
        UnitReportStatus.RETURNED, "Bổ sung số liệu.", world.dept_officer,
    )  # fmt: skip
    prepare(world, published, results="Đã bổ sung.")
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 22))
    report.refresh_from_db()
    assert report.status == UnitReportStatus.SUBMITTED and report.return_comment == ""
    assert report.is_late
    reports.accept_unit_report(report, by=world.dept_officer)
    report.refresh_from_db()
    assert report.status == UnitReportStatus.ACCEPTED
    with pytest.raises(services.TrainingError, match="cannot become"):
        reports.return_unit_report(report, by=world.dept_officer, comment="x")


def test_accept_needs_a_submitted_report(world, published):
    report = prepare(world, published)
    with pytest.raises(services.TrainingError, match="cannot become"):
        reports.accept_unit_report(report, by=world.dept_officer)


def test_a_school_moved_before_the_office_sends_still_counts_as_received(world, published):
    send_a1(world, published, on=at(2026, 4, 9))
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 4, 15))
    report = prepare(world, published)
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 19))
    assert UnitReport.objects.get(pk=report.pk).status == UnitReportStatus.SUBMITTED


def test_the_department_finalises_its_own_report_and_offices_cannot(world, published):
    own = reports.prepare_unit_report(published, world.department, by=world.dept_officer)
    with pytest.raises(services.TrainingError, match="finalise it instead"):
        reports.submit_unit_report(own, by=world.dept_officer)
    office = prepare(world, published)
    with pytest.raises(services.TrainingError, match="send yours instead"):
        reports.finalise_province_report(office, by=world.office_officer)
    reports.finalise_province_report(own, by=world.dept_officer, on=at(2026, 4, 30))
    own.refresh_from_db()
    assert own.status == UnitReportStatus.FINAL and own.submitted_by == world.dept_officer
    with pytest.raises(services.TrainingError, match="already final"):
        reports.finalise_province_report(own, by=world.dept_officer)


def test_the_office_reviews_packages_with_the_existing_services(world, published):
    package = send_a1(world, published)
    services.return_school_package(package, by=world.office_officer, comment="Thiếu nhận xét.")
    assert SchoolPackage.objects.get(pk=package.pk).status == PackageStatus.RETURNED
    rows = unit_figures(published, world.office).schools
    assert [(row.school, row.sent) for row in rows] == [
        (world.school_a2, False),
        (world.school, False),
    ]
    assert rows[1].via == world.office and rows[1].package == package


# --- What was sent stays as it was sent ----------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_sent_report_is_kept_as_sent(world, published, client_for, media):
    import pypdf
    from django.urls import reverse

    send_a1(world, published)
    report = reports.prepare_unit_report(
        published, world.office, by=world.office_officer, symbol="BC-PGDĐT", place="An Hội"
    )
    reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 18))
    report.refresh_from_db()
    assert report.sent_pdf and report.sent_docx and report.sent_xlsx
    kept = report.sent_pdf.read()
    # Later, the office takes the package back: today's figures change, the sent copy does not.
    a1 = published.packages.get(school=world.school)
    services.return_school_package(a1, by=world.office_officer, comment="Bổ sung")
    url = reverse("training:unit_report_pdf", args=[report.pk])
    response = client_for(world.dept_officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == kept
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(report.sent_pdf.path).pages)
    assert "An Hội, ngày 18 tháng 4 năm 2026" in " ".join(text.split())


def test_before_the_deadline_nobody_is_missing_yet(world, published):
    figures = unit_figures(published, world.office, today=D(2026, 4, 1))
    assert figures.totals.missing == 0 and figures.missing == []
    assert figures.totals.pending == figures.totals.expected > 0
    after = unit_figures(published, world.office, today=D(2026, 4, 11))
    assert after.totals.missing == after.totals.expected and after.totals.pending == 0


def test_a_deactivated_person_is_not_counted_missing_before_the_daily_run(world, published):
    hand_in(world, published, world.librarian, on=at(2026, 4, 1))
    world.teacher_librarian.is_active = False
    world.teacher_librarian.save(update_fields=["is_active"])
    figures = unit_figures(published, world.office)
    assert figures.missing == []
    assert figures.totals.submitted == 1 and figures.totals.missing == 0
