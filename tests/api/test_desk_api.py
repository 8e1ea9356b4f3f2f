"""The desk's API for scanner apps and self-check stations, and the public catalogue's search
as JSON: with a token, as a real client calls them."""

from __future__ import annotations

from thuvien.catalogue.models import Copy
from thuvien.circulation.models import Loan


def novel_copy(world) -> Copy:
    return Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk").first()


def test_a_scanner_app_lends_and_takes_back_once_per_scan(world, api_client_for):
    client = api_client_for(world.librarian)
    copy = novel_copy(world)
    body = {"reader": "HS0001", "barcode": copy.barcode, "key": "app-1"}
    first = client.post("/api/v1/desk/checkout/", body, format="json")
    assert first.status_code == 200 and first.json()["state"] == "done"
    again = client.post("/api/v1/desk/checkout/", body, format="json")
    assert again.json()["loan"] == first.json()["loan"] and Loan.objects.count() == 1
    seen = client.get("/api/v1/desk/availability/", {"barcode": copy.barcode}).json()
    assert seen["available"] is False and seen["due"] == first.json()["due"]
    back = client.post(
        "/api/v1/desk/checkin/", {"barcode": copy.barcode, "key": "app-2"}, format="json"
    )
    assert back.json()["returned"] is True
    assert client.get("/api/v1/desk/availability/", {"barcode": copy.barcode}).json()["available"]


def test_refusals_are_422_with_the_message_and_others_see_nothing(world, api_client_for):
    client = api_client_for(world.librarian)
    refused = client.post(
        "/api/v1/desk/checkout/", {"reader": "HS0001", "barcode": "KHONG-CO"}, format="json"
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Không có bản sách nào của trường mang mã vạch KHONG-CO: hãy kiểm tra nhãn."
    }
    assert client.post("/api/v1/desk/checkout/", {}, format="json").status_code == 400
    principal = api_client_for(world.principal)
    assert (
        principal.post("/api/v1/desk/checkin/", {"barcode": "x"}, format="json").status_code == 403
    )
    outsider = api_client_for(world.outsider)
    Copy.objects.filter(school=world.outsider_school).update(
        barcode="NGOAI-1", registration_number="NGOAI-1"
    )
    mine = novel_copy(world).barcode
    assert outsider.get("/api/v1/desk/availability/", {"barcode": mine}).status_code == 404


def test_the_catalogue_search_as_json(world, api_client_for):
    client = api_client_for(world.reader)
    found = client.get(f"/api/v1/opac/{world.department.pk}/search/", {"q": "ve di tuoi tho"})
    data = found.json()
    assert found.status_code == 200 and data["total"] == 1
    hit = data["results"][0]
    assert hit["title"] == "Cho tôi xin một vé đi tuổi thơ" and hit["copies"] == 3
    assert ["stn", 1] in data["facets"]["doc_type"]
    assert client.get("/api/v1/opac/999999/search/", {"q": "x"}).status_code == 404
