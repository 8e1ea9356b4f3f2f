"""The library self-assessment in Chromium, from this year's window to the development plan.

The Sở has opened this year's self-assessment (Thông tư 16/2022); a THPT librarian starts it, sees
the platform's values beside the ones entered, enters the copies per student and per teacher,
judges the other criteria, adds a PDF as evidence and submits; the principal approves and sends it
for recognition; the Sở (a THPT school is the Sở's to recognise) records its Mức 1 decision; the
Sở's overview counts the school under Mức 1; the librarian makes the development plan from what is
still missing for Mức 2. Before the year opens, the Sở completes the framework (see `_completed`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from tests.browser.conftest import log_in, needs_chromium, vi
from thuvien.core.testing import make_user
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Role
from thuvien.standards import results, services
from thuvien.standards.framework_files import CriterionData, data_of
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    DevelopmentPlan,
    Framework,
    FrameworkVersion,
    Recognition,
)

pytestmark = [pytest.mark.browser, needs_chromium]

YEAR = 2025
TITLE = "Tự đánh giá thư viện trường học năm học 2025–2026"
DECISION = "15/QĐ-SGDĐT"
MUC2_GAP = "TRH.TNTT.2"  # the richer collection of Mức 2: the library does not have it yet


def _completed(version: FrameworkVersion, by) -> FrameworkVersion:
    """The next version of TT16 with the criteria of facilities and of specialised equipment a
    THPT library is judged by. The shipped file has none for secondary schools (their text was not
    found), so no THPT library can reach Mức 1 there ("incomplete": the department completes it);
    the Sở completes it before opening the year, as the page asks."""
    data = data_of(version)
    tiers = ["lower_secondary", "upper_secondary"]
    data.criteria += [
        CriterionData(
            code="TRH.CSVC.1",
            group="CSVC",
            level="muc1",
            article="16.1",
            tiers=tiers,
            name="Diện tích thư viện (không kể không gian mở) ít nhất 54 m²",
            name_en="Library area (without open space) at least 54 m²",
            judgement="threshold",
            metric="total_area_m2",
            operator=">=",
            threshold=Decimal(54),
            per="library",
            unit="m²",
            verified=False,
        ),
        CriterionData(
            code="TRH.TBCD.1",
            group="TBCD",
            level="muc1",
            article="17.1",
            tiers=tiers,
            name="Có đủ thiết bị chuyên dùng: tủ, kệ, giá sách; bàn ghế đọc; máy tính tra cứu",
            name_en="The specialised equipment: shelves, reading furniture, a lookup computer",
            judgement="yes_no",
            verified=False,
        ),
    ]
    return services.import_framework(data, by=by, note="Bổ sung tiêu chí CSVC, TBCD cấp THCS, THPT")


def _page(make_context, login):
    """A fresh browser profile logged in as `login`; the site speaks Vietnamese (the default)."""
    page = log_in(make_context().new_page(), login)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    return page


def _click(page, button):
    with page.expect_navigation():
        button.click()


def _pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _said(page, text):
    expect(page.locator("body")).to_contain_text(text)


def test_librarian_to_recognition_overview_and_plan(world, make_context, live_server, tmp_path):
    today = timezone.localdate()
    services.ship_frameworks()
    shipped = Framework.objects.get(code="tt16-2022").current
    assert shipped is not None
    version = _completed(shipped, world.dept_admin)
    window = services.open_window(
        world.department,
        framework_version=version,
        year=YEAR,
        title=TITLE,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
    )
    services.save_profile(world.thpt, year=YEAR, reading_room_m2=Decimal(90))
    thpt_principal = make_user("hieutruong_thpt", "Lê Văn Trung")
    organisations.add_membership(thpt_principal, world.thpt, Role.PRINCIPAL)
    copies = version.criteria.get(code="THPT.TNTT.1.b")
    per_teacher = version.criteria.get(code="THPT.TNTT.1.b.teacher")
    muc1 = version.levels.get(code="muc1")

    # 1. The librarian starts this year's self-assessment from the list of windows.
    me = _page(make_context, world.thpt_librarian.username)
    me.goto("/standards/assessments/")
    row = me.locator("main tr", has_text=window.school_year)
    _click(me, row.get_by_role("button", name=vi("Start the self-assessment")))
    assessment = Assessment.objects.get(window=window, school=world.thpt)
    assert me.url.endswith(f"/standards/assessments/{assessment.pk}/")

    # …sees each criterion with the platform's value beside the one the school enters…
    main = me.locator("main")
    expect(main).to_contain_text(vi("Computed by the platform"))
    expect(main).to_contain_text(vi("Entered by the school"))
    expect(main.locator(f"#criterion-{copies.pk}")).to_contain_text(copies.code)
    area = version.criteria.get(code="TRH.CSVC.1")  # counted from the library profile: 90 m²
    expect(main.locator(f"#criterion-{area.pk} td").nth(2)).to_have_text(re.compile(r"^\s*90\b"))
    # …enters the copies per student and per teacher, judges the rest, saves.
    me.fill(f"[name=entered_{copies.pk}]", "6")
    me.fill(f"[name=entered_{per_teacher.pk}]", "1")
    gap = version.criteria.get(code=MUC2_GAP)
    judged = me.locator("main select[name^=met_]")
    assert judged.count() > 1
    for n in range(judged.count()):
        select = judged.nth(n)
        select.select_option("no" if select.get_attribute("name") == f"met_{gap.pk}" else "yes")
    _click(me, me.get_by_role("button", name=vi("Save the values")))
    _said(me, vi("The values are saved."))
    six = re.compile(r"^6(,0+)?$")  # "6,00": a Vietnamese decimal
    expect(me.locator(f"[name=entered_{copies.pk}]")).to_have_value(six)
    values = {
        value.criterion.code: value for value in assessment.values.select_related("criterion")
    }
    assert values[copies.code].entered == 6 and values[per_teacher.code].entered == 1

    # …adds the accession register as evidence of the copies…
    register = _pdf(tmp_path / "so-dang-ky-ca-biet.pdf")
    evidence = me.locator("form[action$='/evidence/']")
    evidence.locator("select[name=value]").select_option(str(values[copies.code].pk))
    evidence.locator("input[name=file]").set_input_files(str(register))
    _click(me, evidence.get_by_role("button", name=vi("Add the evidence")))
    _said(me, vi("The evidence is added."))
    expect(me.locator(f"#criterion-{copies.pk}")).to_contain_text(register.name)

    # …and submits to the principal (the page asks first; the dialog is accepted).
    _click(me, me.get_by_role("button", name=vi("Submit to the principal")))
    _said(me, vi("Submitted to the principal for approval."))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    # 2. The principal approves and sends it for recognition: to the Sở, the school is a THPT.
    principal = _page(make_context, thpt_principal.username)
    principal.goto(f"/standards/assessments/{assessment.pk}/")
    _click(principal, principal.get_by_role("button", name=vi("Approve and send for recognition")))
    _said(principal, vi("Approved and sent for recognition."))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SENT
    assert assessment.sent_to == world.department

    # 3. The Sở records its decision: Mức 1.
    sở = _page(make_context, world.dept_officer.username)
    sở.goto(f"/standards/assessments/{assessment.pk}/")
    decision = sở.locator("form[action$='/recognise/']")
    decision.locator("select[name=level]").select_option(label=muc1.name)
    decision.locator("[name=decision_number]").fill(DECISION)
    decision.locator("[name=decided_on]").fill(today.isoformat())
    decision.locator("[name=check_notes]").fill("Đã kiểm tra thực tế tại thư viện.")
    _click(sở, decision.get_by_role("button", name=vi("Record the decision")))
    _said(sở, vi("The decision is recorded."))
    expect(sở.locator("main")).to_contain_text(DECISION)
    expect(sở.locator("main")).to_contain_text(muc1.name)

    # …and the Sở's overview counts the school under Mức 1.
    sở.goto("/standards/assessments/")
    _click(sở, sở.get_by_role("link", name=vi("Libraries by level")))
    expect(sở.locator("main")).to_contain_text(vi("By unit"))
    table = sở.locator("main table").first
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    column = headers.index(muc1.name) - 1  # the first header names the unit (a <th> per row)
    school_row = table.locator("tbody tr", has=sở.locator(f"th:text-is('{world.thpt.name}')"))
    expect(school_row.locator("td").nth(column)).to_have_text("1")

    # 4. The librarian makes the development plan from what is still missing.
    me.goto(f"/standards/assessments/{assessment.pk}/")
    assessment = Assessment.objects.get(pk=assessment.pk)
    result = results.result_of(assessment)
    assert result.reached == muc1 and result.next_level is not None
    gaps = [row.criterion.code for row in result.gaps]
    assert gaps == [MUC2_GAP], gaps
    missing = me.locator("main section", has=me.locator("#result-heading"))
    expect(missing).to_contain_text(MUC2_GAP)
    _click(me, me.get_by_role("button", name=vi("Make the development plan from the gaps")))
    _said(me, vi("The development plan lists what the library still misses."))
    expect(me.locator("h1")).to_contain_text("Kế hoạch phát triển thư viện:")
    expect(me.locator("h1")).to_contain_text(world.thpt.name)
    for code in gaps:  # one action per gap, its title (editable) naming the level it is for
        action = me.locator("main tbody tr", has=me.locator(f"code:text-is('{code}')"))
        expect(action).to_have_count(1)
        title = action.get_by_role("textbox").first
        expect(title).to_have_value(re.compile(re.escape(result.next_level.name)))

    # 5. What the database keeps.
    recognition = Recognition.objects.get(assessment=assessment)
    assert recognition.level is not None and recognition.level.code == "muc1"
    assert recognition.decision_number == DECISION and recognition.decided_by == world.department
    assert recognition.decided_on == today
    assert assessment.status == AssessmentStatus.RECOGNISED and assessment.level_claimed == muc1
    assert assessment.values.get(criterion=copies).evidence.get().file_name == register.name
    plan = DevelopmentPlan.objects.get(school=world.thpt, year=YEAR)
    assert plan.assessment == assessment
    assert list(plan.actions.values_list("criterion_code", flat=True)) == gaps
