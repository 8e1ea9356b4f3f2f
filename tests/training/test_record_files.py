"""Files of a record: the report uploaded as DOCX/PDF, study note attachments, the scoped
downloads of files and materials, and the whole record as one PDF."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter

from thuvien.training import services
from thuvien.training.models import Enrolment, ReportStatus, ReportVersion, StudyNote

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, obj):
    return reverse(f"training:{name}", args=[obj.pk])


def docx_bytes(text="Bài thu hoạch về thư viện xanh"):
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX = docx_bytes()  # once: python-docx stamps the time into every new file


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def me(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def with_topic(record, published, world):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, published.topics.first())
    return record


# --- The report as a file ----------------------------------------------------------------------


def test_a_docx_report_is_kept_as_a_draft_version(me, record):
    data = {"file": upload("../../Bài thu hoạch.docx", DOCX), "action": "save"}
    assert me.post(url("record_upload", record), data).status_code == 302
    version = ReportVersion.objects.get()
    assert (version.file_name, version.body, version.submitted) == ("Bài thu hoạch.docx", "", False)
    assert version.file.read() == DOCX
    record.refresh_from_db()
    assert record.report_status == ReportStatus.DRAFT


def test_a_pdf_report_is_submitted_and_the_principal_sees_its_link(
    me, with_topic, client_for, world
):
    data = {"file": upload("bai.pdf", pdf_bytes()), "action": "submit"}
    assert me.post(url("record_upload", with_topic), data).status_code == 302
    with_topic.refresh_from_db()
    assert with_topic.report_status == ReportStatus.SUBMITTED and with_topic.submitted_at
    version = ReportVersion.objects.get()
    assert version.submitted and version.file_name == "bai.pdf"
    page = client_for(world.principal).get(url("school_record", with_topic)).content.decode()
    assert url("version_file", version) in page and "bai.pdf" in page


def test_a_png_renamed_pdf_is_refused_and_nothing_is_saved(me, record):
    data = {"file": upload("bai.pdf", png_bytes()), "action": "save"}
    response = me.post(url("record_upload", record), data)
    assert response.status_code == 422
    assert "This file is not a readable PDF / Word (DOCX) file" in response.content.decode()
    assert not ReportVersion.objects.exists()
    record.refresh_from_db()
    assert record.report_status == ReportStatus.NOT_STARTED


def test_a_file_over_10_mb_is_refused(me, record):
    big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    response = me.post(url("record_upload", record), {"file": upload("bai.pdf", big)})
    assert response.status_code == 422
    assert "the limit is 10.0" in response.content.decode()
    assert not ReportVersion.objects.exists()


def test_submitting_a_file_without_a_topic_keeps_no_version_and_no_file(me, record, tmp_path):
    data = {"file": upload("bai.docx", DOCX), "action": "submit"}
    response = me.post(url("record_upload", record), data)
    assert response.status_code == 422
    assert not ReportVersion.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_every_version_is_kept_and_listed(me, with_topic):
    services.save_report_version(with_topic, body="<p>Bản nháp</p>")
    me.post(url("record_upload", with_topic), {"file": upload("bai.docx", DOCX)})
    page = me.get(url("record_detail", with_topic)).content.decode()
    assert ReportVersion.objects.count() == 2
    assert "bai.docx" in page and "Text" in page


def test_a_submitted_report_cannot_take_a_file(me, with_topic):
    services.submit_report_text(with_topic, body="Bài")
    response = me.post(url("record_upload", with_topic), {"file": upload("b.pdf", pdf_bytes())})
    assert response.status_code == 422 and "cannot be changed now" in response.content.decode()
    assert ReportVersion.objects.count() == 1


# --- Study note attachments --------------------------------------------------------------------


def note_data(**extra):
    return {"date": "2026-01-20", "content": "Đọc chương 1", "hours": "2", **extra}


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [("ghi chep.docx", DOCX, "ghi chep.docx"), ("anh.jpg", png_bytes(), "anh.png")],
)
def test_a_note_takes_an_attachment_checked_by_content(me, record, name, content, shown):
    data = note_data(attachment=upload(name, content))
    assert me.post(url("record_note", record), data).status_code == 302
    note = StudyNote.objects.get()
    assert note.attachment_name == shown and note.attachment.read() == content


def test_a_note_without_attachment_still_works(me, record):
    assert me.post(url("record_note", record), note_data()).status_code == 302
    assert StudyNote.objects.get().attachment_name == ""


def test_a_bad_attachment_refuses_the_note(me, record):
    data = note_data(attachment=upload("virus.pdf", b"MZ\x90\x00 not a pdf"))
    response = me.post(url("record_note", record), data)
    assert response.status_code == 422 and "is not a readable" in response.content.decode()
    assert not StudyNote.objects.exists()


# --- Scoped downloads ----------------------------------------------------------------------------


@pytest.fixture
def note(record):
    return services.add_study_note(
        record,
        date=__import__("datetime").date(2026, 1, 20),
        content="Ghi chép về thư viện xanh",
        hours=2,
        attachment=upload("Ghi chép.docx", DOCX),
    )


@pytest.fixture
def version(record):
    return services.records.save_report_file(record, upload=upload("Bài.pdf", pdf_bytes()))


def test_the_owner_downloads_the_attachment_as_an_attachment(me, note):
    response = me.get(url("note_file", note))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Ghi%20ch%C3%A9p.docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == DOCX


def test_the_principal_and_the_office_download_files_of_their_schools(
    client_for, world, note, version
):
    for user in (world.principal, world.office_officer, world.dept_officer):
        client = client_for(user)
        assert client.get(url("note_file", note)).status_code == 200, user
        response = client.get(url("version_file", version))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_colleague_of_the_same_school_gets_404(client_for, world, note, version):
    colleague = client_for(world.teacher_librarian)
    assert colleague.get(url("note_file", note)).status_code == 404
    assert colleague.get(url("version_file", version)).status_code == 404
    assert colleague.get(url("record_pdf", note.enrolment)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "principal_a2", "office_b_officer"])
def test_people_outside_download_nothing(client_for, world, note, version, who, published):
    client = client_for(getattr(world, who))
    assert client.get(url("note_file", note)).status_code == 404
    assert client.get(url("version_file", version)).status_code == 404
    assert client.get(url("record_pdf", note.enrolment)).status_code == 404


def test_a_material_is_served_only_where_its_campaign_is_seen(client_for, world):
    from tests.training.conftest import make_campaign

    campaign = make_campaign(world, issuer=world.office)  # for office A's schools
    material = campaign.materials.get()
    material.file.save("tai-lieu.pdf", ContentFile(pdf_bytes()))
    for who in (world.outsider, world.office_b_officer, world.librarian):  # a draft: not yet
        assert client_for(who).get(url("material_file", material)).status_code == 404
    services.publish_campaign(campaign, by=world.office_officer)
    assert client_for(world.outsider).get(url("material_file", material)).status_code == 404
    response = client_for(world.librarian).get(url("material_file", material))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="tai-lieu.pdf"' in response["Content-Disposition"]


def test_a_material_without_a_file_is_404(client_for, world, published):
    material = published.materials.get()
    assert client_for(world.librarian).get(url("material_file", material)).status_code == 404


def test_downloads_need_login_a_role_and_get(client, client_for, world, note):
    response = client.get(url("note_file", note))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client_for(world.trainer).get(url("note_file", note)).status_code == 403
    assert client_for(world.librarian).post(url("note_file", note)).status_code == 405


def test_a_note_without_attachment_is_404(me, record):
    plain = services.add_study_note(
        record, date=__import__("datetime").date(2026, 1, 20), content="x", hours=1
    )
    assert me.get(url("note_file", plain)).status_code == 404


# --- The whole record as one PDF ---------------------------------------------------------------


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_record_pdf_holds_the_person_campaign_notes_and_report(me, with_topic, note, world):
    services.submit_report_text(with_topic, body="<h3>Thư viện xanh</h3><p>Nội dung bài viết</p>")
    response = me.get(url("record_pdf", with_topic))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response)
    assert world.librarian.display_name in text
    assert "tự bồi dưỡng chuyên môn nghiệp vụ" in " ".join(text.split())
    assert "Ghi chép về thư viện xanh" in text
    assert "Nội dung bài viết" in text and "Total hours" in text


def test_the_record_pdf_names_an_uploaded_report(client_for, world, with_topic):
    services.records.save_report_file(
        with_topic, upload=upload("Bài thu hoạch.pdf", pdf_bytes()), submit=True
    )
    services.evaluate(with_topic, by=world.principal, grade="good", comment="Bài tốt")
    text = pdf_text(client_for(world.principal).get(url("record_pdf", with_topic)))
    assert "Bài thu hoạch.pdf" in text and "Bài tốt" in text


def test_the_record_pdf_uses_the_vendored_fonts(me, record):
    from tests.documents.samples import embedded_fonts, vendored_version

    fonts = embedded_fonts(me.get(url("record_pdf", record)).content)
    assert fonts
    assert all(name.startswith("LiberationSerif") for name, _v in fonts), fonts
    assert {version for _name, version in fonts} == {vendored_version()}, fonts


def test_the_print_page_links_the_pdf(me, record):
    page = me.get(url("record_print", record)).content.decode()
    assert url("record_pdf", record) in page


def test_record_pdf_of_another_enrolment_is_404_for_the_librarian(me, world, published):
    theirs = Enrolment.objects.get(campaign=published, user=world.teacher_librarian)
    assert me.get(url("record_pdf", theirs)).status_code == 404
