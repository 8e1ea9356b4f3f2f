"""The main journeys, end to end in Chromium: a person logs in through the form and follows the
menu to their scope; switching role (app.js submits on change); a 360 px phone; the Content
Security Policy with htmx working under it. What needs no browser (each role's exact scope, the
language switch, the 404 page, login throttling) is checked with the test client, in
tests/organisations/test_each_role_sees_its_scope.py, tests/core/test_shell.py and
tests/accounts/test_login.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium, vi
from thuvien.organisations import services
from thuvien.organisations.models import Role
from thuvien.organisations.testing import OUTSIDER_MARK, START, make_user

pytestmark = [pytest.mark.browser, needs_chromium]

SCREENSHOT = Path("/tmp/thuvien-360.png")  # noqa: S108 (looked at by people, not secret)


def units_on_page(page):
    return set(page.locator("#results tbody tr td:first-child a").all_inner_texts())


# --- 1. Log in and follow the menu to your scope ------------------------------------------------


def test_log_in_and_follow_the_menu_to_ones_scope(world, make_context):
    """A supervisor (by username) and a librarian (by e-mail, in capitals), each in a browser of
    their own: the context bar, the menu's units link, the units it lists."""
    people = [
        (world.office_officer.username, "Units", [world.office, world.school, world.school_a2]),
        (world.librarian.email.upper(), "My unit", [world.school]),
    ]
    for login, link, units in people:
        page = log_in(make_context().new_page(), login)
        assert page.evaluate("location.pathname") == "/"
        bar = page.locator(".context-bar").inner_text()
        assert vi("Acting as") in bar and units[0].name in bar
        menu = page.locator(".nav-links a[href='/units/']")
        assert menu.inner_text() == vi(link)
        menu.click()
        page.wait_for_url("**/units/")
        assert units_on_page(page) == {unit.name for unit in units}
        assert OUTSIDER_MARK not in page.content()


# --- 2. A person with two roles switches between them -----------------------------------------


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


# --- 3. A 360 px phone ------------------------------------------------------------------------


PHONE_PAGES = (
    "/units/",
    "/units/{school}/",
    "/units/{school}/history/",
    "/units/staff/",
    "/accounts/profile/",
)


def test_pages_fit_a_360px_phone(world, make_context):
    page = make_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(page, world.dept_admin.username)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("[data-nav-toggle]").click()  # the links are behind the menu at this width
    links = page.locator(".nav-links a")
    assert links.count() >= 4
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, link.inner_text()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    wider = {}
    for path in PHONE_PAGES:
        url = path.format(school=world.school.pk)
        assert page.goto(url).status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wider[url] = width
    assert wider == {}


# --- 4. The Content Security Policy holds, and nothing is fetched from elsewhere -------------


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
