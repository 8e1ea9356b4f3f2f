"""The PDF says what the document says, on A4 in Liberation Serif, and looks like Phụ lục I."""

from __future__ import annotations

import io
import re
import tempfile
import time
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from thuvien.documents import Paragraph, render_pdf
from thuvien.documents.docx import text_width_mm
from thuvien.documents.pdf import PACKAGE_DIR, STYLESHEET, TEMPLATE_ELEMENTS, render_html

from .samples import SIGNER, VV, bao_cao, cong_van, embedded_fonts, vendored_version

DPI = 100
PX_PER_MM = DPI / 25.4
A4 = (595.28, 841.89)


def flat(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture(scope="module")
def cong_van_pdf() -> bytes:
    return render_pdf(cong_van())


@pytest.fixture(scope="module")
def pages(cong_van_pdf) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(cong_van_pdf)).pages]


@pytest.fixture(scope="module")
def page1_image(cong_van_pdf) -> Image.Image:
    pdf = pdfium.PdfDocument(cong_van_pdf)
    try:
        image = pdf[0].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        pdf.close()
    image.save(Path(tempfile.gettempdir()) / "nd30-page1.png")  # to look at
    return image


def top_margin_text(pdf_bytes: bytes) -> list[str]:
    """The text inside the top 20 mm of each page."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        texts = []
        for page in pdf:
            width, height = page.get_size()
            margin = 20 * 72 / 25.4
            texts.append(page.get_textpage().get_text_bounded(0, height - margin, width, height))
        return [t.strip() for t in texts]
    finally:
        pdf.close()


def test_page_one_carries_every_component_of_the_header_and_closing(pages):
    first = pages[0]
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH BẾN TRE",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 2458/SGDĐT-KHTC",
        "Bến Tre, ngày 04 tháng 12 năm 2017",
        f"V/v {VV}",
        "Kính gửi: - Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố;",
        "- Hiệu trưởng các trường trung học phổ thông.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, KHTC.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        SIGNER,
        "1. Nội dung tự bồi dưỡng",
        "- Ứng dụng công nghệ thông tin trong quản lý thư viện trường học.",
    ]:
        assert expected in first, expected


def test_the_appendix_starts_a_new_page_with_its_heading_and_attached_line(pages):
    assert len(pages) == 2
    appendix = pages[1]
    assert appendix.startswith("Phụ lục KẾT QUẢ TỰ BỒI DƯỠNG CỦA NHÂN VIÊN THƯ VIỆN")
    assert "(Kèm theo Công văn số 2458/SGDĐT-KHTC ngày 04 tháng 12 năm 2017)" in appendix
    assert "STT Đơn vị Số người tham gia Hoàn thành Ghi chú" in appendix
    assert "Trường THPT số 12 huyện Châu Thành" in appendix
    assert "KẾT QUẢ TỰ BỒI DƯỠNG" not in pages[0]


def test_pages_are_a4(cong_van_pdf):
    for page in pypdf.PdfReader(io.BytesIO(cong_van_pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)


def test_every_font_is_the_vendored_liberation_serif(cong_van_pdf):
    fonts = embedded_fonts(cong_van_pdf)
    names = {name for name, _version in fonts}
    assert names
    # No fallback font anywhere: every Vietnamese glyph came from Liberation Serif, the
    # vendored version, the one `documents.layout` measures text with.
    assert all(name.startswith("LiberationSerif") for name in names), fonts
    assert {version for _name, version in fonts} == {vendored_version()}, fonts
    assert "LiberationSerifBold" in names and "LiberationSerifItalic" in names


def test_page_numbers_sit_in_the_top_margin_from_page_two():
    long_body = [Paragraph(f"Đoạn {n}: " + "nội dung hướng dẫn chi tiết " * 12) for n in range(30)]
    pdf = render_pdf(cong_van(body=long_body, appendices=[]))
    margins = top_margin_text(pdf)
    assert len(margins) >= 3
    assert margins[0] == ""
    assert margins[1:] == [str(n) for n in range(2, len(margins) + 1)]


def test_each_appendix_restarts_numbering_and_shows_none_on_its_first_page():
    pdf = render_pdf(bao_cao(rows=60))
    margins = top_margin_text(pdf)
    assert margins[0] == ""  # page 1 of the report
    assert margins[1] == ""  # first page of the appendix
    assert margins[2:] == [str(n) for n in range(2, len(margins))]


def test_a_landscape_appendix_turns_its_pages_only():
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(bao_cao())))
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    assert sizes[0] == (595, 842)
    assert set(sizes[1:]) == {(842, 595)}


def test_a_long_table_paginates_and_repeats_its_header_row():
    started = time.perf_counter()
    pdf = render_pdf(bao_cao(rows=100))
    elapsed = time.perf_counter() - started
    appendix_pages = [flat(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages][1:]
    assert len(appendix_pages) >= 4
    for page in appendix_pages:
        assert "STT Đơn vị Số người tham gia Hoàn thành Ghi chú" in page
    rows = [int(n) for page in appendix_pages for n in re.findall(r"Trường THPT số (\d+)", page)]
    assert rows == list(range(1, 101))
    assert elapsed < 30, elapsed  # generous: about a few seconds on a laptop


# The picture of page 1


def dark(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    region = image.crop(box)
    width = region.width
    return [
        (i % width + box[0], i // width + box[1])
        for i, value in enumerate(region.tobytes())
        if value < 128
    ]


def longest_run(image: Image.Image, y: int, x0: int, x1: int) -> tuple[int, int]:
    """(length, start) of the longest horizontal run of dark pixels on row y."""
    best, start, run_start = 0, 0, None
    for x in range(x0, x1 + 1):
        is_dark = x < x1 and image.getpixel((x, y)) < 128
        if is_dark and run_start is None:
            run_start = x
        elif not is_dark and run_start is not None:
            if x - run_start > best:
                best, start = x - run_start, run_start
            run_start = None
    return best, start


def rule_below(image: Image.Image, x0: int, x1: int, y0: int, y1: int) -> tuple[int, int, int]:
    """(length, start, row) of the longest horizontal dark run between rows y0 and y1."""
    return max((*longest_run(image, y, x0, x1), y) for y in range(y0, y1))


def test_page_one_shows_the_title_block_where_phu_luc_one_puts_it(page1_image):
    image = page1_image
    width, height = image.size
    assert width == pytest.approx(210 * PX_PER_MM, abs=1)
    assert height == pytest.approx(297 * PX_PER_MM, abs=1)
    left_edge = round(30 * PX_PER_MM)
    column = left_edge + round(165 * 0.4 * PX_PER_MM)  # where the right header column starts
    top = round(20 * PX_PER_MM)
    band = (top, top + round(25 * PX_PER_MM))

    # Quốc hiệu and tiêu ngữ: dark pixels in the top-right quarter, starting in the text area.
    right = dark(image, (column, band[0], width, band[1]))
    assert right
    assert min(y for _, y in right) < top + 8  # the Quốc hiệu is the first line

    # The line under the tiêu ngữ: one unbroken run as long as the text (56 mm at 13 pt bold).
    motto_mm = text_width_mm("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    length, start, row = rule_below(image, column, width, band[0], band[1])
    assert length == pytest.approx(motto_mm * PX_PER_MM, rel=0.06)
    centre_of_column = (column + width - round(15 * PX_PER_MM)) / 2
    assert start + length / 2 == pytest.approx(centre_of_column, abs=6)
    # ...under the text, not through it: the motto's glyphs end above the line.
    motto_pixels = dark(image, (start, row - 30, start + length, row - 1))
    assert motto_pixels
    assert max(y for _, y in motto_pixels) < row - 1

    # Agencies top left, with a line 1/3–1/2 as long as the issuing agency's name under them.
    assert dark(image, (left_edge, band[0], column, band[1]))
    agency_mm = text_width_mm("SỞ GIÁO DỤC VÀ ĐÀO TẠO", 12, bold=True)
    length, _, agency_row = rule_below(image, left_edge, column, band[0], band[1])
    assert agency_mm / 3 <= length / PX_PER_MM <= agency_mm / 2
    assert agency_row < row + 10  # the two lines sit at about the same height

    # Nothing is printed in the top margin of page 1.
    assert not dark(image, (0, 0, width, top - 2))


def test_a_draft_prints_a_blank_number_for_van_thu():
    text = flat(
        pypdf.PdfReader(io.BytesIO(render_pdf(cong_van(number=None)))).pages[0].extract_text()
    )
    assert re.search(r"Số:\s+/SGDĐT-KHTC", text)
    assert "2458" not in text


def test_text_is_escaped_not_interpreted_as_markup():
    doc = cong_van(body=[Paragraph("Mục <b>đậm</b> & GD&ĐT")], appendices=[])
    text = flat(pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text())
    assert "Mục <b>đậm</b> & GD&ĐT" in text


# --- The template's own user-agent stylesheet ----------------------------------------------------


@pytest.mark.parametrize("doc", [cong_van(), bao_cao(rows=5)], ids=["cong_van", "bao_cao"])
def test_the_template_uses_only_the_elements_its_user_agent_stylesheet_styles(doc):
    used = set(re.findall(r"<([a-z][a-z0-9]*)[\s>/]", render_html(doc)))
    assert used <= TEMPLATE_ELEMENTS, used - TEMPLATE_ELEMENTS
    assert {"table", "col", "th", "td", "section"} <= used


def test_the_small_user_agent_stylesheet_draws_what_weasyprints_own_draws():
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    doc = bao_cao(rows=30)
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
    html = HTML(string=render_html(doc), base_url=str(PACKAGE_DIR) + "/")
    full = html.write_pdf(stylesheets=[stylesheet], font_config=fonts)

    def texts(pdf: bytes) -> list[str]:
        return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]

    ours = render_pdf(doc)
    assert texts(ours) == texts(full)
    for index in range(len(texts(ours))):
        drawn = page_image(ours, index), page_image(full, index)
        assert ImageChops.difference(*drawn).getbbox() is None, f"page {index + 1}"


def page_image(pdf_bytes: bytes, index: int) -> Image.Image:
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return pdf[index].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        pdf.close()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_while_drawing_and_left_as_it_was(enabled, monkeypatch):
    """WeasyPrint draws with the collector off (a third of an office report's time goes to
    collections otherwise); the process's setting is the same afterwards, whatever it was."""
    import gc

    from weasyprint import HTML

    seen: list[bool] = []
    write_pdf = HTML.write_pdf

    def spying(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spying)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert render_pdf(cong_van()).startswith(b"%PDF")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]
