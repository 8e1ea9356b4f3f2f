"""The aggregate report as an official BÁO CÁO (PDF, DOCX) with its appendix tables, and as XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from tests.training.conftest import at
from tests.training.test_letter import docx_text, pdf_text
from tests.training.test_unit_reports import send_a1
from thuvien.documents import render_docx, render_pdf
from thuvien.documents.text import QUOC_HIEU, TIEU_NGU
from thuvien.training import report_documents
from thuvien.training.figures import unit_figures
from thuvien.training.services import reports

DPI = 100
PX_PER_MM = DPI / 25.4
# Under "UBND PHƯỜNG AN HỘI" the office's name does not repeat the ward.
OFFICE = "PHÒNG VĂN HÓA – XÃ HỘI"
SUBJECT = "Kết quả tự bồi dưỡng chuyên môn nghiệp vụ thư viện năm học 2025–2026"
TABLE_HEADERS = ("Hồ sơ của trường", "Đúng hạn", "Mức đánh giá", "Số người chọn", "Họ và tên")


@pytest.fixture
def report(world, published):
    send_a1(world, published)
    report = reports.prepare_unit_report(
        published,
        world.office,
        by=world.office_officer,
        number=15,
        symbol="BC-PGDĐT",
        results="Các trường hoàn thành kế hoạch.",
        limitations="Một số bài thu hoạch còn sơ sài.",
        proposals="Đề nghị Sở mở lớp tập huấn.",
    )
    return reports.submit_unit_report(report, by=world.office_officer, on=at(2026, 4, 18))


@pytest.fixture
def document(world, report):
    figures = unit_figures(report.campaign, report.unit)
    return report_documents.unit_report_document(report, figures, signer="Phạm Văn Phòng")


@pytest.fixture
def pdf(document):
    return render_pdf(document)


def expected_text(world):
    return (
        QUOC_HIEU,
        TIEU_NGU,
        f"UBND PHƯỜNG AN HỘI {OFFICE} CỘNG HÒA",  # the governing body above the office
        "Số: 15/BC-PGDĐT",
        "ngày 18 tháng 4 năm 2026",
        "BÁO CÁO",
        SUBJECT,
        "Kính gửi: Sở Giáo dục và Đào tạo Bến Tre.",
        "Căn cứ Công văn số 2458/SGDĐT-KHTC",
        "I. TÌNH HÌNH CHUNG",
        "Tổng số người tham gia: 2; đã nộp bài thu hoạch: 2 (đúng hạn: 1, trễ hạn: 1)",
        "Các trường hoàn thành kế hoạch.",
        "Một số bài thu hoạch còn sơ sài.",
        "Đề nghị Sở mở lớp tập huấn.",
        "Nơi nhận",
        "TRƯỞNG PHÒNG",
        "Phạm Văn Phòng",
        "Phụ lục I",
        "(Kèm theo Báo cáo số 15/BC-PGDĐT ngày 18 tháng 4 năm 2026)",
        *TABLE_HEADERS,
        world.school.name,
        world.school_a2.name,
        world.teacher_librarian.full_name,  # late
        "Thư viện xanh",
    )


def test_the_document_carries_every_part_of_the_report(world, document):
    assert document.issuing_agency == OFFICE
    assert document.kind.name == "BÁO CÁO" and document.kind.summary == SUBJECT
    assert list(document.kinh_gui) == [world.department.name]
    assert [a.title for a in document.appendices] == [
        "TỔNG HỢP KẾT QUẢ THEO TRƯỜNG",
        "PHÂN LOẠI KẾT QUẢ ĐÁNH GIÁ",
        "CHUYÊN ĐỀ TỰ CHỌN",
        "DANH SÁCH NỘP BÀI THU HOẠCH TRỄ HẠN",
        "DANH SÁCH QUÁ HẠN CHƯA NỘP BÀI THU HOẠCH",
        "CÁC TRƯỜNG CHƯA GỬI HỒ SƠ",
    ]
    assert all(appendix.landscape for appendix in document.appendices)


def test_pdf_text_follows_the_layout(world, pdf):
    text = pdf_text(pdf)
    for expected in expected_text(world):
        assert expected in text, expected
    # The per-school table: A1's row with its counts, its grades, and its late package.
    assert "Trường Tiểu học Nguyễn Du 2 2 1 1 0 2 1 1 0 0 1" in text
    assert "Tổng cộng" in text


def test_appendices_are_landscape_after_a_portrait_first_page(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    assert sizes[0] == (595, 842)
    assert len(sizes) >= 7 and set(sizes[1:]) == {(842, 595)}


def test_docx_holds_the_same_report(world, document):
    text = docx_text(render_docx(document))
    for expected in expected_text(world):
        assert expected in text, expected


def test_xlsx_has_one_sheet_per_table(world, report):
    figures = unit_figures(report.campaign, report.unit)
    book = load_workbook(io.BytesIO(report_documents.workbook(figures)))
    assert book.sheetnames == [
        "Theo trường", "Phân loại", "Chuyên đề", "Nộp trễ hạn", "Quá hạn chưa nộp",
        "Chưa gửi hồ sơ",
    ]  # fmt: skip
    rows = list(book["Theo trường"].iter_rows(values_only=True))
    assert rows[0][0] == "TỔNG HỢP KẾT QUẢ THEO TRƯỜNG"
    assert rows[1][:4] == ("STT", "Trường", "Số người", "Đã nộp")
    a1 = next(row for row in rows if row[1] == world.school.name)
    assert a1[2:9] == (2, 2, 1, 1, 0, 2, 1)
    late = list(book["Nộp trễ hạn"].iter_rows(values_only=True))
    # the day is a date cell, shown dd/mm/yyyy, not text
    assert late[2][1:4] == (
        world.teacher_librarian.full_name,
        world.school.name,
        dt.datetime(2026, 4, 12),
    )
    assert book["Nộp trễ hạn"].cell(row=3, column=4).number_format.replace("\\", "") == "dd/mm/yyyy"
    not_sent = [row[1] for row in book["Chưa gửi hồ sơ"].iter_rows(min_row=3, values_only=True)]
    assert not_sent == [world.school_a2.name]


def test_the_province_report_is_the_departments_with_a_table_per_unit(world, report):
    own = reports.prepare_unit_report(report.campaign, world.department, by=world.dept_officer)
    figures = unit_figures(own.campaign, own.unit)
    document = report_documents.unit_report_document(own, figures, signer="Lê Thị Hồng")
    assert document.issuing_agency == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert document.parent_agency == "UBND TỈNH BẾN TRE" and list(document.kinh_gui) == []
    assert document.place == "Bến Tre" and document.number is None
    assert document.symbol == "BC-SGDĐT" and document.signature.position == "GIÁM ĐỐC"
    text = pdf_text(render_pdf(document))
    for expected in ("TỔNG HỢP THEO ĐƠN VỊ", "Đơn vị quản lý", "Phòng Văn hóa", world.thpt.name):
        assert expected in text, expected
    assert "Đã gửi (trễ hạn)" not in text and "Đã gửi" in text  # the office sent on time
    book = load_workbook(io.BytesIO(report_documents.workbook(figures)))
    assert book.sheetnames[0] == "Theo đơn vị"


# --- The picture of page 1 -----------------------------------------------------------------------


def page_image(pdf: bytes, index: int) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        document.close()


def dark_box(
    image: Image.Image, box: tuple[int, int, int, int]
) -> tuple[int, int, int, int] | None:
    """The bounding box of the dark pixels inside `box` (None: blank)."""
    region = image.crop(box).point(lambda value: 255 if value < 128 else 0)
    found = region.getbbox()
    if found is None:
        return None
    return (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1])


def text_lines(image: Image.Image, x0: int, x1: int, y0: int, y1: int) -> list[tuple[int, int]]:
    """(top, bottom) of each run of rows holding dark pixels between x0 and x1."""
    lines, start = [], None
    for y in range(y0, y1):
        inked = dark_box(image, (x0, y, x1, y + 1)) is not None
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            lines.append((start, y))
            start = None
    return lines


def mm(value: float) -> int:
    return round(value * PX_PER_MM)


def header_parts(image: Image.Image) -> dict[str, object]:
    width = image.width
    left, right, column = mm(30), width - mm(15), mm(30 + 165 * 0.45)
    top = mm(20)
    agency = dark_box(image, (left, top, column, top + mm(25)))
    motto = dark_box(image, (column + mm(5), top, right, top + mm(25)))
    # The first line under the number and date (ending about 20 mm below the top margin): its
    # accents may stand apart as a thin line of their own, so it ends with the first tall line.
    lines = text_lines(image, left, right, top + mm(21), top + mm(50))
    tall = [line for line in lines if line[1] - line[0] >= mm(2)]
    title = dark_box(image, (left, lines[0][0], right, tall[0][1])) if tall else None
    return {"agency": agency, "motto": motto, "title": title, "centre": (left + right) / 2}


def test_page_one_shows_the_title_block(pdf):
    image = page_image(pdf, 0)
    parts = header_parts(image)
    # The agencies in the left half, the Quốc hiệu and tiêu ngữ in the right half, both at the top.
    agency, motto = parts["agency"], parts["motto"]
    assert agency is not None and agency[2] < image.width / 2 and agency[1] < mm(24)
    assert motto is not None and motto[0] > image.width / 2 - mm(10) and motto[1] < mm(24)
    # Below them, "BÁO CÁO" alone and centred on the text area: a short line, not a paragraph.
    title = parts["title"]
    assert title is not None
    assert (title[0] + title[2]) / 2 == pytest.approx(parts["centre"], abs=mm(3))
    assert mm(8) < title[2] - title[0] < mm(40)


def test_the_title_block_check_fails_on_a_page_without_it(pdf):
    """The same look at a blank page and at an appendix page finds no title block."""
    blank = Image.new("L", page_image(pdf, 0).size, 255)
    parts = header_parts(blank)
    assert (parts["agency"], parts["motto"], parts["title"]) == (None, None, None)
    # An appendix page starts with its centred "Phụ lục" heading: no agency block at top left.
    agency = header_parts(page_image(pdf, 1))["agency"]
    assert agency is None or agency[1] > mm(30)


# --- The downloads -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_download_in_every_format(world, client_for, report, fmt, content_type):
    for user in (world.office_officer, world.dept_officer):
        response = client_for(user).get(reverse(f"training:unit_report_{fmt}", args=[report.pk]))
        assert response.status_code == 200 and response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="15-BC-PGDDT-2026-04-18.{fmt}"'
        )


def test_a_draft_downloads_without_a_number(world, client_for, published):
    draft = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    response = client_for(world.office_officer).get(
        reverse("training:unit_report_pdf", args=[draft.pk])
    )
    # The symbol follows the unit: a culture–society office's report is "BC-PVHXH".
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao-BC-PVHXH-')
    assert "Phạm Văn Phòng" in pdf_text(response.content)  # the person who downloads it


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_downloads_are_scoped(world, client, client_for, report, fmt):
    target = reverse(f"training:unit_report_{fmt}", args=[report.pk])
    assert client.get(target)["Location"].startswith("/accounts/login/")
    assert client_for(world.office_b_officer).get(target).status_code == 404
    for user in (world.principal, world.librarian, world.outsider):
        assert client_for(user).get(target).status_code == 403
    assert client_for(world.office_officer).post(target).status_code == 405
