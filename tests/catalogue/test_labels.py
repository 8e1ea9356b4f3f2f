"""Label sheets: every barcode on a sheet reads back with a barcode reader, nothing is cut, the
grid and the first position are kept; and the page that prints a batch, a range or a selection."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
import zxingcpp

from thuvien.catalogue import labels
from thuvien.catalogue.labels import PRESETS, LabelCopy, LabelGrid
from thuvien.catalogue.models import Copy

LONG_TITLE = (
    "Những cuộc phiêu lưu kỳ thú của chú mèo đi hia qua bảy biển năm châu và trở về quê hương "
    "Đồng Tháp Mười"
)
URL = "/catalogue/registers/labels/pdf/"


def sheet_copies(count: int) -> list[LabelCopy]:
    return [
        LabelCopy(
            barcode=f"STK.{n:06d}",
            registration_number=f"STK.{n:06d}",
            title=LONG_TITLE if n % 4 == 0 else f"Toán {n % 5 + 1}",
            call_number="895.9223 NG-A 2018",
            school_name="Trường Tiểu học Nguyễn Du",
        )
        for n in range(1, count + 1)
    ]


def read_pdf(content: bytes) -> tuple[list[str], str, int]:
    """Every barcode zxing-cpp reads on the pages rendered at 300 dpi, the text, the pages."""
    document = pdfium.PdfDocument(content)
    try:
        found: list[str] = []
        texts = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            assert (round(width), round(height)) == (595, 842)  # A4 portrait
            found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=300 / 72).to_pil())]
            texts.append(page.get_textpage().get_text_range())
        return found, re.sub(r"\s+", " ", " ".join(texts)), len(document)
    finally:
        document.close()


@pytest.mark.parametrize("preset", ["a4-65", "a4-40", "a4-24"])
def test_every_barcode_of_a_sheet_reads_back(preset):
    copies = sheet_copies(26)
    content = labels.labels_pdf(copies, grid=PRESETS[preset], kind="barcode")
    found, text, _pages = read_pdf(content)
    assert sorted(found) == sorted(c.barcode for c in copies)
    assert LONG_TITLE in text  # wrapped and set smaller, never cut
    assert text.count("Trường Tiểu học Nguyễn Du") == 26


def test_spine_labels_split_the_call_number():
    assert labels.spine_lines("895.9223 NG-A 2018") == ["895.9223", "NG-A", "2018"]
    assert labels.spine_lines(" 372.6/BUI ") == ["372.6", "BUI"]
    copies = sheet_copies(3)
    found, text, _pages = read_pdf(labels.labels_pdf(copies, grid=PRESETS["a4-65"], kind="spine"))
    assert found == []
    assert text.count("895.9223 NG-A 2018") == 3 and "STK.000003" in text


def test_both_kinds_and_a_start_position_fill_the_next_sheet():
    grid = PRESETS["a4-24"]
    copies = sheet_copies(10)
    html = labels.labels_html(copies, grid, "both", start=20)
    assert html.count('class="label"') == 20 and html.count('class="sheet"') == 2
    # Position 20 of the first sheet: column 2 (0-based 1), row 7 (0-based 6).
    left, top = grid.place(19)
    assert f"left: {left:.2f}mm; top: {top:.2f}mm" in html.split('class="label"')[1]
    found, _text, pages = read_pdf(labels.labels_pdf(copies, grid=grid, kind="both", start=20))
    assert pages == 2 and sorted(found) == sorted(c.barcode for c in copies)


def test_a_custom_grid_must_fit_an_a4_sheet():
    assert PRESETS["a4-65"].problems() == [] and PRESETS["a4-65"].per_sheet == 65
    assert all(grid.problems() == [] for grid in PRESETS.values())
    too_wide = LabelGrid(4, 10, 55, 25, 5, 5, 2, 0)
    assert too_wide.problems() == ["Các nhãn này không vừa tờ A4 (210 × 297 mm)."]
    assert LabelGrid(0, 10, 55, 25, 5, 5).problems()


# --- The page ----------------------------------------------------------------------------------


def school_copies(world) -> list[Copy]:
    return list(Copy.objects.filter(school=world.school).order_by("sequence_id", "number"))


def test_the_librarian_prints_a_batch(world, client_for):
    client = client_for(world.librarian)
    assert client.get("/catalogue/registers/labels/").status_code == 200
    made = school_copies(world)
    query = {"source": "batch", "batch": made[0].batch_id, "kind": "barcode", "grid": "a4-65"}
    response = client.get(URL, {**query, "start": 1})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    found, text, _pages = read_pdf(response.content)
    assert sorted(found) == sorted(c.barcode for c in made)
    assert "Trường Tiểu học Nguyễn Du" in text


def test_a_range_and_a_selection(world, client_for):
    client = client_for(world.librarian)
    common = {"kind": "barcode", "grid": "a4-40", "start": 5}
    response = client.get(
        URL, {**common, "source": "range", "first": "SGK.000003", "last": "SGK.000001"}
    )
    assert response.status_code == 200
    assert sorted(read_pdf(response.content)[0]) == ["SGK.000001", "SGK.000002", "SGK.000003"]
    novel = [c for c in school_copies(world) if c.registration_number.startswith("STN")]
    ids = ",".join(str(c.pk) for c in novel)
    response = client.get(URL, {**common, "source": "selection", "ids": ids})
    assert sorted(read_pdf(response.content)[0]) == ["STN.000001", "STN.000002"]


def test_a_custom_sheet_from_the_form(world, client_for):
    query = {
        "source": "selection", "ids": str(school_copies(world)[0].pk), "kind": "both",
        "grid": "custom", "columns": 2, "rows": 5, "width": 90, "height": 50, "top": 10,
        "left": 10, "gap_x": 5, "gap_y": 2, "start": 1,
    }  # fmt: skip
    response = client_for(world.librarian).get(URL, query)
    assert response.status_code == 200
    assert read_pdf(response.content)[0] == ["SGK.000001"]
    response = client_for(world.librarian).get(URL, {**query, "width": 150})
    assert response.status_code == 422
    assert "không vừa tờ A4" in response.content.decode()


def test_another_schools_copies_are_never_printed(world, client_for):
    foreign = world_outsider_copy(world)
    client = client_for(world.librarian)
    common = {"kind": "barcode", "grid": "a4-65", "start": 1}
    response = client.get(URL, {**common, "source": "selection", "ids": str(foreign.pk)})
    assert response.status_code == 422
    assert "Không có bản sách nào của trường khớp với lựa chọn này." in response.content.decode()
    response = client.get(URL, {**common, "source": "batch", "batch": foreign.batch_id or 999999})
    assert response.status_code == 422
    response = client_for(world.outsider).get(
        URL, {**common, "source": "range", "first": "STN.000001", "last": "STN.000001"}
    )
    assert response.status_code == 200
    assert read_pdf(response.content)[0] == [foreign.barcode]  # the outsider's own only


def world_outsider_copy(world) -> Copy:
    return Copy.objects.get(school=world.outsider_school)


def test_roles_without_cataloguing_and_anonymous(world, client_for, client):
    assert client_for(world.principal).get("/catalogue/registers/labels/").status_code == 403
    assert client_for(world.office_officer).get(URL, {"source": "batch"}).status_code == 403
    assert client_for(world.reader).get(URL).status_code == 403
    response = client.get("/catalogue/registers/labels/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(world.librarian).post(URL).status_code == 405
