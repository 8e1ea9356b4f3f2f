"""The standards' documents download as PDF and DOCX, say what the data says, and are seen only
where their rows are."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse
from docx import Document

from thuvien.standards.models import Assessment, DevelopmentPlan, Recognition


def pdf_text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([*(p.text for p in document.paragraphs), *cells])


def urls(world) -> dict[str, tuple[str, str]]:
    assessment = Assessment.objects.get(school=world.school)  # standards.testing
    plan = DevelopmentPlan.objects.get(school=world.school)
    recognition = Recognition.objects.get(assessment=assessment)
    return {
        "bien_ban": ("BIÊN BẢN", str(assessment.pk)),
        "to_trinh": ("TỜ TRÌNH", str(assessment.pk)),
        "quyet_dinh": ("QUYẾT ĐỊNH", str(recognition.pk)),
        "ke_hoach": ("KẾ HOẠCH", str(plan.pk)),
    }


@pytest.mark.parametrize("kind", ["bien_ban", "to_trinh", "quyet_dinh", "ke_hoach"])
def test_each_document_downloads_as_pdf_and_docx(world, client_for, kind):
    title, pk = urls(world)[kind]
    client = client_for(world.principal)
    pdf = client.get(reverse(f"standards:{kind}_pdf", args=[pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert title in pdf_text(pdf.content)
    docx = client.get(reverse(f"standards:{kind}_docx", args=[pk]))
    assert docx.status_code == 200 and title in docx_text(docx.content)
    assert (
        client_for(world.outsider).get(reverse(f"standards:{kind}_pdf", args=[pk])).status_code
        == 404
    )


def test_the_minutes_carry_every_criterion_and_the_conclusion(world, client_for):
    _title, pk = urls(world)["bien_ban"]
    text = pdf_text(
        client_for(world.librarian).get(reverse("standards:bien_ban_pdf", args=[pk])).content
    )
    assert "TH.TNTT.1.copies" in text and "KẾT LUẬN" in text
    assert world.school.name in text


def test_the_decision_lists_every_school_of_the_same_decision(world, client_for):
    _title, pk = urls(world)["quyet_dinh"]
    content = client_for(world.office_officer).get(reverse("standards:quyet_dinh_docx", args=[pk]))
    text = docx_text(content.content)
    assert "DANH SÁCH THƯ VIỆN TRƯỜNG HỌC ĐƯỢC CÔNG NHẬN" in text and world.school.name in text
