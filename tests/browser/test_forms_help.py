"""Forms that help, in Chromium (issue 9): Submit on an empty report asks nothing and the answer
puts the focus on the report with its error; with text written it asks first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium, vi
from thuvien.training import services
from thuvien.training.models import Enrolment, ReportStatus

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def record(world):
    from tests.training.conftest import PUBLISHED_ON, make_campaign

    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, campaign.topics.first())
    return record


def test_an_empty_report_is_not_confirmed_and_the_error_takes_the_focus(
    world, record, make_context
):
    page = log_in(make_context().new_page(), world.librarian.username)
    page.goto(f"/training/records/{record.pk}/")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator('button[name="action"][value="submit"]').first.click()
    page.wait_for_load_state()
    expect(page.locator("#id_body_error")).to_be_visible()
    assert dialogs == []
    expect(page.locator(".rich-editor")).to_be_focused()
    assert (
        page.evaluate("document.querySelector('#id_body').getAttribute('aria-invalid')") == "true"
    )

    page.locator(".rich-editor").click()
    page.keyboard.type("Bài thu hoạch")
    page.locator('button[name="action"][value="submit"]').first.click()
    page.wait_for_timeout(300)
    assert len(dialogs) == 1  # dismissed: nothing was sent
    record.refresh_from_db()
    assert record.report_status != ReportStatus.SUBMITTED


# --- The first invalid field takes the focus, in view (thuvien/js/form-focus.js) ---------------

PHONE = {"width": 360, "height": 640}


def in_view(page, selector):
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_a_field_rendered_by_hand_takes_the_focus_after_its_error(world, make_context):
    from thuvien.events.models import Theme

    first, second = Theme.objects.filter(active=True).order_by("order", "pk")[:2]
    page = log_in(make_context(viewport=PHONE).new_page(), world.dept_officer.username)
    page.goto("/events/themes/")
    field = f"#theme-name-{second.pk}"
    page.locator(field).fill(first.name)  # a name in use: refused by the service
    with page.expect_navigation():
        page.locator(field).press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(field)).to_be_focused()
    assert in_view(page, field)


def test_the_first_invalid_field_of_a_form_low_on_the_page_is_focused_in_view(world, make_context):
    page = log_in(make_context(viewport=PHONE).new_page(), world.dept_officer.username)
    page.goto("/events/themes/")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Add the theme")).click()  # empty: the server says so
    page.wait_for_load_state("load")
    expect(page.locator("#id_name")).to_be_focused()
    expect(page.locator("#id_name_error")).to_be_visible()
    assert in_view(page, "#id_name") and in_view(page, "#id_name_error")
