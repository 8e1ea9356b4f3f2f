"""The public catalogue in Chromium, on a phone: a student logs in with the code on their card
and the PIN the librarian gave them, searches without diacritics, finds the book lent out at
their school (and free at another school), places a hold and sees it in their account; when the
copy comes back it is set aside for them and their account says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium
from thuvien.catalogue.models import Copy, Record
from thuvien.circulation.models import Hold, HoldStatus, Reader
from thuvien.circulation.services import desk, readers

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_student_searches_without_diacritics_and_places_a_hold(world, make_context):
    student = Reader.objects.get(school=world.school, code="HS0001")
    pin = readers.new_pin(student)
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    classmate = Reader.objects.get(school=world.school, code="HS0002")
    lent = list(Copy.objects.filter(school=world.school, record=novel))
    for copy, reader in zip(lent, (classmate, Reader.objects.get(code="GV0001")), strict=True):
        desk.check_out(world.school, reader, copy.barcode, by=None)

    page = make_context(**PHONE).new_page()
    page.goto(f"/opac/{world.school.pk}/login/")
    page.get_by_label("Mã bạn đọc (in trên thẻ thư viện)").fill("HS0001")
    page.get_by_label("Mã PIN").fill(pin)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Nguyễn Văn An")

    page.get_by_role("link", name=f"Mục lục trực tuyến · {world.school.name}").click()
    page.get_by_role("searchbox").fill("cho toi xin mot ve di tuoi tho")
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator(".opac-results li").first).to_contain_text(
        "Hiện không còn bản nào trên giá"
    )
    page.get_by_role("link", name="Cho tôi xin một vé đi tuổi thơ").click()
    expect(page.locator("h1")).to_have_text("Cho tôi xin một vé đi tuổi thơ")
    # Lent out here; another school of the province has it on its shelf.
    expect(page.get_by_role("row", name=world.outsider_school.name)).to_contain_text("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Đặt trước").click()
    expect(page.locator(".messages")).to_contain_text("bạn đứng thứ 1 trong hàng chờ")
    expect(page.locator("body")).to_contain_text("Thứ 1 trong hàng chờ.")
    assert Hold.objects.get(reader=student).status == HoldStatus.WAITING

    desk.check_in(world.school, lent[0].barcode, by=None)
    page.reload()
    expect(page.locator("body")).to_contain_text("Đã sẵn sàng: hãy đến nhận trước hết ngày")
    # Nothing scrolls sideways on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
