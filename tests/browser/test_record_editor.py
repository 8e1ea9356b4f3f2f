"""The report editor in Chromium: formatting with the toolbar, the autosave of the rich text, the
text surviving a closed browser, submitting — all under the Content Security Policy (the
`make_context` fixture fails the test on any CSP violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium
from thuvien.training import services
from thuvien.training.models import Enrolment, ReportStatus, ReportVersion

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


def test_write_format_autosave_reopen_and_submit(world, record, make_context):
    context = make_context()
    page = log_in(context.new_page(), world.librarian.username)
    page.goto(f"/training/records/{record.pk}/")
    editor = page.locator(".rich-editor")
    expect(editor).to_be_visible()
    expect(page.locator("textarea#id_body")).to_be_hidden()
    expect(page.locator('[data-editor-for="id_body"] button[data-command="bold"]')).to_be_visible()

    editor.click()
    page.keyboard.type("Mở đầu bài thu hoạch. ")
    page.locator('button[data-command="bold"]').click()
    page.keyboard.type("Thư viện xanh")
    page.locator('button[data-command="bold"]').click()
    page.keyboard.press("Enter")
    page.locator('button[data-command="insertUnorderedList"]').click()
    page.keyboard.type("Ý thứ nhất")
    # The autosave answers "Draft saved at …" after three quiet seconds.
    expect(page.locator("#autosave-status")).to_contain_text(":", timeout=10_000)
    page.wait_for_function("document.querySelector('#autosave-status').textContent.trim() !== ''")
    body = ReportVersion.objects.get().body
    assert "<b>Thư viện xanh</b>" in body and "<li>Ý thứ nhất</li>" in body

    context.close()  # the browser is closed: nothing is lost
    again = log_in(make_context().new_page(), world.librarian.username)
    again.goto(f"/training/records/{record.pk}/")
    expect(again.locator(".rich-editor b")).to_have_text("Thư viện xanh")
    expect(again.locator(".rich-editor li")).to_have_text("Ý thứ nhất")

    again.once("dialog", lambda dialog: dialog.accept())
    again.locator('button[name="action"][value="submit"]').first.click()
    again.wait_for_url(f"**/training/records/{record.pk}/")
    record.refresh_from_db()
    assert record.report_status == ReportStatus.SUBMITTED
    submitted = ReportVersion.objects.get(submitted=True).body
    assert "<b>Thư viện xanh</b>" in submitted
    expect(again.locator("article.report-body b")).to_have_text("Thư viện xanh")
