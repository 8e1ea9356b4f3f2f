"""Accessibility: axe-core (the engine behind most accessibility checkers) finds no serious or
critical problem on the main pages (the login page first), in Vietnamese, on a desktop and on a
360 px phone."""

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
    """axe's serious and critical findings on the page as it rests: the pointer moved off the
    last thing clicked, and every CSS transition finished (a colour caught half-way through a
    hover or focus transition reads as low contrast on a loaded machine)."""
    page.mouse.move(0, 0)
    for _ in range(40):  # at most 2 s; evaluate, not wait_for_function: the CSP forbids eval
        if page.evaluate("() => document.getAnimations().every(a => a.playState !== 'running')"):
            break
        page.wait_for_timeout(50)
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_are_accessible(world, make_context, width):
    page = make_context(viewport={"width": width, "height": 800}).new_page()
    page.goto("/accounts/login/")
    problems = {"/accounts/login/": found} if (found := serious_violations(page)) else {}
    log_in(page, world.dept_admin.username)
    for path in PAGES:
        url = path.format(school=world.school.pk, librarian=world.librarian.pk)
        assert page.goto(url).status == 200, url
        found = serious_violations(page)
        if found:
            problems[url] = found
    assert problems == {}


# The training pages, each as the person who uses it.
TRAINING_PAGES = {
    "dept_admin": [
        "/training/",
        "/training/{campaign}/",
        "/training/new/",
        "/training/campaigns/{campaign}/progress/",
        "/training/campaigns/{campaign}/report/",
        "/events/",
        "/events/{event}/",
        "/events/{event}/report/",
    ],
    "librarian": [
        "/training/records/",
        "/training/records/{record}/",
        "/training/records/{record}/plan/",
        "/events/{event}/",
        "/notifications/",
    ],
    "principal": ["/training/school/{campaign}/"],
    "office_officer": ["/training/campaigns/{campaign}/office/"],
}


@pytest.mark.parametrize("width", [1280, 360])
def test_training_pages_are_accessible(world, make_context, width):
    from thuvien.events.models import Event
    from thuvien.training.models import Campaign, Enrolment

    campaign = Campaign.objects.get(issuer=world.office)
    ids = {
        "campaign": campaign.pk,
        "record": Enrolment.objects.get(campaign=campaign, user=world.librarian).pk,
        "event": Event.objects.get(organiser=world.partner).pk,
    }
    problems = {}
    for role, paths in TRAINING_PAGES.items():
        context = make_context(viewport={"width": width, "height": 800})
        page = log_in(context.new_page(), getattr(world, role).username)
        for path in paths:
            url = path.format(**ids)
            assert page.goto(url).status == 200, (role, url)
            found = serious_violations(page)
            if found:
                problems[f"{role} {url}"] = found
        context.close()
    assert problems == {}
