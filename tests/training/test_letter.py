"""The campaign's official letter as PDF and DOCX."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from thuvien.training import letters, services
from thuvien.training.models import Campaign


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


EXPECTED = (
    "UBND TỈNH BẾN TRE SỞ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA",  # the province printed once
    "V/v hướng dẫn công tác tự bồi dưỡng",
    "Thư viện xanh",
    "Thu hút bạn đọc",
    "Nghiên cứu nội dung tự chọn",
    "15/01/2026",
    "10/04/2026",
    "20/04/2026",
    "NXB Giáo dục Việt Nam",
    "GIÁM ĐỐC",
)


def test_letter_document_of_a_draft_has_a_blank_number(world, campaign):
    doc = letters.campaign_letter(campaign, position="GIÁM ĐỐC", signer="Nguyễn Văn A")
    assert doc.number is None and doc.symbol == "SGDĐT-KHTC"
    assert doc.issuing_agency == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"  # the province is in the line above
    assert list(doc.kinh_gui) == ["Phòng GD&ĐT các huyện, thành phố", "Các đơn vị trực thuộc Sở"]
    assert next(iter(doc.can_cu)) == "Căn cứ Thông tư 01/2003/TT-BVHTT"
    assert doc.parent_agency == "UBND TỈNH BẾN TRE" and doc.drafting_unit == "KHTC"
    assert doc.place == "Bến Tre"


def test_guidance_published_later_does_not_rewrite_the_letter(world, published):
    before = letters.campaign_letter(published, position="GIÁM ĐỐC", signer="Nguyễn Văn A")
    services.publish_report_guidance(
        published, text="Bài thu hoạch dài 5–7 trang, nộp bản in.", by=world.dept_admin
    )
    published.refresh_from_db()
    after = letters.campaign_letter(published, position="GIÁM ĐỐC", signer="Nguyễn Văn A")
    assert after.body == before.body
    assert "ban hành sau" in " ".join(getattr(b, "text", "") for b in after.body)


def test_letter_of_a_published_campaign_is_numbered(world, published):
    position, signer = letters.default_signature(published, world.dept_admin)
    doc = letters.campaign_letter(published, position=position, signer=signer)
    assert doc.number == 2458 and doc.issued_on == published.issued_on
    assert (position, signer) == ("GIÁM ĐỐC", world.dept_admin.display_name)


def test_office_letter_defaults_to_truong_phong(world):
    campaign = Campaign.objects.get(issuer=world.office)
    position, _signer = letters.default_signature(campaign, world.office_officer)
    assert position == "TRƯỞNG PHÒNG"
    doc = letters.campaign_letter(campaign, position=position, signer="B")
    # The symbol follows the unit: a culture–society office is "PVHXH", not "PGDĐT".
    assert doc.symbol == "PVHXH"


def test_pdf_download_holds_the_letter(world, client_for, published):
    response = client_for(world.librarian).get(
        reverse("training:campaign_pdf", args=[published.pk]), {"signer": "Lê Văn Ký"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="2458-SGDDT-KHTC-2025-12-04.pdf"'
    )
    text = pdf_text(response.content)
    for expected in (*EXPECTED, "Lê Văn Ký", "2458/SGDĐT-KHTC"):
        assert expected in text, expected


def test_docx_download_holds_the_letter(world, client_for, campaign):
    response = client_for(world.dept_officer).get(
        reverse("training:campaign_docx", args=[campaign.pk]), {"position": "PHÓ GIÁM ĐỐC"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao-SGDDT-KHTC-')
    text = docx_text(response.content)
    for expected in (*EXPECTED[:-1], "PHÓ GIÁM ĐỐC", world.dept_admin.display_name):
        assert expected in text, expected


@pytest.mark.parametrize("name", ["campaign_pdf", "campaign_docx"])
def test_letter_refuses_outsider_anonymous_post_and_readers(world, client, client_for, name):
    office_a = Campaign.objects.get(issuer=world.office)
    target = reverse(f"training:{name}", args=[office_a.pk])
    assert client_for(world.outsider).get(target).status_code == 404
    assert client_for(world.office_b_officer).get(target).status_code == 404
    assert client.get(target)["Location"].startswith("/accounts/login/")
    assert client_for(world.office_officer).post(target).status_code == 405
    assert client_for(world.reader).get(target).status_code == 403
