"""Stocktake: scans counted once, the outcome (missing, misplaced, unexpected, on loan), a
partial stocktake that marks nothing else missing, the principal's approval, the minutes."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from thuvien.catalogue.models import Collection, Copy, CopyStatus
from thuvien.catalogue.services import copies as copy_services
from thuvien.circulation.models import Reader
from thuvien.circulation.services import desk
from thuvien.stocktake import services
from thuvien.stocktake.models import Outcome, StocktakeLine, StocktakeStatus


def school_copies(world) -> list[Copy]:
    rows = Copy.objects.filter(school=world.school).order_by("collection__code", "pk")
    return list(rows.select_related("collection"))


@pytest.fixture
def shelved(world) -> list[Copy]:
    """The school's five copies: the three textbooks on shelf A1, the two novels on B2."""
    for copy in school_copies(world):
        shelf = "A1" if copy.collection.code == "SGK" else "B2"
        Copy.objects.filter(pk=copy.pk).update(location=shelf)
    return school_copies(world)


def outcome_of(stocktake) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in StocktakeLine.objects.filter(stocktake=stocktake):
        found.setdefault(line.outcome, set()).add(line.barcode)
    return found


def test_a_whole_school_stocktake_finds_missing_misplaced_unexpected_and_on_loan(world, shelved):
    sgk1, sgk2, sgk3, novel1, novel2 = shelved
    desk.check_out(world.school, Reader.objects.get(code="HS0001", school=world.school),
                   novel2.barcode, by=None)  # fmt: skip
    Copy.objects.filter(pk=sgk3.pk).update(status=CopyStatus.LOST)
    foreign = Copy.objects.get(school=world.outsider_school)
    Copy.objects.filter(pk=foreign.pk).update(barcode="NGOAI-1")
    stocktake = services.open_stocktake(world.school, by=world.librarian)

    assert not services.scan(stocktake, sgk1.barcode, by=None, found_at="A1", key="k1").repeated
    assert services.scan(stocktake, sgk1.barcode, by=None, found_at="A1", key="k1").repeated
    assert services.scan(stocktake, sgk1.barcode, by=None, found_at="A1", key="k2").repeated
    services.scan(stocktake, sgk3.barcode, by=None, found_at="A1")  # marked lost: found
    moved = services.scan(stocktake, novel1.barcode, by=None, found_at="A1")  # on the wrong shelf
    assert moved.message == "Đã kiểm: Cho tôi xin một vé đi tuổi thơ."
    other = services.scan(stocktake, "NGOAI-1", by=None, found_at="A1")
    assert other.message == "NGOAI-1 là bản sách của trường khác: hãy để riêng."
    services.scan(stocktake, "KHONG-CO", by=None, found_at="A1")
    counts = services.close(stocktake, by=world.librarian)
    assert counts["scanned"] == 5
    assert outcome_of(stocktake) == {
        Outcome.MISSING: {sgk2.barcode},
        Outcome.ON_LOAN: {novel2.barcode},
        Outcome.MISPLACED: {novel1.barcode},
        Outcome.FOUND_LOST: {sgk3.barcode},
        Outcome.OTHER_SCHOOL: {"NGOAI-1"},
        Outcome.UNKNOWN: {"KHONG-CO"},
    }
    line = StocktakeLine.objects.get(stocktake=stocktake, outcome=Outcome.MISPLACED)
    assert (line.expected_at, line.found_at) == ("B2", "A1")
    with pytest.raises(services.StocktakeError, match="đã đóng"):
        services.scan(stocktake, sgk2.barcode, by=None)

    lost, back = services.apply(stocktake, by=world.principal)
    assert (lost, back) == (1, 1)
    assert Copy.objects.get(pk=sgk2.pk).status == CopyStatus.LOST
    assert Copy.objects.get(pk=sgk3.pk).status == CopyStatus.AVAILABLE
    assert Copy.history.filter(id=sgk2.pk, status=CopyStatus.LOST).exists()  # audited
    with pytest.raises(services.StocktakeError):
        services.apply(stocktake, by=world.principal)


def test_a_partial_stocktake_never_marks_unscanned_shelves_missing(world, shelved):
    sgk1, _sgk2, _sgk3, novel1, novel2 = shelved
    stories = Collection.objects.get(school=world.school, code="STN")
    stocktake = services.open_stocktake(world.school, by=None, collection=stories)
    services.scan(stocktake, novel1.barcode, by=None, found_at="B2")
    services.scan(stocktake, sgk1.barcode, by=None, found_at="B2")  # a textbook among them
    services.close(stocktake, by=None)
    assert outcome_of(stocktake) == {
        Outcome.MISSING: {novel2.barcode},
        Outcome.MISPLACED: {sgk1.barcode},
    }
    shelf = services.open_stocktake(world.school, by=None, location="A1")
    services.close(shelf, by=None)
    assert outcome_of(shelf) == {Outcome.MISSING: {c.barcode for c in shelved[:3]}}


def test_closing_reads_a_fixed_number_of_queries(world, shelved, django_assert_max_num_queries):
    made = copy_services.add_copies(shelved[0].record, school=world.school, count=200, by=None)
    stocktake = services.open_stocktake(world.school, by=None)
    for copy in made[:150]:
        services.scan(stocktake, copy.barcode, by=None)
    with django_assert_max_num_queries(12):
        counts = services.close(stocktake, by=None)
    assert counts[Outcome.MISSING] == 50 + 5


def test_the_pages_the_scan_endpoint_and_the_minutes(world, shelved, client_for):
    librarian = client_for(world.librarian)
    response = librarian.post(reverse("stocktake:list"), {"collection": "", "location": ""})
    stocktake_id = int(re.search(r"/stocktake/(\d+)/", response["Location"]).group(1))
    scan_url = reverse("stocktake:scan", args=[stocktake_id])
    done = librarian.post(scan_url, {"barcode": shelved[0].barcode, "key": "a", "found_at": "A1"})
    assert done.json()["state"] == "done"
    assert librarian.post(scan_url, {"barcode": shelved[0].barcode, "key": "a"}).json()[
        "state"
    ] == ("repeated")
    outsider = client_for(world.outsider)
    assert outsider.post(scan_url, {"barcode": shelved[1].barcode}).status_code == 404
    assert outsider.get(reverse("stocktake:detail", args=[stocktake_id])).status_code == 404
    librarian.post(reverse("stocktake:close", args=[stocktake_id]))
    assert librarian.post(reverse("stocktake:apply", args=[stocktake_id])).status_code == 403
    pdf = librarian.get(reverse("stocktake:minutes", args=[stocktake_id]))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "BIÊN BẢN KIỂM KÊ THƯ VIỆN" in text and shelved[1].barcode in text
    principal = client_for(world.principal)
    page = principal.post(reverse("stocktake:apply", args=[stocktake_id]), follow=True)
    assert "Đã áp dụng: 4 bản ghi là bị mất" in page.content.decode()
    from thuvien.stocktake.models import Stocktake

    assert Stocktake.objects.get(pk=stocktake_id).status == StocktakeStatus.APPLIED
