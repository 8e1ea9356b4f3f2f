"""The desk's pages and its scan endpoint, as the librarian, the principal and the outsider
(a librarian of another school) use them."""

from __future__ import annotations

import json

from django.urls import reverse

from thuvien.catalogue.models import Copy
from thuvien.circulation.models import Closure, Loan, LoanRule, Reader

SCAN = reverse("circulation:desk_scan")


def novel_copy(world) -> Copy:
    return Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk").first()


def scan(client, **data) -> tuple[int, dict]:
    response = client.post(SCAN, data)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_the_librarian_lends_and_takes_back_by_scanning(world, client_for):
    client = client_for(world.librarian)
    copy = novel_copy(world)
    status, answer = scan(client, mode="out", reader="HS0001", barcode=copy.barcode, key="a1")
    assert status == 200 and answer["state"] == "done"
    assert answer["message"].startswith("Đã cho mượn: Cho tôi xin một vé đi tuổi thơ, hạn trả ")
    # The same scan sent again (the answer was lost on the way): done, not done twice.
    status, again = scan(client, mode="out", reader="HS0001", barcode=copy.barcode, key="a1")
    assert (status, again["state"], again["loan"]) == (200, "done", answer["loan"])
    status, back = scan(client, mode="in", barcode=copy.barcode, key="b1")
    assert status == 200 and back["state"] == "done" and back["returned"]
    assert Loan.objects.filter(copy=copy).count() == 1


def test_a_refused_scan_answers_422_with_what_to_do(world, client_for):
    client = client_for(world.librarian)
    status, answer = scan(client, mode="out", reader="HS0001", barcode="KHONG-CO")
    assert status == 422
    assert answer == {
        "state": "refused",
        "message": "Không có bản sách nào của trường mang mã vạch KHONG-CO: hãy kiểm tra nhãn.",
    }
    status, answer = scan(client, mode="out", reader="HS0001", barcode="")
    assert (status, answer["message"]) == (422, "Hãy quét hoặc gõ mã vạch của bản sách.")
    status, answer = scan(client, mode="in", barcode=novel_copy(world).barcode)
    assert status == 422 and "không có ai mượn" in answer["message"]


def test_the_outsider_neither_lends_our_copies_nor_finds_our_readers(world, client_for):
    client = client_for(world.outsider)
    ours = novel_copy(world)
    Copy.objects.filter(school=world.outsider_school).update(
        barcode="NGOAI-1", registration_number="NGOAI-1"
    )
    status, answer = scan(client, mode="out", reader="HS0001", barcode=ours.barcode)
    assert status == 422 and "Không có bản sách nào của trường" in answer["message"]
    status, answer = scan(client, mode="in", barcode=ours.barcode)
    assert status == 422
    # Its own desk: the reader HS0001 there is its own student, not ours.
    page = client.get(reverse("circulation:desk"), {"reader": "HS0001"})
    assert (
        "Học sinh Ngoaivi" in page.content.decode() and "Nguyễn Văn An" not in page.content.decode()
    )
    assert not Loan.objects.exists()
    student = Reader.objects.get(school=world.school, code="HS0001")
    assert client.get(reverse("circulation:reader_detail", args=[student.pk])).status_code == 404


def test_the_principal_follows_the_readers_but_does_not_lend(world, client_for):
    client = client_for(world.principal)
    data = {"mode": "out", "reader": "HS0001", "barcode": novel_copy(world).barcode}
    assert client.post(SCAN, data).status_code == 403
    assert client.get(reverse("circulation:desk")).status_code == 403
    page = client.get(reverse("circulation:reader_list"))
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    assert not Loan.objects.exists()


def test_the_desk_shows_the_reader_scanned_and_what_they_hold(world, client_for):
    client = client_for(world.librarian)
    copy = novel_copy(world)
    scan(client, mode="out", reader="HS0001", barcode=copy.barcode, key="x")
    page = client.get(reverse("circulation:desk"), {"reader": "HS0001"}).content.decode()
    assert (
        "Nguyễn Văn An" in page
        and copy.barcode in page
        and 'data-desk-scan data-mode="out"' in page
    )
    missing = client.get(reverse("circulation:desk"), {"reader": "HS404"}).content.decode()
    assert "Không có bạn đọc nào của trường mang mã HS404." in missing


