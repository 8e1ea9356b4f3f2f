"""Accessibility: axe-core (the engine behind most accessibility checkers) finds no serious or
critical problem on the main pages, in Vietnamese, on a desktop and on a 360 px phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

AXE = Axe()
PAGES = [
    "/",
    "/units/",
    "/units/{school}/",
    "/units/{school}/history/",
    "/units/{school}/edit/",
    "/units/new/",
    "/units/staff/",
    "/units/import/",
    "/accounts/staff/{librarian}/",
    "/accounts/profile/",
]


def serious_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_login_page_is_accessible(world, make_context):
    page = make_context().new_page()
    page.goto("/accounts/login/")
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_are_accessible(world, make_context, width):
    page = make_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, world.dept_admin.username)
    problems = {}
    for path in PAGES:
        url = path.format(school=world.school.pk, librarian=world.librarian.pk)
        assert page.goto(url).status == 200, url
        found = serious_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
