"""The public catalogue's pages, as anyone and as a reader logged in with code and PIN."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from thuvien.catalogue.models import Copy, Record
from thuvien.circulation.models import Hold, HoldStatus, Loan, Reader
from thuvien.circulation.services import desk, readers


@pytest.fixture(autouse=True)
def _no_lockouts():
    cache.clear()
    yield
    cache.clear()


def student(world) -> Reader:
    return Reader.objects.get(school=world.school, code="HS0001")


def logged_in(world, client: Client) -> Reader:
    reader = student(world)
    pin = readers.new_pin(reader)
    response = client.post(
        reverse("opac:login", args=[world.school.pk]), {"code": "HS0001", "pin": pin}
    )
    assert response.status_code == 302 and response["Location"] == reverse("opac:account")
    return reader


def test_anyone_searches_the_province_and_sees_where_a_book_is(world):
    client = Client()
    home = client.get(reverse("opac:home"))
    assert home["Location"] == reverse("opac:library", args=[world.department.pk])
    page = client.get(reverse("opac:library", args=[world.department.pk]), {"q": "ve di tuoi tho"})
    body = page.content.decode()
    assert page.status_code == 200 and "Cho tôi xin một vé đi tuổi thơ" in body
    assert "Tìm thấy 1 tên sách." in body
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    record = client.get(reverse("opac:record", args=[world.school.pk, novel.pk])).content.decode()
    assert "Tại trường này" in record and "2 bản trên giá" in record
    assert world.outsider_school.name in record  # the other school that has it
    assert "Đăng nhập bằng mã bạn đọc để đặt trước." in record
    # No reader, loan or staff name is ever on a public page.
    assert "Nguyễn Văn An" not in body + record


def test_a_school_s_catalogue_shows_only_that_school_and_a_record_it_lacks_is_not_found(world):
    client = Client()
    textbook = Record.objects.get(title="Tiếng Việt 1")
    theirs = client.get(
        reverse("opac:library", args=[world.outsider_school.pk]), {"q": "tieng viet"}
    )
    assert "Tiếng Việt 1" not in theirs.content.decode()
    url = reverse("opac:record", args=[world.outsider_school.pk, textbook.pk])
    page = client.get(url).content.decode()
    assert "Trường này không có bản nào." in page and world.school.name in page
    assert client.get(reverse("opac:library", args=[world.office.pk])).status_code == 404


def test_a_reader_logs_in_sees_renews_and_holds(world):
    client = Client()
    reader = logged_in(world, client)
    copy = Copy.objects.filter(school=world.school, collection__code="STN").first()
    loan = desk.check_out(world.school, reader, copy.barcode, by=None).loan
    account = client.get(reverse("opac:account")).content.decode()
    assert "Nguyễn Văn An" in account and "Cho tôi xin một vé đi tuổi thơ" in account
    renewed = client.post(reverse("opac:renew", args=[loan.pk]), follow=True).content.decode()
    assert "gia hạn lúc này không thêm được ngày nào" in renewed
    # A hold on a title lent out (both copies): number 1 in the queue.
    other = (
        Copy.objects.filter(school=world.school, collection__code="STN").exclude(pk=copy.pk).first()
    )
    desk.check_out(
        world.school, Reader.objects.get(code="HS0002", school=world.school), other.barcode, by=None
    )
    Loan.objects.filter(reader=reader).update(returned_at=loan.issued_at)  # gave his back
    placed = client.post(
        reverse("opac:hold", args=[world.school.pk, copy.record_id]), follow=True
    ).content.decode()
    assert "bạn đứng thứ 1 trong hàng chờ" in placed
    hold = Hold.objects.get(reader=reader)
    # Another reader cannot cancel it.
    stranger = Client()
    assert stranger.post(reverse("opac:cancel_hold", args=[hold.pk])).status_code == 404
    client.post(reverse("opac:cancel_hold", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CANCELLED
    client.post(reverse("opac:logout"))
    assert client.get(reverse("opac:account"))["Location"] == reverse("opac:home")


def test_wrong_pins_are_refused_then_the_login_waits(world):
    client = Client()
    reader = student(world)
    pin = readers.new_pin(reader)
    url = reverse("opac:login", args=[world.school.pk])
    for _ in range(5):
        wrong = client.post(url, {"code": "HS0001", "pin": "000000" if pin != "000000" else "1"})
        assert wrong.status_code == 422
        assert "Mã bạn đọc hoặc mã PIN không đúng." in wrong.content.decode()
    locked = client.post(url, {"code": "HS0001", "pin": pin})
    assert "hãy thử lại sau 15 phút" in locked.content.decode()
    # The outsider school's HS0001 is another reader: its own PIN, its own count.
    assert (
        client.post(
            reverse("opac:login", args=[world.outsider_school.pk]), {"code": "HS0001", "pin": pin}
        ).status_code
        == 422
    )


def test_a_linked_account_is_its_reader(world, client_for):
    client = client_for(world.librarian)  # the teacher reader GV0001 is linked to this account
    account = client.get(reverse("opac:account")).content.decode()
    assert "Lê Thị Cúc" in account
