"""Vietnamese MARC21 records made for the tests: every tone mark and đ, NFC and NFD text,
UTF-8 flagged and unflagged, and MARC-8 (pymarc writes MARC-8 only for ASCII text)."""

from __future__ import annotations

import unicodedata

import pymarc

F, S, Ind = pymarc.Field, pymarc.Subfield, pymarc.Indicators
# a ă â e ê i o ô ơ u ư y with the five tones, and đ/Đ.
TONES = "àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự ỳýỷỹỵ đ Đ"


def record(
    title: str, *, isbn: str = "", coding: str = "a", nfd: bool = False, extra: list | None = None
) -> pymarc.Record:
    norm = (lambda s: unicodedata.normalize("NFD", s)) if nfd else (lambda s: s)
    r = pymarc.Record(force_utf8=coding == "a", leader=f"00000nam {coding}2200000 i 4500")
    r.add_field(F("008", data="250908s2024    vm            000 0 vie d"))
    if isbn:
        r.add_field(F("020", Ind(" ", " "), [S("a", isbn)]))
    r.add_field(F("041", Ind("0", " "), [S("a", "vie")]))
    r.add_field(F("082", Ind("0", "4"), [S("a", "895.9223")]))
    r.add_field(F("100", Ind("0", " "), [S("a", norm("Nguyễn Nhật Ánh")), S("d", "1955-")]))
    r.add_field(
        F(
            "245",
            Ind("1", "0"),
            [
                S("a", norm(title) + " :"),
                S("b", norm("truyện dài") + " /"),
                S("c", norm("Nguyễn Nhật Ánh") + "."),
            ],
        )
    )
    r.add_field(F("250", Ind(" ", " "), [S("a", "Tái bản lần thứ 5.")]))
    r.add_field(
        F("264", Ind(" ", "1"), [S("a", "TP. Hồ Chí Minh :"), S("b", "Trẻ,"), S("c", "2024.")])
    )
    r.add_field(F("300", Ind(" ", " "), [S("a", "250 tr. ;"), S("c", "20 cm")]))
    r.add_field(F("500", Ind(" ", " "), [S("a", norm(TONES))]))  # a field the form does not show
    r.add_field(F("520", Ind(" ", " "), [S("a", norm("Tuổi thơ êm đềm ở làng quê Việt Nam."))]))
    r.add_field(F("650", Ind(" ", "4"), [S("a", "Văn học thiếu nhi"), S("x", "Truyện dài")]))
    r.add_field(F("700", Ind("0", " "), [S("a", "Đỗ Hoàng Tường")]))
    for field in extra or []:
        r.add_field(field)
    return r


def vietnamese_file() -> bytes:
    flagged = record("Mắt biếc", isbn="978-604-1-00001-8")
    nfd = record("Đảo mộng mơ", nfd=True, isbn="9786041000025")
    unflagged = record("Tôi thấy hoa vàng trên cỏ xanh", coding=" ")
    holdings = record(
        "Cô gái đến từ hôm qua",
        extra=[
            F("952", Ind(" ", " "), [S("p", "VN0001"), S("o", "895.9223 NG-A"), S("g", "85000")]),
            F("952", Ind(" ", " "), [S("p", "VN0002"), S("c", "Kho mở")]),
        ],
    )
    return b"".join(r.as_marc() for r in (flagged, nfd, unflagged, holdings))


def marc8_file() -> bytes:
    r = pymarc.Record(leader="00000nam  2200000 i 4500")
    r.add_field(F("245", Ind("0", "0"), [S("a", "Vietnamese grammar :"), S("b", "a primer.")]))
    r.add_field(F("020", Ind(" ", " "), [S("a", "0306406152")]))
    return r.as_marc()
