"""The SIP2 server, spoken to by a SIP2 client written by someone else (PyPI's `Sip2`, as a
self-check kiosk speaks it) over a real TCP connection on 127.0.0.1: login, status, patron
information, checkout, item information, checkin (a copy set aside for a hold says so), renew,
end of session; and the protocol's rules checked on raw bytes (checksums, a kiosk not logged
in, a resend)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from Sip2.sip2 import Sip2

from thuvien.catalogue.models import Copy
from thuvien.circulation.models import Loan, Reader, SipAccount
from thuvien.circulation.services import holds, readers
from thuvien.circulation.sip2.protocol import checksum, parse
from thuvien.circulation.sip2.server import serve

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sip_server(world, tmp_path) -> Iterator[tuple[str, int]]:
    account = SipAccount(school=world.school, login="kiosk-a1", location="Sảnh thư viện")
    account.set_password("mat-khau-kiosk")
    account.save()
    server = serve("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def kiosk(address, tmp_path) -> Sip2:
    client = Sip2()
    client.hostName, client.hostPort = address
    client.tlsEnable = False
    client.socketTimeout = 10
    client.logfile_path = str(tmp_path)
    client.institutionId = "A1"
    client.connect()
    return client


def test_a_kiosk_lends_and_takes_back_through_sip2(world, sip_server, tmp_path):
    client = kiosk(sip_server, tmp_path)
    login = client.sip_login_response(
        client.get_response(client.sip_login_request("kiosk-a1", "mat-khau-kiosk"))
    )
    assert login["fixed"]["Ok"] == "1"
    status = client.sip_sc_status_response(client.get_response(client.sip_sc_status_request()))
    assert status["fixed"]["OnlineStatus"] == "Y"
    assert status["variable"]["AM"] == [world.school.name]

    reader = Reader.objects.get(school=world.school, code="HS0001")
    pin = readers.new_pin(reader)
    client.patron, client.patronpwd = "HS0001", pin
    info = client.sip_patron_information_response(
        client.get_response(client.sip_patron_information_request("charged"))
    )
    assert info["variable"]["AE"] == ["Nguyễn Văn An"] and info["variable"]["BL"] == ["Y"]
    assert info["variable"]["CQ"] == ["Y"]

    copy = Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk").first()
    out = client.sip_checkout_response(
        client.get_response(client.sip_checkout_request(copy.barcode))
    )
    assert out["fixed"]["Ok"] == "1"
    assert out["variable"]["AJ"] == ["Cho tôi xin một vé đi tuổi thơ"]
    loan = Loan.objects.get(copy=copy, returned_at__isnull=True)
    assert out["variable"]["AH"] == [f"{loan.due_on:%Y%m%d}    235959"]
    # The kiosk did not hear the answer and sends it again: still one loan.
    again = client.sip_checkout_response(
        client.get_response(client.sip_checkout_request(copy.barcode))
    )
    assert again["fixed"]["Ok"] == "1" and Loan.objects.filter(copy=copy).count() == 1

    item = client.sip_item_information_response(
        client.get_response(client.sip_item_information_request(copy.barcode))
    )
    assert item["fixed"]["CirculationStatus"] == "04"  # charged

    renewed = client.sip_renew_response(client.get_response(client.sip_renew_request(copy.barcode)))
    assert renewed["fixed"]["Ok"] == "0"  # lent today: renewing gives no more time, and says so
    assert "không thêm được ngày nào" in renewed["variable"]["AF"][0]

    holds.place_hold(
        world.school, Reader.objects.get(school=world.school, code="HS0002"), copy.record
    )
    back = client.sip_checkin_response(
        client.get_response(client.sip_checkin_request(copy.barcode))
    )
    assert back["fixed"]["Ok"] == "1" and back["fixed"]["Alert"] == "Y"  # set aside for the hold
    assert "Để riêng cho Trần Thị Đường" in back["variable"]["AF"][0]
    assert Loan.objects.get(copy=copy).returned_at is not None

    refused = client.sip_checkout_response(
        client.get_response(client.sip_checkout_request("KHONG-CO"))
    )
    assert refused["fixed"]["Ok"] == "0"
    assert "hãy kiểm tra nhãn" in refused["variable"]["AF"][0]
    end = client.sip_end_patron_session_response(
        client.get_response(client.sip_end_patron_session_request())
    )
    assert end["fixed"]["EndSession"] == "Y"
    client.disconnect()


def test_a_wrong_pin_or_password_and_another_schools_reader_are_refused(
    world, sip_server, tmp_path
):
    client = kiosk(sip_server, tmp_path)
    wrong = client.sip_login_response(
        client.get_response(client.sip_login_request("kiosk-a1", "sai"))
    )
    assert wrong["fixed"]["Ok"] == "0"
    # Not logged in: nothing is lent.
    copy = Copy.objects.filter(school=world.school, collection__code="STN").first()
    client.patron = "HS0001"
    out = client.sip_checkout_response(
        client.get_response(client.sip_checkout_request(copy.barcode))
    )
    assert out["fixed"]["Ok"] == "0" and not Loan.objects.exists()
    client.get_response(client.sip_login_request("kiosk-a1", "mat-khau-kiosk"))
    readers.new_pin(Reader.objects.get(school=world.school, code="HS0001"))
    client.patron, client.patronpwd = "HS0001", "000000x"
    status = client.sip_patron_status_response(
        client.get_response(client.sip_patron_status_request())
    )
    assert status["variable"]["BL"] == ["N"]
    # The outsider school's HS0001 is not this kiosk's reader: the school's own is found.
    client.patron, client.patronpwd = "KHONG01", ""
    out = client.sip_checkout_response(
        client.get_response(client.sip_checkout_request(copy.barcode))
    )
    assert (
        out["fixed"]["Ok"] == "0" and "Không có bạn đọc nào của trường" in out["variable"]["AF"][0]
    )
    client.disconnect()


def _raw(address, message: str) -> str:
    with socket.create_connection(address, timeout=10) as conn:
        conn.sendall(message.encode())
        return conn.recv(4096).decode()


def test_checksums_and_resends_on_raw_bytes(world, sip_server):
    body = "9900302.00AY1AZ"
    good = _raw(sip_server, body + checksum(body) + "\r")
    assert good.startswith("98NNNNNN") and "AY1AZ" in good  # not logged in: offline
    assert checksum(good[: good.rindex("AZ") + 2]) == good[good.rindex("AZ") + 2 :].strip()
    assert _raw(sip_server, body + "0000\r").startswith("96")  # a wrong checksum: resend
    assert _raw(sip_server, "XX hello\r").startswith("96")
    parsed = parse("9300CNkiosk|COpw|CPSảnh|AY4AZ" + checksum("9300CNkiosk|COpw|CPSảnh|AY4AZ"))
    assert parsed.checksum_ok and parsed.get("CP") == "Sảnh" and parsed.sequence == "4"
