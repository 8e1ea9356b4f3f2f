"""The legal registers: made from the data for a period, as PDF (A4 landscape) and XLSX, and
the page that downloads them (school people their own school, supervisors a school in scope)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdfium2 as pdfium
import pytest
from django.utils.translation import gettext
from openpyxl import load_workbook

from thuvien.catalogue import register_pages, registers
from thuvien.catalogue.models import Copy, Withdrawal
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import acquisitions, copies, records

START, END = dt.date(2025, 9, 1), dt.date(2026, 6, 30)
URL = "/catalogue/registers/download/"


def pdf_text(content: bytes) -> tuple[str, list[tuple[float, float]]]:
    """The PDF's text, its lines joined (a cell wraps its text at a column's width, after a
    space or a slash: such breaks are taken out), and the size of each page in points."""
    document = pdfium.PdfDocument(content)
    try:
        pages = [document[i] for i in range(len(document))]
        text = "\n".join(page.get_textpage().get_text_range() for page in pages)
        text = re.sub(r"/\r?\n", "/", text)
        return re.sub(r"\s+", " ", text), [page.get_size() for page in pages]
    finally:
        document.close()


def page_texts(content: bytes) -> list[str]:
    """Each page's text as pdfium reads it, white space as single spaces."""
    document = pdfium.PdfDocument(content)
    try:
        return [
            re.sub(r"\s+", " ", document[i].get_textpage().get_text_range())
            for i in range(len(document))
        ]
    finally:
        document.close()


def approve(world) -> Withdrawal:
    withdrawal = Withdrawal.objects.get(school=world.school)
    acquisitions.approve_withdrawal(
        withdrawal,
        by=world.principal,
        minutes_number="05/BB-TV",
        minutes_date=dt.date(2026, 5, 20),
        decision_number="12/QĐ-THND",
    )
    return withdrawal


def test_the_individual_register_marks_the_withdrawn_copy(world):
    approve(world)
    text, sizes = pdf_text(registers.register_pdf("individual", world.school, START, END))
    assert all(width > height for width, height in sizes)  # A4 landscape
    assert abs(sizes[0][0] - 841.9) < 1 and abs(sizes[0][1] - 595.3) < 1
    assert "SỔ ĐĂNG KÝ CÁ BIỆT" in text and "TRƯỜNG TIỂU HỌC NGUYỄN DU" in text
    assert "STN.000001" in text and "STN.000002" in text
    assert "SGK.000001" not in text  # textbooks have their own register
    assert "đã thanh lọc, QĐ số 12/QĐ-THND" in text
    assert text.count("đã thanh lọc") == 1
    rows = list(registers.individual_rows(world.school, START, END))
    assert [row[0] for row in rows] == ["STN.000001", "STN.000002"]
    batch = Copy.objects.get(registration_number="STN.000001", school=world.school).batch
    assert rows[0][2] == batch.number  # the general register's line of its batch
    assert rows[1][8] == "đã thanh lọc, QĐ số 12/QĐ-THND" and rows[0][8] == ""


def test_the_minutes_number_stands_in_for_a_missing_decision(world):
    withdrawal = Withdrawal.objects.get(school=world.school)
    acquisitions.approve_withdrawal(
        withdrawal, by=world.principal, minutes_number="07/BB", minutes_date=dt.date(2026, 5, 2)
    )
    notes = [row[8] for row in registers.individual_rows(world.school, START, END)]
    assert notes == ["", "đã thanh lọc, QĐ số 07/BB"]


def test_the_general_register_has_its_three_parts(world):
    withdrawal = approve(world)
    register = registers.build("general", world.school, START, END)
    accessions, withdrawals, stocktakes = (list(s.rows) for s in register.sections)
    batch = Copy.objects.filter(school=world.school).first().batch
    assert accessions == [
        [batch.number, "08/09/2025", "Mua", "Công ty Sách và Thiết bị Bến Tre",
         "HĐ 0012345", 3, 2, 0, 5, 460_000, ""],
    ]  # fmt: skip
    assert withdrawals == [
        [withdrawal.number, "20/05/2026", "05/BB-TV", "20/05/2026", "12/QĐ-THND", 1, 85_000,
         "Sách hư hỏng"],
    ]  # fmt: skip
    # Held on 31 May 2026: 5 registered, 1 withdrawn on 20 May.
    assert stocktakes == [
        ["Hiện còn đến ngày 31/05/2026", "2025–2026", 3, 1, 4, 3 * 23_000 + 85_000]
    ]
    text, _sizes = pdf_text(registers.register_pdf("general", world.school, START, END))
    assert "SỔ ĐĂNG KÝ TỔNG QUÁT" in text and "460.000" in text and "05/BB-TV" in text
    assert "Phần I. Nhập kho" in text and "Phần III. Kiểm kê hằng năm" in text
    assert "Hiện còn đến ngày 31/05/2026" in text and "Trang 1/1" in text


