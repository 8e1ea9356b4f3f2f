"""A 360 px phone: the menu folds behind a button (keyboard and screen reader included), the
dashboard's wide table scrolls inside its own box, never the page, and a campaign's audience is
chosen among hundreds of units by typing without diacritics or by opening the tree."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium, vi
from tests.browser.test_accessibility import serious_violations
from thuvien.core.testing import START
from thuvien.organisations import services as organisations
from thuvien.organisations.audience_widget import AudiencePicker
from thuvien.organisations.models import Role, UnitKind
from thuvien.training import services as training

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 360, "height": 740}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_menu_folds_behind_a_button_on_a_phone(world, make_context):
    page = log_in(make_context(viewport=PHONE).new_page(), world.dept_admin.username)
    toggle = page.get_by_role("button", name=vi("Menu"))
    links = page.locator("#nav-menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(
        page.locator("#nav-menu").get_by_role("link", name=vi("Training"), exact=True)
    ).to_be_visible()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press("Enter")  # the focused button opens it again from the keyboard
    expect(toggle).to_have_attribute("aria-expanded", "true")
    with page.expect_navigation():
        page.locator("#nav-menu").get_by_role("link", name=vi("Training"), exact=True).click()
    assert page_width(page) <= PHONE["width"]


def test_desktop_shows_the_links_and_no_button(world, make_context):
    page = log_in(
        make_context(viewport={"width": 1280, "height": 800}).new_page(), world.dept_admin.username
    )
    expect(page.get_by_role("button", name=vi("Menu"))).to_be_hidden()
    expect(
        page.locator("#nav-menu").get_by_role("link", name=vi("Training"), exact=True)
    ).to_be_visible()
    # The bell is a vendored icon now, not an emoji.
    bell = page.locator("#nav-notifications")
    assert "\U0001f514" not in bell.evaluate("e => getComputedStyle(e, '::before').content")


def test_dashboard_table_scrolls_inside_its_box(world, make_context):
    campaign = training.create_campaign(
        world.department,
        by=world.dept_admin,
        target=world.department,
        subject="Bồi dưỡng thư viện toàn tỉnh với một tiêu đề rất dài để thử màn hình hẹp",
        school_year=2025,
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        school_deadline=dt.date(2026, 4, 10),
        office_deadline=dt.date(2026, 4, 20),
    )
    training.publish_campaign(campaign, by=world.dept_admin, on=dt.date(2025, 9, 15))
    page = log_in(make_context(viewport=PHONE).new_page(), world.dept_admin.username)
    assert page.goto(f"/training/campaigns/{campaign.pk}/progress/").status == 200
    box = page.locator("#progress-table .table-wrap").first
    expect(box).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    widths = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1], widths  # the table is wider than its box: it scrolls there
    first = box.locator("tbody tr").first.locator("th")
    left = first.bounding_box()["x"]
    box.evaluate("e => { e.scrollLeft = 400; }")
    assert box.evaluate("e => e.scrollLeft") > 0
    assert abs(first.bounding_box()["x"] - left) < 1  # the unit's name stays in view


def seed_province(world, offices=3, schools=100):
    """Offices of 100 schools each under the Sở, and one school to find among them."""
    made = []
    for o in range(offices):
        office = organisations.create_unit(
            kind=UnitKind.OFFICE,
            name=f"Phòng Giáo dục huyện Mỏ Cày {o + 1}",
            parent=world.department,
            on=START,
        )
        made.append(office)
        for s in range(schools):
            organisations.create_unit(
                kind=UnitKind.SCHOOL,
                name=f"Trường Tiểu học Số {o + 1}-{s:03d}",
                parent=office,
                on=START,
            )
    target = organisations.create_unit(
        kind=UnitKind.SCHOOL, name="Trường THCS Đoàn Thị Điểm", parent=made[1], on=START
    )
    return made, target


def test_audience_is_found_by_typing_and_by_the_tree(world, make_context, monkeypatch):
    from thuvien.training.forms import CampaignForm

    # The one-line change the campaign form needs, made here for the test.
    monkeypatch.setattr(CampaignForm.base_fields["target"], "widget", AudiencePicker())
    offices, target = seed_province(world)
    page = log_in(make_context(viewport=PHONE).new_page(), world.dept_admin.username)
    assert page.goto("/training/new/").status == 200
    select = page.locator("select[name=target]")
    expect(select).to_be_hidden()  # the plain list gives way to the search and the tree
    assert select.locator("option").count() > 300  # …which a browser without JavaScript keeps

    search = page.get_by_label(vi("Search units by name (with or without diacritics) or code"))
    search.fill("truong thcs doan thi")
    results = page.locator("#id_target_results")
    choose = results.locator(f"[data-audience-choose][value='{target.pk}']")
    expect(choose).to_be_visible()
    assert results.locator("[data-audience-choose]").count() == 1
    choose.click()
    assert select.input_value() == str(target.pk)
    expect(page.locator("[data-audience-chosen]")).to_have_text(target.name)
    assert page_width(page) <= PHONE["width"]

    # The tree: the Sở, opened to its offices; an office opened to its schools; the office chosen.
    tree = page.locator(".audience-tree")
    tree.locator("[data-audience-expand]").first.click()
    office_row = tree.locator(
        f"li.audience-unit:has(> .audience-row > [data-audience-choose][value='{offices[1].pk}'])"
    )
    expect(office_row).to_be_visible()
    expand = office_row.locator("> .audience-row > [data-audience-expand]")
    expand.click()
    expect(expand).to_have_attribute("aria-expanded", "true")
    expect(office_row.locator(".audience-children [data-audience-choose]")).to_have_count(101)
    office_row.locator(f"> .audience-row > [data-audience-choose][value='{offices[1].pk}']").click()
    assert select.input_value() == str(offices[1].pk)
    expect(page.locator("[data-audience-chosen]")).to_have_text(offices[1].name)
    assert serious_violations(page) == []  # axe, with results and an open branch on the page
    expand.click()
    expect(office_row.locator(".audience-children")).to_be_hidden()


def test_without_javascript_links_show_and_the_picker_is_a_plain_select(
    world, make_context, monkeypatch
):
    from thuvien.training.forms import CampaignForm

    monkeypatch.setattr(CampaignForm.base_fields["target"], "widget", AudiencePicker())
    page = log_in(
        make_context(viewport=PHONE, java_script_enabled=False).new_page(),
        world.dept_admin.username,
    )
    expect(page.get_by_role("button", name=vi("Menu"))).to_be_hidden()
    expect(
        page.locator("#nav-menu").get_by_role("link", name=vi("Training"), exact=True)
    ).to_be_visible()
    assert page.goto("/training/new/").status == 200
    select = page.locator("select[name=target]")
    expect(select).to_be_visible()
    expect(page.locator("[data-audience-enhanced]")).to_be_hidden()
    select.select_option(str(world.office.pk))  # indented under the Sở, and chosen as usual
    assert select.input_value() == str(world.office.pk)
    assert page_width(page) <= PHONE["width"]
