"""The loan desk in Chromium, typed into as a keyboard-wedge barcode scanner types (the code,
fast, then Enter), with the server slowed and the connection failing, and no scan lost.

The network between the page and the live server is Playwright's: the scan requests are held
(the server is slow: the scans pile up in the page's queue, which says how many wait), the page
is reloaded while they wait (the queue is in the browser's storage), the first request after that
reaches the server but its answer is lost on the way back (the page sends it again with the same
key: the server does it once), and another request fails before it reaches the server. At the end
the database holds exactly the loans scanned, once each, and then the returns.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium
from thuvien.catalogue.models import Copy
from thuvien.circulation.models import Loan, Reader

pytestmark = [pytest.mark.browser, needs_chromium]

SCAN_URL = "**/circulation/desk/scan/"


class Network:
    """What happens to the next scan requests: held (the server is slow), answer lost after the
    server did the work, dropped before it, or let through."""

    def __init__(self) -> None:
        self.held: list[Any] = []
        self.plan: list[str] = []
        self.sent = 0
        self.hold = False

    def handle(self, route: Any) -> None:
        if self.hold:
            self.held.append(route)
            return
        what = self.plan.pop(0) if self.plan else "pass"
        self.sent += 1
        if what == "lose":  # the server does it; its answer never arrives
            route.fetch()
            route.abort("connectionreset")
        elif what == "drop":  # the connection fails before the server sees it
            route.abort("connectionfailed")
        else:
            route.continue_()

    def release(self) -> None:
        self.hold = False
        held, self.held = self.held, []
        for route in held:
            route.continue_()


def scanner(page: Any, code: str) -> None:
    """A keyboard-wedge scanner: the characters a few milliseconds apart, then Enter."""
    page.keyboard.type(code, delay=8)
    page.keyboard.press("Enter")


def test_lending_and_returning_with_a_slow_server_loses_no_scan(world, make_context):
    codes = [
        copy.barcode
        for copy in Copy.objects.filter(school=world.school).order_by("collection__code", "pk")
    ][:4]
    page = log_in(make_context().new_page(), "thuvien")
    network = Network()
    page.route(SCAN_URL, network.handle)

    page.goto("/circulation/desk/")
    expect(page.locator("h1")).to_have_text("Cho mượn")
    page.locator("#desk-reader").focus()
    with page.expect_navigation():
        scanner(page, "HS0001")
    expect(page.locator("#desk-reader-card")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#desk-copy")).to_be_focused()

    # The server is slow: three scans, typed one after the other, wait in the page's queue.
    network.hold = True
    for code in codes[:3]:
        scanner(page, code)
    expect(page.locator("[data-desk-status]")).to_contain_text("3 lượt quét đang chờ gửi")
    expect(page.locator("[data-desk-log] li")).to_have_count(3)
    assert not Loan.objects.exists()

    # The librarian reloads the page meanwhile: the scans are still there and go out in order;
    # the first one's answer is lost after the server lent the copy, the second fails on the way.
    network.held = []  # those requests died with the old page
    network.hold = False
    network.plan = ["lose", "drop"]
    page.reload()
    expect(page.locator("[data-desk-log] li[data-state=done]")).to_have_count(3, timeout=30_000)
    expect(page.locator("[data-desk-status]")).to_have_text("")
    assert network.sent >= 5  # the lost answer and the dropped request were sent again

    # A double scan of the same copy lends nothing twice; a fourth copy is lent too.
    scanner(page, codes[0])
    scanner(page, codes[3])
    expect(page.locator("[data-desk-log] li[data-state=repeated]")).to_have_count(1)
    expect(page.locator("[data-desk-log] li[data-state=done]")).to_have_count(4)
    expect(page.locator("[data-desk-holding]")).to_have_text("4")
    loans = Loan.objects.filter(reader__code="HS0001", returned_at__isnull=True)
    assert sorted(loans.values_list("copy__barcode", flat=True)) == sorted(codes)
    assert Loan.objects.count() == 4

    # Returns: the copy alone is scanned; one answer lost on the way, all taken back once.
    page.goto("/circulation/desk/?mode=in")
    expect(page.locator("h1")).to_have_text("Nhận trả")
    network.plan = ["lose"]
    for code in codes:
        scanner(page, code)
    returns = page.locator("[data-desk-log] li[data-mode=in]")
    expect(returns.and_(page.locator("[data-state=done]"))).to_have_count(4, timeout=30_000)
    expect(returns.first).to_contain_text("Đã nhận trả")
    assert not Loan.objects.filter(returned_at__isnull=True).exists()
    assert Loan.objects.count() == 4

    # A copy that is not on loan is refused with what to do, and not retried.
    scanner(page, codes[0] + "X")
    refused = page.locator("[data-desk-log] li[data-state=refused]")
    expect(refused).to_contain_text("hãy kiểm tra nhãn")


def test_a_class_of_forty_borrows_its_textbooks_in_one_action(world, make_context):
    """Class 6A1 (40 students) gets one copy of Tiếng Việt 1 each in one action, then the class
    list is used copy by copy for a story book, and the class gives the textbooks back together."""
    from thuvien.catalogue.models import Record
    from thuvien.catalogue.services import copies as copy_services
    from thuvien.circulation.services import readers

    for i in range(38):
        readers.save_reader(
            world.school, kind="student", code=f"L{i:03}", full_name=f"Học sinh {i:02}",
            class_name="6A1", grade=6,
        )  # fmt: skip
    textbook = Record.objects.get(title="Tiếng Việt 1")
    copy_services.add_copies(textbook, school=world.school, count=37, by=None)
    one_copy = Copy.objects.filter(record=textbook, school=world.school).first()

    page = log_in(make_context().new_page(), "thuvien")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/circulation/classes/")
    page.get_by_role("link", name="6A1").click()
    expect(page.locator("h1")).to_have_text("Lớp 6A1")
    page.locator("#class-title").focus()
    with page.expect_navigation():
        scanner(page, one_copy.barcode)
    expect(page.locator(".messages")).to_contain_text("Đã cho lớp 6A1 mượn 40 bản Tiếng Việt 1.")
    assert Loan.objects.filter(copy__record=textbook, returned_at__isnull=True).count() == 40
    assert Loan.objects.values("reader").distinct().count() == 40
    expect(page.get_by_role("row", name="Tiếng Việt 1")).to_contain_text("40")

    # Copy by copy down the class list: the first two students (ticked in turn) get a novel each.
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    novels = list(Copy.objects.filter(record=novel, school=world.school).order_by("pk"))
    page.locator("#desk-copy").focus()
    for copy in novels:
        scanner(page, copy.barcode)
    expect(page.locator("[data-desk-log] li[data-state=done]")).to_have_count(2)
    first_two = [
        s.code for s in Reader.objects.filter(class_name="6A1").order_by("folded_name", "code")[:2]
    ]
    holders = Loan.objects.filter(copy__record=novel).values_list("reader__code", flat=True)
    assert sorted(holders) == sorted(first_two)

    page.reload()
    with page.expect_navigation():
        page.get_by_role("row", name="Tiếng Việt 1").get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text(
        "Đã nhận lại 40 bản Tiếng Việt 1 của lớp 6A1."
    )
    assert not Loan.objects.filter(copy__record=textbook, returned_at__isnull=True).exists()
