"""Each role starts from the home page and reaches its next step by following the to-do list
alone (issue 9): log in, click the first line of the to-do list, land on the page where the step
is done, with the form that does it. One test looping over the roles, to keep the suite fast."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium, vi
from tests.training import todo_world

pytestmark = [pytest.mark.browser, needs_chromium]


def test_every_role_reaches_its_next_step_from_the_home_page(world, make_context):
    journey = todo_world.build(world)
    own_record = journey.record.user.training_enrolments.order_by(
        "campaign__school_deadline", "pk"
    ).first()
    steps = [
        # login, the page the first line opens, the form (or heading) of the step there
        (
            "thuvien",
            reverse("training:record_detail", args=[own_record.pk]),
            f"form[action='{reverse('training:record_report', args=[own_record.pk])}']",
        ),
        (
            "hieutruong",
            reverse("training:school_record", args=[journey.submitted.pk]),
            f"form[action='{reverse('training:school_evaluate', args=[journey.submitted.pk])}']",
        ),
        (
            "phong_canbo",
            reverse("training:package_detail", args=[journey.package.pk]),
            f"form[action='{reverse('training:package_accept', args=[journey.package.pk])}']",
        ),
        (
            "so_canbo",
            reverse("training:report_detail", args=[journey.report.pk]),
            f"form[action='{reverse('training:report_accept', args=[journey.report.pk])}']",
        ),
        (
            "giangvien",
            reverse("events:attendance", args=[journey.session.pk]),
            f"h1:has-text('{vi('Attendance')}')",
        ),
    ]
    for login, landing, step in steps:
        page = log_in(make_context().new_page(), login)
        page.goto("/")
        todo = page.locator("section.todo")
        expect(todo.locator("h2")).to_have_text(vi("To do"))
        first = todo.locator("li a").first
        with page.expect_navigation():
            first.click()
        assert page.url.endswith(landing), (login, page.url)
        expect(page.locator(step)).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(re.compile(r"\b404\b"))
