"""Library cards: every card's Code 128 and QR code read back by zxing-cpp (someone else's
reader) from the rendered pages; ten cards a sheet; a reader of another school gets no card."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse

from tests.catalogue.test_labels import read_pdf
from thuvien.circulation.models import Reader
from thuvien.circulation.services import readers


def test_a_class_s_cards_read_back_as_code_128_and_qr(world, client_for):
    for i in range(10):
        readers.save_reader(
            world.school, kind="student", code=f"0{i}20251234{i}", full_name=f"Lê Thị Hồng {i}",
            class_name="6A1", grade=6, school_year=2025,
        )  # fmt: skip
    response = client_for(world.librarian).get(reverse("circulation:cards"), {"class": "6A1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "the-thu-vien-lop-6a1.pdf" in response["Content-Disposition"]
    found, text, pages = read_pdf(response.content)
    codes = list(Reader.objects.filter(class_name="6A1").values_list("code", flat=True))
    assert len(codes) == 12 and pages == 2  # ten a sheet
    # Each card carries its code twice: the Code 128 and the QR code.
    assert Counter(found) == Counter({code: 2 for code in codes})
    assert "THẺ THƯ VIỆN" in text and "Trần Thị Đường" in text and "Lớp 6A1" in text
    assert "Năm học 2025–2026" in text


def test_one_readers_card_and_nobody_elses(world, client_for):
    teacher = Reader.objects.get(school=world.school, code="GV0001")
    response = client_for(world.librarian).get(
        reverse("circulation:reader_card", args=[teacher.pk])
    )
    found, text, _pages = read_pdf(response.content)
    assert sorted(found) == ["GV0001", "GV0001"] and "Giáo viên" in text
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("circulation:reader_card", args=[teacher.pk])).status_code == 404
    theirs = outsider.get(reverse("circulation:cards"))
    _found, text, _pages = read_pdf(theirs.content)
    assert "Lê Thị Cúc" not in text and "Ngoaivi" in text
