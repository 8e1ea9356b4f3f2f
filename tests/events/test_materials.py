"""Materials of an event: the organiser uploads PDF/Word/Excel/PowerPoint (told by content, at most
50 MB), participants download them, nobody else does."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from tests.events.conftest import anonymous
from thuvien.events.models import EventMaterial, Registration, RegistrationStatus
from thuvien.events.services import EventError, attendance
from thuvien.organisations.models import Role


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


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


PDF = pdf_bytes()


@pytest.fixture
def material(world, event):
    upload = SimpleUploadedFile("../../Bài giảng buổi sáng.PDF", PDF)
    return attendance.add_material(event, "Bài giảng", upload, by=world.trainer)


def file_url(material):
    return reverse("events:material_file", args=[material.pk])


def test_the_organiser_uploads_a_pdf(client_for, world, event):
    url = reverse("events:materials", args=[event.pk])
    upload = SimpleUploadedFile("slides.pdf", PDF)
    response = client_for(world.trainer).post(url, {"title": "Slides", "file": upload})
    assert response.status_code == 302
    material = EventMaterial.objects.get(event=event)
    assert (material.title, material.file_name) == ("Slides", "slides.pdf")
    assert material.file.read() == PDF


def test_the_stored_name_is_safe(material):
    assert material.file_name == "Bài giảng buổi sáng.pdf"
    assert ".." not in material.file.name


def test_a_png_renamed_pdf_is_refused(client_for, world, event):
    url = reverse("events:materials", args=[event.pk])
    upload = SimpleUploadedFile("slides.pdf", png_bytes())
    response = client_for(world.trainer).post(url, {"title": "Ảnh", "file": upload})
    assert response.status_code == 422
    assert "is not a readable PDF / Word (DOCX) / Excel (XLSX) / PowerPoint (PPTX)" in (
        response.content.decode()
    )
    assert not EventMaterial.objects.exists()


def test_a_file_over_50_mb_is_refused(world, event):
    huge = io.BytesIO(b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    with pytest.raises(EventError, match="the limit is 50"):
        attendance.add_material(event, "Quá lớn", huge, by=world.trainer)
    assert not EventMaterial.objects.exists()


def test_a_registered_participant_downloads(client_for, world, registration, material):
    response = client_for(world.librarian).get(file_url(material))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_the_organiser_downloads(client_for, world, material):
    assert client_for(world.trainer).get(file_url(material)).status_code == 200


@pytest.mark.parametrize("status", [None, RegistrationStatus.WAITLISTED])
def test_someone_not_registered_cannot_download(client_for, world, event, material, status):
    if status:
        Registration.objects.create(
            event=event, user=world.teacher_librarian, school=world.school,
            role=Role.TEACHER_LIBRARIAN, status=status,
        )  # fmt: skip
    # The event reaches their school (they see it), but the materials are for participants.
    assert client_for(world.teacher_librarian).get(file_url(material)).status_code == 403


def test_outsiders_get_404_and_anonymous_the_login(client_for, world, material):
    assert client_for(world.outsider).get(file_url(material)).status_code == 404
    response = anonymous().get(file_url(material))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_organiser_removes_a_material(
    client_for, world, material, django_capture_on_commit_callbacks
):
    storage, name = material.file.storage, material.file.name
    url = reverse("events:material_remove", args=[material.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.trainer).post(url)
    assert response.status_code == 302
    assert not EventMaterial.objects.filter(pk=material.pk).exists()
    assert not storage.exists(name)


def test_a_participant_cannot_remove(client_for, world, registration, material):
    url = reverse("events:material_remove", args=[material.pk])
    assert client_for(world.librarian).post(url).status_code == 403
    assert client_for(world.trainer).get(url).status_code == 405
    assert EventMaterial.objects.filter(pk=material.pk).exists()


def test_the_materials_page_is_the_organisers(client_for, world, event, material):
    url = reverse("events:materials", args=[event.pk])
    response = client_for(world.trainer).get(url)
    assert response.status_code == 200
    assert list(response.context["materials"]) == [material]
    assert client_for(world.librarian).get(url).status_code == 403


def test_materials_keep_their_order(world, event, material):
    second = attendance.add_material(
        event, "", SimpleUploadedFile("phu-luc.pdf", PDF), by=world.trainer
    )
    assert second.title == "phu-luc"
    assert list(event.materials.all()) == [material, second]


def test_the_event_page_lists_materials_for_participants_only(
    client_for, world, event, registration, material
):
    url = reverse("events:event_detail", args=[event.pk])
    assert file_url(material) in client_for(world.librarian).get(url).content.decode()
    other = client_for(world.teacher_librarian).get(url)
    assert other.status_code == 200
    assert file_url(material) not in other.content.decode()
    assert "available to registered participants" in other.content.decode()
