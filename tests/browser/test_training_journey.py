"""The whole self-training journey in Chromium, as the Sở's letter describes it.

The Sở publishes a campaign; a librarian plans, takes a note, chooses a topic, writes and submits;
the principal returns the report once, then evaluates it and sends the school's package; the office
accepts it and sends its aggregate report; the Sở's dashboard shows the right counts and on-time
flags. Beside it: a THPT school directly under the Sở sends straight to the Sở, and a school moved
to office B during the campaign is routed by the tree on the day it sends.

People whose part is not the journey's point (the other staff of a school) are brought to
"evaluated" through the services, so that their school can send its package.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium
from thuvien.core.testing import make_user
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import (
    Campaign,
    Enrolment,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)

pytestmark = [pytest.mark.browser, needs_chromium]

SUBJECT = "Hướng dẫn tự bồi dưỡng chuyên môn nghiệp vụ thư viện năm học 2026–2027"


def _page(make_context, live_server, login):
    context = make_context()
    context.add_cookies([{"name": "thuvien_language", "value": "en", "url": live_server.url}])
    page = log_in(context.new_page(), login)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    return page


def _opened(form):
    """The form, its <details> opened (the add forms are folded away until asked for)."""
    form.evaluate("el => { const d = el.closest('details'); if (d) d.open = true; }")
    return form


def _submit(page, form_action_part: str, button_text: str | None = None):
    form = page.locator(f"form[action*='{form_action_part}']").first
    button = form.locator("button[type=submit]")
    if button_text:
        button = button.filter(has_text=button_text)
    with page.expect_navigation():
        button.first.click()


def _evaluate_quietly(campaign: Campaign, school, principal) -> None:
    """Bring everybody else of `school` to "evaluated" (not the journey's subject)."""
    for record in Enrolment.objects.filter(campaign=campaign, school=school).exclude(
        report_status=ReportStatus.EVALUATED
    ):
        if record.topic_id is None:
            services.choose_topic(record, campaign.topics.first())
        if record.report_status != ReportStatus.SUBMITTED:
            services.submit_report_text(record, body="<p>Bài thu hoạch.</p>")
        services.evaluate(record, by=principal, grade="fair")


def test_the_whole_journey_from_the_letter_to_the_province_dashboard(
    world, make_context, live_server
):
    today = timezone.localdate()
    thpt_principal = make_user("hieutruong_thpt", "Lê Văn Trung")
    organisations.add_membership(thpt_principal, world.thpt, Role.PRINCIPAL)

    # 1. The Sở drafts and publishes the campaign.
    sở = _page(make_context, live_server, world.dept_admin.username)
    sở.goto("/training/new/")
    sở.fill("[name=subject]", SUBJECT)
    sở.fill("[name=symbol]", "SGDĐT-GDTrH")
    sở.fill("[name=school_year]", str(today.year))
    sở.check("[name=roles][value=librarian]")
    sở.check("[name=roles][value=teacher_librarian]")
    sở.fill("[name=school_deadline]", (today + dt.timedelta(days=20)).isoformat())
    sở.fill("[name=office_deadline]", (today + dt.timedelta(days=30)).isoformat())
    with sở.expect_navigation():
        sở.locator("main form button[type=submit]").first.click()
    campaign = Campaign.objects.get(subject=SUBJECT)
    topic_form = _opened(sở.locator("form[action$='/topics/add/']"))
    topic_form.locator("[name=title]").fill("Thư viện xanh")
    with sở.expect_navigation():
        topic_form.locator("button[type=submit]").click()
    milestone = _opened(sở.locator("form[action$='/milestones/add/']"))
    milestone.locator("[name=name]").fill("Nghiên cứu nội dung phần chung")
    milestone.locator("[name=start]").fill((today - dt.timedelta(days=5)).isoformat())
    milestone.locator("[name=end]").fill((today + dt.timedelta(days=15)).isoformat())
    with sở.expect_navigation():
        milestone.locator("button[type=submit]").click()
    _submit(sở, "/publish/")
    campaign.refresh_from_db()
    assert campaign.status == "published"
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    assert Enrolment.objects.filter(campaign=campaign, user=world.thpt_librarian).exists()

    # 2. The librarian plans, takes a note, chooses a topic, writes and submits.
    me = _page(make_context, live_server, world.librarian.username)
    me.goto(f"/training/records/{record.pk}/plan/")
    plan = _opened(me.locator(f"form[action$='/records/{record.pk}/plan/']"))
    plan.locator("[name=what]").fill("Đọc tài liệu bồi dưỡng phần chung")
    plan.locator("[name=start]").fill(today.isoformat())
    plan.locator("[name=end]").fill((today + dt.timedelta(days=7)).isoformat())
    with me.expect_navigation():
        plan.locator("button[type=submit]").click()
    expect(me.locator("main table")).to_contain_text("Đọc tài liệu bồi dưỡng phần chung")
    me.goto(f"/training/records/{record.pk}/")
    me.select_option(
        f"form[action$='/records/{record.pk}/topic/'] [name=topic]", label="Thư viện xanh"
    )
    _submit(me, f"/records/{record.pk}/topic/")
    note = _opened(me.locator(f"form[action$='/records/{record.pk}/notes/']"))
    note.locator("[name=content]").fill("Tìm hiểu mô hình thư viện xanh.")
    note.locator("[name=hours]").fill("2")
    with me.expect_navigation():
        note.locator("button[type=submit]").click()
    editor = me.locator(".rich-editor")
    editor.click()
    me.keyboard.type("Bài thu hoạch về thư viện xanh.")
    _submit(me, f"/records/{record.pk}/report/", None)  # "Save" first: a draft
    editor = me.locator(".rich-editor")
    editor.click()
    me.keyboard.type(" Phần kết luận.")
    me.locator("button[name=action][value=submit]").first.click()
    me.wait_for_load_state()
    record.refresh_from_db()
    assert record.report_status == ReportStatus.SUBMITTED and not record.is_late

    # 3. The principal returns it once; the librarian revises and submits again.
    principal = _page(make_context, live_server, world.principal.username)
    principal.goto(f"/training/school/records/{record.pk}/")
    back = _opened(principal.locator(f"form[action$='/school/records/{record.pk}/return/']"))
    back.locator("[name=comment]").fill("Bổ sung phần giải pháp cho trường mình.")
    with principal.expect_navigation():
        back.locator("button[type=submit]").click()
    record.refresh_from_db()
    assert record.report_status == ReportStatus.RETURNED
    me.goto(f"/training/records/{record.pk}/")
    expect(me.locator("main")).to_contain_text("Bổ sung phần giải pháp")
    me.locator(".rich-editor").click()
    me.keyboard.press("End")
    me.keyboard.type(" Giải pháp: góc đọc xanh.")
    me.locator("button[name=action][value=submit]").first.click()
    me.wait_for_load_state()
    record.refresh_from_db()
    assert record.report_status == ReportStatus.SUBMITTED
    assert "góc đọc xanh" in record.report_versions.filter(submitted=True).last().body

    # 4. The principal evaluates and sends the school's package to office A.
    _evaluate_quietly(campaign, world.school, world.principal)  # …but not our librarian:
    principal.goto(f"/training/school/records/{record.pk}/")
    evaluation = _opened(
        principal.locator(f"form[action$='/school/records/{record.pk}/evaluate/']")
    )
    evaluation.locator("[name=grade]").select_option("good")
    with principal.expect_navigation():
        evaluation.locator("button[type=submit]").click()
    record.refresh_from_db()
    assert record.report_status == ReportStatus.EVALUATED and record.grade == "good"
    principal.goto(f"/training/school/{campaign.pk}/")
    principal.fill("[name=summary]", "Trường đã hoàn thành kế hoạch tự bồi dưỡng.")
    _submit(principal, f"/school/{campaign.pk}/package/")
    package = SchoolPackage.objects.get(campaign=campaign, school=world.school)
    assert package.status == PackageStatus.SUBMITTED and package.submitted_to == world.office

    # 5. The office accepts the package and sends its aggregate report to the Sở.
    office = _page(make_context, live_server, world.office_officer.username)
    office.goto(f"/training/campaigns/{campaign.pk}/office/")
    expect(office.locator("main")).to_contain_text(world.school.name)
    office.goto(f"/training/packages/{package.pk}/")
    _submit(office, f"/packages/{package.pk}/accept/")
    package.refresh_from_db()
    assert package.status == PackageStatus.ACCEPTED
    office.goto(f"/training/campaigns/{campaign.pk}/report/")
    report_form = _opened(office.locator(f"form[action$='/campaigns/{campaign.pk}/report/']"))
    report_form.locator("[name=results]").fill("Trường Tiểu học An Hội hoàn thành đúng hạn.")
    with office.expect_navigation():
        report_form.locator("button[type=submit]").click()
    # School A2 has not sent yet: the page names it above the button, and the office confirms.
    unsent = office.locator("#report-unsent-schools")
    expect(unsent).to_contain_text(world.school_a2.name)
    unsent.locator("[name=send-confirm]").check()
    _submit(office, "/send/")
    office_report = UnitReport.objects.get(campaign=campaign, unit=world.office)
    assert office_report.status == UnitReportStatus.SUBMITTED
    assert office_report.submitted_to == world.department and not office_report.is_late

    # 6. A THPT school directly under the Sở sends straight to the Sở, no office between.
    _evaluate_quietly(campaign, world.thpt, thpt_principal)
    thpt = _page(make_context, live_server, "hieutruong_thpt")
    thpt.goto(f"/training/school/{campaign.pk}/")
    thpt.fill("[name=summary]", "Trường THPT hoàn thành.")
    _submit(thpt, f"/school/{campaign.pk}/package/")
    thpt_package = SchoolPackage.objects.get(campaign=campaign, school=world.thpt)
    assert thpt_package.submitted_to == world.department

    # 7. School A2 moves to office B during the campaign: its package goes to office B.
    organisations.move_unit(
        world.school_a2, new_parent=world.office_b, on=today, reason="Sáp nhập phường"
    )
    _evaluate_quietly(campaign, world.school_a2, world.principal_a2)
    a2 = _page(make_context, live_server, world.principal_a2.username)
    a2.goto(f"/training/school/{campaign.pk}/")
    a2.fill("[name=summary]", "Trường THCS hoàn thành.")
    _submit(a2, f"/school/{campaign.pk}/package/")
    a2_package = SchoolPackage.objects.get(campaign=campaign, school=world.school_a2)
    assert a2_package.submitted_to == world.office_b

    # 8. The Sở's dashboard: the right counts and on-time flags, row by row.
    sở.goto(f"/training/campaigns/{campaign.pk}/progress/")
    main = sở.locator("main")
    thpt_row = main.locator("tr", has=sở.locator(f"th:has-text('{world.thpt.name}')"))
    # expected, submitted, on time, late, missing, evaluated, passed
    expect(thpt_row.locator("td").nth(0)).to_have_text("1")
    expect(thpt_row.locator("td").nth(1)).to_have_text("1")
    expect(thpt_row.locator("td").nth(2)).to_have_text("1")
    expect(thpt_row.locator("td").nth(3)).to_have_text("0")
    office_row = main.locator("tr", has=sở.locator(f"th:has-text('{world.office.name}')"))
    expect(office_row.locator("td").nth(0)).to_have_text("2")  # A1's librarian + teacher
    expect(office_row.locator("td").nth(2)).to_have_text("2")
    expect(office_row).to_contain_text("Submitted — on time")
    # Drill down: office A → school A1 → its people, our librarian evaluated "Good", on time.
    with sở.expect_navigation():
        office_row.locator("th a").click()
    school_row = sở.locator("main tr", has=sở.locator(f"th:has-text('{world.school.name}')"))
    expect(school_row).to_contain_text("Accepted")
    with sở.expect_navigation():
        school_row.locator("th a").click()
    person = sở.locator("main tr", has_text=world.librarian.full_name)
    expect(person).to_contain_text("Good")
