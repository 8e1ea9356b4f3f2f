"""Forms that help, in Chromium (issue 9): Submit on an empty report asks nothing and the answer
puts the focus on the report with its error; with text written it asks first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium
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
