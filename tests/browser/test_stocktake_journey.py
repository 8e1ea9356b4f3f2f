"""A stocktake in Chromium: the librarian opens one for the story books, scans the shelf as a
barcode scanner types (one copy is not there, another is found on the textbooks' shelf, a scan
is sent twice), closes it and sees the missing and the misplaced copy; the principal approves
it and the missing copy is marked lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium
from thuvien.catalogue.models import Copy, CopyStatus, Record
from thuvien.catalogue.services import copies as copy_services
from thuvien.stocktake.models import Outcome, StocktakeLine

pytestmark = [pytest.mark.browser, needs_chromium]


def scanner(page, code: str) -> None:
    page.keyboard.type(code, delay=8)
    page.keyboard.press("Enter")


def test_a_stocktake_by_scanning_finds_a_missing_and_a_misplaced_copy(world, make_context):
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    copy_services.add_copies(novel, school=world.school, count=2, by=None)
    stories = list(Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk"))
    Copy.objects.filter(pk__in=[c.pk for c in stories]).update(location="B2")
    textbooks = list(Copy.objects.filter(school=world.school, collection__code="SGK"))
    Copy.objects.filter(pk__in=[c.pk for c in textbooks]).update(location="A1")
    missing, misplaced = stories[-1], stories[0]

    page = log_in(make_context().new_page(), "thuvien")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/stocktake/")
    page.get_by_label("Kho").select_option(label=str(stories[0].collection))
    page.get_by_label("Giá (để trống: mọi giá)").fill("B2")
    with page.expect_navigation():
        page.get_by_role("button", name="Mở đợt kiểm kê").click()
    expect(page.locator("h1")).to_contain_text("Kiểm kê")

    page.locator("#desk-copy").focus()
    for copy in stories[1:-1]:
        scanner(page, copy.barcode)
    scanner(page, stories[1].barcode)  # scanned twice
    expect(page.locator("[data-desk-log] li[data-state=done]")).to_have_count(len(stories) - 2)
    expect(page.locator("[data-desk-log] li[data-state=repeated]")).to_have_count(1)
    # The first story book is on the textbooks' shelf: counted from there.
    page.get_by_label("Giá đang kiểm").fill("A1")
    page.locator("#desk-copy").focus()
    scanner(page, misplaced.barcode)
    expect(page.locator("[data-desk-log] li[data-state=done]")).to_have_count(len(stories) - 1)

    with page.expect_navigation():
        page.get_by_role("button", name="Kết thúc kiểm kê").click()
    expect(page.locator("[data-line=missing]")).to_have_count(1)
    expect(page.locator("[data-line=missing]")).to_contain_text(missing.barcode)
    expect(page.locator("[data-line=misplaced]")).to_contain_text(misplaced.barcode)
    expect(page.locator("[data-line=misplaced]")).to_contain_text("A1")
    lines = StocktakeLine.objects.values_list("outcome", "barcode")
    assert set(lines) == {
        (Outcome.MISSING, missing.barcode),
        (Outcome.MISPLACED, misplaced.barcode),
    }
    # Nothing of the textbooks' shelf is missing: this stocktake was of the story books.
    assert not StocktakeLine.objects.filter(barcode__in=[c.barcode for c in textbooks]).exists()

    principal = log_in(make_context().new_page(), "hieutruong")
    principal.on("dialog", lambda dialog: dialog.accept())
    principal.goto(page.url)
    with principal.expect_navigation():
        principal.get_by_role("button", name="Duyệt và áp dụng").click()
    expect(principal.locator(".messages")).to_contain_text("Đã áp dụng: 1 bản ghi là bị mất")
    assert Copy.objects.get(pk=missing.pk).status == CopyStatus.LOST