def test_a_section_without_rows_says_none(world):
    text, _sizes = pdf_text(registers.register_pdf("general", world.school, START, END))
    assert "Phần II. Xuất kho" in text and text.count("Chưa có") == 1  # nothing withdrawn yet


def test_a_withdrawal_after_the_year_end_still_counts_the_copy(world):
    withdrawal = Withdrawal.objects.get(school=world.school)
    acquisitions.approve_withdrawal(
        withdrawal, by=world.principal, minutes_number="9", minutes_date=dt.date(2026, 6, 10)
    )
    section = registers.stocktakes(world.school, START, END)
    assert [row[4] for row in section.rows] == [5]


def test_the_textbook_register_groups_a_years_copies_as_a_range(world):
    textbook = world_textbook(world)
    reissue = records.create_record(
        RecordData(
            title="Tiếng Việt 1", part="Tập một", doc_type="sgk", grade=1, year=2026,
            publisher="Giáo dục Việt Nam", local_class="4(075)",
        ),
        school=world.school,
        by=world.librarian,
    )  # fmt: skip
    copies.add_copies(reissue, school=world.school, count=2, by=world.librarian,
                      registered_on=dt.date(2026, 3, 1))  # fmt: skip
    copies.add_copies(textbook, school=world.school, count=1, by=world.librarian,
                      registered_on=dt.date(2026, 3, 2))  # fmt: skip
    sections = registers.build("textbook", world.school, START, END).sections
    assert [s.title for s in sections] == ["Tiếng Việt 1 — Tập một"]
    lines = list(sections[0].rows)
    # 2025 printing: SGK.000001-3 then SGK.000006 (after the 2026 copies); 2026: 4-5.
    assert [(line[2], line[3], line[4]) for line in lines] == [
        (2025, "SGK.000001–SGK.000003, SGK.000006", 4),
        (2026, "SGK.000004–SGK.000005", 2),
    ]
    text, sizes = pdf_text(registers.register_pdf("textbook", world.school, START, END))
    assert "SỔ ĐĂNG KÝ SÁCH GIÁO KHOA" in text and "SGK.000001–SGK.000003" in text
    assert sizes[0][0] > sizes[0][1]
    # The page's heading: title and volume, the class mark in the corner, the publisher.
    assert "Tiếng Việt 1 — Tập một" in text and sections[0].corner in text
    assert sections[0].corner and "Giáo dục Việt Nam" in text


def world_textbook(world):
    return Copy.objects.get(school=world.school, registration_number="SGK.000001").record


def test_the_period_leaves_out_what_was_registered_outside_it(world):
    later = dt.date(2026, 9, 1), dt.date(2027, 6, 30)
    assert list(registers.individual_rows(world.school, *later)) == []
    assert list(registers.accessions(world.school, *later).rows) == []
    text, _sizes = pdf_text(registers.register_pdf("textbook", world.school, *later))
    # Not yet in the catalogue: gettext gives what the Vietnamese pages show.
    assert gettext("Nothing was registered in this period.") in text
    assert "Từ ngày 01/09/2026 đến ngày 30/06/2027" in text


LONG_TITLE = (
    "Phát triển văn hóa đọc trong nhà trường phổ thông: lý luận, thực tiễn và những kinh "
    "nghiệm hay của các thư viện trường học vùng đồng bằng sông Cửu Long"
)


def test_a_long_register_repeats_its_heading_row_and_wraps_long_titles(world):
    record = records.create_record(
        RecordData(
            title=LONG_TITLE, author="Nguyễn Thị Ngọc Thuần", doc_type="stn",
            publisher="Đại học Sư phạm", place="Hà Nội", year=2022,
        ),
        school=world.school,
        by=world.librarian,
    )  # fmt: skip
    copies.add_copies(record, school=world.school, count=150, by=world.librarian,
                      registered_on=dt.date(2026, 1, 5), price_vnd=1_250_000)  # fmt: skip
    pages = page_texts(registers.register_pdf("individual", world.school, START, END))
    # 152 lines, those of the long title three or four lines high: about ten a page.
    assert 10 <= len(pages) <= 25
    assert "TRƯỜNG TIỂU HỌC NGUYỄN DU" in pages[0] and "SỔ ĐĂNG KÝ CÁ BIỆT" in pages[0]
    assert "SỔ ĐĂNG KÝ CÁ BIỆT" not in pages[1]  # the register's heading once
    for number, text in enumerate(pages, start=1):
        assert "Số ĐKCB" in text and "Tên sách / tác giả" in text, number
        assert f"Trang {number}/{len(pages)}" in text
    everything = " ".join(pages)
    assert "STN.000152" in everything and "1.250.000" in everything
    words = set(everything.split())
    record.refresh_from_db()  # as catalogued: "văn hoá", the tone mark on the vowel
    assert set(f"{record.title} / Nguyễn Thị Ngọc Thuần".split()) <= words  # nothing cut
    assert everything.count("STN.0") == 152


