"""The event's invitation: an official Giấy mời (Nghị định 30/2020) as PDF and DOCX."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from thuvien.events import letters
from thuvien.events.models import EventStatus

ND30 = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY MỜI", "Nơi nhận")


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def docx_text(content: bytes) -> str:
    word = Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def content(event) -> tuple[str, ...]:
    return (
        "THƯ VIỆN TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG",
        "trân trọng kính mời",
        f"tham dự {event.title}",
        "Thời gian:",
        "ngày 10/11/2025",
        "Địa điểm: Thư viện Trường Đại học Tôn Đức Thắng",
        "CHƯƠNG TRÌNH",
        "Chuyên đề 1",
        "Chuyên đề 2",
        "ThS. Ngô Văn Giảng",
        "08:00–10:00 ngày 10/11/2025",
    )


def test_document_is_a_giay_moi_of_the_organiser(world, event):
    position, signer = letters.default_signature(event, world.trainer)
    doc = letters.invitation(event, position=position, signer=signer)
    assert doc.kind.name == "GIẤY MỜI" and doc.symbol.startswith("GM-")
    assert doc.issuing_agency == "THƯ VIỆN TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG"
    assert (position, signer) == ("GIÁM ĐỐC", world.trainer.display_name)
    assert doc.number is None  # no number given yet: Văn thư writes it in
    assert next(iter(doc.noi_nhan)) == "Như thành phần mời"


def test_numbered_once_registration_is_open(world, event):
    event.number, event.symbol, event.place = 15, "GM-TVTĐT", "TP. Hồ Chí Minh"
    event.save()
    doc = letters.invitation(event, position="GIÁM ĐỐC", signer="Nguyễn Văn A")
    assert (doc.number, doc.symbol, doc.place) == (15, "GM-TVTĐT", "TP. Hồ Chí Minh")
    event.status = EventStatus.DRAFT
    assert letters.invitation(event, position="GIÁM ĐỐC", signer="A").number is None


def test_audience_of_thpt_librarians(world, event):
    event.target, event.target_upper_secondary = world.department, True
    from django.utils import translation

    with translation.override("vi"):
        text = letters.audience(event)
    assert text == (
        "nhân viên thư viện, giáo viên kiêm nhiệm thư viện các trường trung học phổ thông "
        f"thuộc {world.department.name}"
    )


def test_pdf_download_holds_the_invitation(world, client_for, event):
    response = client_for(world.librarian).get(
        reverse("events:invitation_pdf", kwargs={"event_id": event.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao-GM-')
    text = pdf_text(response.content)
    for expected in (*ND30, *content(event), world.trainer.display_name):
        assert expected in text, expected


def test_docx_download_takes_the_signer_given(world, client_for, event):
    response = client_for(world.trainer).get(
        reverse("events:invitation_docx", kwargs={"event_id": event.pk}),
        {"position": "PHÓ GIÁM ĐỐC", "signer": "Lê Văn Ký"},
    )
    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in (*ND30, *content(event), "PHÓ GIÁM ĐỐC", "Lê Văn Ký"):
        assert expected in text, expected


@pytest.mark.parametrize("name", ["invitation_pdf", "invitation_docx"])
def test_invitation_refuses_outsider_anonymous_post_and_readers(
    world, client, client_for, event, name
):
    target = reverse(f"events:{name}", kwargs={"event_id": event.pk})
    assert client_for(world.outsider).get(target).status_code == 404
    assert client_for(world.office_b_officer).get(target).status_code == 404
    assert client.get(target)["Location"].startswith("/accounts/login/")
    assert client_for(world.trainer).post(target).status_code == 405
    assert client_for(world.reader).get(target).status_code == 403