def test_readers_are_found_without_diacritics_by_name_code_or_class(world, client_for):
    client = client_for(world.librarian)
    url = reverse("circulation:reader_list")
    found = client.get(url, {"q": "duong"}).content.decode()
    assert "Trần Thị Đường" in found and "Nguyễn Văn An" not in found
    assert "Nguyễn Văn An" in client.get(url, {"q": "HS0001"}).content.decode()
    assert "Trần Thị Đường" in client.get(url, {"q": "6a1"}).content.decode()
    assert "Ngoaivi" not in client.get(url).content.decode()


def test_a_reader_is_added_and_a_code_used_twice_is_refused(world, client_for):
    client = client_for(world.librarian)
    url = reverse("circulation:reader_new")
    data = {
        "kind": "student",
        "code": "HS0100",
        "full_name": "  Phạm   Minh  Khôi ",
        "class_name": "7A2",
        "grade": 7,
    }
    response = client.post(url, data)
    reader = Reader.objects.get(school=world.school, code="HS0100")
    assert response.status_code == 302 and reader.full_name == "Phạm Minh Khôi"
    again = client.post(url, {**data, "code": "HS0001"})
    assert again.status_code == 422
    assert "Một bạn đọc khác của trường đã mang mã HS0001." in again.content.decode()
    bad = client.post(url, {**data, "code": "HS 01"})
    assert "Mã bạn đọc gồm 1–30 chữ cái" in bad.content.decode()


def test_renewing_from_the_readers_page(world, client_for):
    client = client_for(world.librarian)
    copy = novel_copy(world)
    scan(client, mode="out", reader="HS0001", barcode=copy.barcode, key="r")
    loan = Loan.objects.get(copy=copy)
    response = client.post(reverse("circulation:loan_renew", args=[loan.pk]), follow=True)
    # Lent today for 14 days: renewing today gives no more time, and says so.
    assert "gia hạn lúc này không thêm được ngày nào" in response.content.decode()
    outsider = client_for(world.outsider)
    assert outsider.post(reverse("circulation:loan_renew", args=[loan.pk])).status_code == 404


def test_the_loan_rules_and_the_calendar_are_kept_by_the_librarian(world, client_for):
    client = client_for(world.librarian)
    response = client.post(
        reverse("circulation:rule_add"),
        {"reader_kind": "student", "collection": "", "loan_days": 7, "max_items": 2, "renewals": 1},
    )
    assert response.status_code == 422
    assert "Trường đã có quy định cho loại bạn đọc và kho này" in response.content.decode()
    response = client.post(
        reverse("circulation:rule_add"),
        {
            "reader_kind": "teacher",
            "collection": "",
            "loan_days": 30,
            "max_items": 10,
            "renewals": 2,
        },
    )
    assert response.status_code == 302
    assert LoanRule.objects.get(school=world.school, reader_kind="teacher").loan_days == 30
    bad = client.post(
        reverse("circulation:closure_add"),
        {"starts_on": "2026-04-30", "ends_on": "2026-04-29", "reason": "Nghỉ lễ"},
    )
    assert (
        bad.status_code == 422
        and "Ngày kết thúc nghỉ ở trước ngày bắt đầu." in bad.content.decode()
    )
    every_day = client.post(reverse("circulation:weekdays_save"), {"closed": list("0123456")})
    assert "Thư viện phải mở cửa ít nhất một ngày trong tuần." in every_day.content.decode()
    closure = Closure.objects.get(school=world.school)
    assert (
        client_for(world.outsider)
        .post(reverse("circulation:closure_delete", args=[closure.pk]))
        .status_code
        == 404
    )
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_the_overdue_list_shows_the_schools_late_loans(world, client_for):
    import datetime as dt

    client = client_for(world.librarian)
    copy = novel_copy(world)
    scan(client, mode="out", reader="HS0001", barcode=copy.barcode, key="o")
    Loan.objects.filter(copy=copy).update(due_on=dt.date(2025, 9, 1))
    page = client.get(reverse("circulation:overdue_list")).content.decode()
    assert "Nguyễn Văn An" in page and copy.barcode in page
    assert (
        "Nguyễn Văn An"
        not in client_for(world.outsider).get(reverse("circulation:overdue_list")).content.decode()
    )