def test_wrapping_keeps_every_letter_within_the_width():
    register_pages.register_fonts()
    font, size, width = register_pages.REGULAR, 9.5, 60
    text = "Tuyển tập   truyện ngắn\nhay nhất của Nguyễn Huy Thiệp"
    lines = register_pages.wrap(text, font, size, width)
    assert len(lines) > 1 and " ".join(lines) == " ".join(text.split())
    assert all(register_pages.width_of(line, font, size) <= width for line in lines)
    code = "SGK.000001–SGK.000999,SGK.001000–SGK.001999"  # one word, wider than the column
    pieces = register_pages.wrap(code, font, size, width)
    assert len(pieces) > 1 and "".join(pieces) == code
    assert all(register_pages.width_of(p, font, size) <= width for p in pieces)
    assert register_pages.wrap("   ", font, size, width) == [""]


def test_a_cell_taller_than_a_page_goes_on_to_the_next(world):
    words = [f"ghi{n}chú" for n in range(1500)]
    section = registers.Section(
        "", ["A", "B"], [1, 1], [["STN.000001", " ".join(words)], ["STN.000002", "cuối"]]
    )
    register = registers.Register("individual", "SỔ", world.school, START, END, [section])
    pages = register_pages.layout(register, governing="UBND", period="2025–2026")
    assert len(pages) >= 2
    placed = list(register_pages.pages_text(pages))
    assert " ".join(placed).split()[-1] == "cuối"
    assert set(words) <= set(" ".join(placed).split())
    assert all(register_pages.BOTTOM <= t.y <= register_pages.TOP for p in pages for t in p.texts)


@pytest.mark.parametrize("kind", registers.KINDS)
def test_the_xlsx_reads_back_with_text_and_numbers(world, kind):
    approve(world)
    book = load_workbook(io.BytesIO(registers.register_xlsx(kind, world.school, START, END)))
    values = [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "TRƯỜNG TIỂU HỌC NGUYỄN DU" in flat and registers.TITLES[kind] in flat
    if kind == "individual":
        row = next(r for r in values if r[0] == "STN.000002")
        assert row[6] == 85_000 and row[8] == "đã thanh lọc, QĐ số 12/QĐ-THND"
    if kind == "general":
        assert [s.title for s in book.worksheets] == [
            "Phần I. Nhập kho", "Phần II. Xuất kho", "Phần III. Kiểm kê hằng năm"
        ]  # fmt: skip
        assert 460_000 in flat


# --- The page and the download -----------------------------------------------------------------

QUERY = {"kind": "individual", "start": "2025-09-01", "end": "2026-06-30", "fmt": "pdf"}


def test_the_librarian_downloads_the_schools_register(world, client_for):
    client = client_for(world.librarian)
    page = client.get("/catalogue/registers/")
    assert page.status_code == 200 and 'name="school"' not in page.content.decode()
    response = client.get(URL, QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text, _sizes = pdf_text(response.content)
    assert "STN.000001" in text and "TRƯỜNG TIỂU HỌC NGUYỄN DU" in text
    response = client.get(URL, {**QUERY, "fmt": "xlsx"})
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_the_principal_and_the_office_see_the_registers(world, client_for):
    assert client_for(world.principal).get(URL, QUERY).status_code == 200
    office = client_for(world.office_officer)
    assert office.get(URL, QUERY).status_code == 422  # a supervisor chooses the school
    response = office.get(URL, {**QUERY, "school": world.school.pk})
    assert response.status_code == 200
    assert "STN.000001" in pdf_text(response.content)[0]


def test_a_supervisor_cannot_choose_a_school_out_of_scope(world, client_for):
    office = client_for(world.office_officer)
    response = office.get(URL, {**QUERY, "school": world.outsider_school.pk})
    assert response.status_code == 422
    assert world.outsider_school.name not in response.content.decode()
    page = office.get("/catalogue/registers/").content.decode()
    assert world.school.name in page and world.outsider_school.name not in page


def test_the_outsider_gets_only_their_own_school(world, client_for):
    query = {**QUERY, "school": world.school.pk, "end": "2030-12-31"}
    response = client_for(world.outsider).get(URL, query)
    assert response.status_code == 200
    text = pdf_text(response.content)[0]
    assert "STN.000001" in text  # the outsider's own copy
    assert world.school.name.upper() not in text


def test_wrong_role_anonymous_and_method(world, client_for, client):
    assert client_for(world.reader).get(URL, QUERY).status_code == 403
    assert client_for(world.trainer).get("/catalogue/registers/").status_code == 403
    response = client.get(URL, QUERY)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(world.librarian).post(URL, QUERY).status_code == 405


def test_a_period_that_ends_before_it_starts_is_refused(world, client_for):
    response = client_for(world.librarian).get(URL, {**QUERY, "start": "2026-07-01"})
    assert response.status_code == 422
    assert "Ngày kết thúc đứng trước ngày bắt đầu." in response.content.decode()
