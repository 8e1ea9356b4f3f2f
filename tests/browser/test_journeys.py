"""The main journeys, end to end in Chromium: log in as each role and see only your scope, the
Vietnamese UI and the language switch, switching role, a 360 px phone, the Content Security
Policy, and login throttling."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium, vi
from thuvien.core.testing import OUTSIDER_MARK, PASSWORD, START, make_user
from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role

pytestmark = [pytest.mark.browser, needs_chromium]

SCREENSHOT = Path("/tmp/thuvien-360.png")  # noqa: S108 (looked at by people, not secret)


def expected_units(world, role):
    """The exact unit list each role sees (drawn in thuvien.core.testing)."""
    everything = [
        world.department, world.office, world.school, world.school_a2,
        world.thpt, world.partner, world.office_b, world.outsider_school,
    ]  # fmt: skip
    by_role = {
        Role.DEPARTMENT_ADMIN: everything,
        Role.DEPARTMENT_OFFICER: everything,
        Role.OFFICE_OFFICER: [world.office, world.school, world.school_a2],
        Role.PRINCIPAL: [world.school],
        Role.LIBRARIAN: [world.school],
        Role.TEACHER_LIBRARIAN: [world.school],
        Role.TRAINER: [world.partner],
        Role.READER: [],
    }
    return {unit.name for unit in by_role[role]}


def units_on_page(page):
    return set(page.locator("#results tbody tr td:first-child a").all_inner_texts())


# --- 1. Each role logs in and sees only its scope ---------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_logs_in_and_sees_only_its_scope(world, page, role):
    user = world.users_by_role()[role]
    unit = Membership.objects.get(user=user).unit
    log_in(page, user.username)

    assert page.evaluate("location.pathname") == "/"
    bar = page.locator(".context-bar").inner_text()
    assert vi("Acting as") in bar
    assert vi(Role(role).label) in bar
    assert unit.name in bar
    subtree = role in {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER, Role.OFFICE_OFFICER}
    if not subtree:
        assert OUTSIDER_MARK not in page.content()

    units_link = page.locator(".nav-links a[href='/units/']")
    if role == Role.READER:
        assert units_link.count() == 0
        assert page.goto("/units/").status == 403
        return
    assert units_link.inner_text() == vi("Units" if subtree else "My unit")
    units_link.click()
    page.wait_for_url("**/units/")
    assert units_on_page(page) == expected_units(world, role)
    if role not in {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER}:
        assert OUTSIDER_MARK not in page.content()


def test_office_officer_sees_both_schools_of_the_office_and_not_the_outsider(world, page):
    log_in(page, world.office_officer.username)
    page.goto("/units/")
    names = units_on_page(page)
    assert {world.school.name, world.school_a2.name} <= names
    assert world.outsider_school.name not in names
    assert OUTSIDER_MARK not in page.content()


def test_librarian_logs_in_by_email(world, page):
    log_in(page, world.librarian.email.upper())
    assert page.evaluate("location.pathname") == "/"
    assert world.school.name in page.locator(".context-bar").inner_text()


def test_librarian_gets_the_vietnamese_404_for_the_outsider_school(world, page):
    log_in(page, world.librarian.username)
    response = page.goto(f"/units/{world.outsider_school.pk}/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("main h1").inner_text() == vi("Page not found")
    assert OUTSIDER_MARK not in page.content()


# --- 2. Vietnamese by default; English on request -------------------------------------------


def test_ui_is_vietnamese_by_default_and_switches_to_english_and_back(transactional_db, page):
    response = page.goto("/accounts/login/")  # the browser itself asks for English
    assert response.headers["content-language"] == "vi"
    assert page.locator("html").get_attribute("lang") == "vi"

    with page.expect_navigation() as english:
        page.locator("footer button[value=en]").click()
    assert english.value.headers["content-language"] == "en"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main form button[type=submit]").inner_text() == "Log in"
    assert page.evaluate("location.pathname") == "/accounts/login/"

    with page.expect_navigation() as vietnamese:
        page.locator("footer button[value=vi]").click()
    assert vietnamese.value.headers["content-language"] == "vi"
    assert page.locator("html").get_attribute("lang") == "vi"


def test_login_page_is_in_vietnamese(transactional_db, page):
    page.goto("/accounts/login/")
    assert page.locator("main form button[type=submit]").inner_text() == "Đăng nhập"
    assert page.title().startswith("Đăng nhập")


# --- 3. A person with two roles switches between them -----------------------------------------


@pytest.fixture
def two_schools_person(world):
    person = make_user("hai_truong", "Trương Văn Hai")
    first = services.add_membership(person, world.school, Role.PRINCIPAL, valid_from=START)
    second = services.add_membership(
        person, world.school_a2, Role.TEACHER_LIBRARIAN, valid_from=START
    )
    return person, first, second


def test_switching_role_changes_what_the_person_sees(world, page, two_schools_person):
    person, _first, second = two_schools_person
    log_in(page, person.username)
    select = page.locator("#membership-select")
    assert select.locator("option").count() == 2
    assert world.school.name in select.locator("option:checked").inner_text()
    page.goto(f"/units/{world.school.pk}/")
    assert page.locator(f"a[href='/units/{world.school.pk}/history/']").count() == 1

    page.goto("/")
    with page.expect_navigation():
        select.select_option(str(second.pk))  # app.js submits the form on change
    assert page.evaluate("location.pathname") == "/"
    assert vi("You switched role.") in page.locator(".messages").inner_text()
    assert world.school_a2.name in select.locator("option:checked").inner_text()

    page.locator(".nav-links a[href='/units/']").click()
    page.wait_for_url("**/units/")
    assert units_on_page(page) == {world.school_a2.name}
    page.goto(f"/units/{world.school_a2.pk}/")
    assert page.locator("main h1").inner_text() == world.school_a2.name
    assert page.locator("a[href$='/history/']").count() == 0  # a teacher-librarian's view
    assert page.goto(f"/units/{world.school.pk}/").status == 404


def test_switching_role_works_without_javascript(world, make_context, two_schools_person):
    person, _first, second = two_schools_person
    page = make_context(java_script_enabled=False).new_page()
    log_in(page, person.username)
    page.locator("#membership-select").select_option(str(second.pk))
    with page.expect_navigation():
        page.locator(".membership-switch button[type=submit]").click()
    assert world.school_a2.name in page.locator("#membership-select option:checked").inner_text()
    assert page.goto(f"/units/{world.school.pk}/").status == 404


# --- 4. A 360 px phone ------------------------------------------------------------------------


def test_home_fits_a_360px_phone(world, make_context):
    page = make_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(page, world.dept_admin.username)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    links = page.locator(".nav-links a")
    assert links.count() >= 4
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, link.inner_text()
    page.screenshot(path=str(SCREENSHOT), full_page=True)


@pytest.mark.parametrize(
    "path",
    [
        "/units/",
        "/units/{school}/",
        "/units/{school}/history/",
        "/units/staff/",
        "/accounts/profile/",
    ],
)
def test_main_pages_fit_a_360px_phone(world, make_context, path):
    page = make_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(page, world.dept_admin.username)
    assert page.goto(path.format(school=world.school.pk)).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# --- 5. The Content Security Policy holds, and nothing is fetched from elsewhere -------------


def test_pages_obey_the_content_security_policy(world, page, traffic):
    log_in(page, world.dept_admin.username)
    for path in (
        "/",
        "/units/",
        f"/units/{world.school.pk}/",
        f"/units/{world.school.pk}/history/",
        "/units/staff/",
        "/accounts/profile/",
    ):
        assert page.goto(path).status == 200, path
    # htmx (the search box) works under the policy: no inline script, no inline style.
    page.goto("/units/")
    page.locator("#id_q").fill("nguyen dinh chieu")
    expect(page.locator("#results tbody tr")).to_have_count(1, timeout=10_000)
    assert units_on_page(page) == {world.thpt.name}

    assert traffic.csp_headers and all("script-src 'self'" in h for h in traffic.csp_headers)
    assert traffic.csp_violations() == []
    assert traffic.hosts - {""} == {"127.0.0.1"}

    # The check can fail: an inline script is refused, and the refusal is seen.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan") is None
    assert traffic.csp_violations(), traffic.console
    traffic.console.clear()


# --- 6. Login throttling ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_login(world, page, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(5):
        log_in(page, world.librarian.username, password="sai-mat-khau")
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(world.librarian.username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation() as locked:
        page.locator("main form button[type=submit]").click()
    assert locked.value.status == 429
    assert page.locator("main h1").inner_text() == vi("Too many failed attempts")
    assert page.locator(".nav-links form button").count() == 0  # nobody is logged in
    assert page.goto("/").url.endswith("/accounts/login/")
