"""No browser or proxy keeps a copy of a page with personal data (issue 8 §3): every answer to a
logged-in person, under /api/ and on the login and password pages says `private, no-store`.

Static files keep their cache (WhiteNoise answers them before Django's views and they hold
nothing personal); a page a view declares public (a public event's photos) keeps its own header
for visitors who are not logged in, and loses it for a logged-in person."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from rest_framework.authtoken.models import Token

from thuvien.events.models import Event, Registration
from thuvien.events.services import photos
from thuvien.training import services as training
from thuvien.training.models import Enrolment

PRIVATE = "private, no-store"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile("anh.png", out.getvalue())


@pytest.fixture
def public_photo(world):
    event = Event.objects.get(title="Tập huấn công tác thư viện trường học")
    (photo,) = photos.upload_photos(event, [png_upload()])
    Event.objects.filter(pk=event.pk).update(photos_public=True)
    return photo


def test_a_page_to_a_logged_in_person(world, client_for):
    response = client_for(world.librarian).get(reverse("core:home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_an_error_page_to_a_logged_in_person(world, client_for):
    response = client_for(world.librarian).get(f"/units/{world.outsider_school.pk}/")
    assert response.status_code == 404
    assert response["Cache-Control"] == PRIVATE


def test_a_file_download(world, client_for):
    enrolment = Enrolment.objects.get(user=world.librarian)
    note = training.add_study_note(
        enrolment,
        date=dt.date(2025, 10, 1),
        content="Ghi chép",
        hours=Decimal(1),
        attachment=SimpleUploadedFile("ghi-chep.pdf", pdf_bytes()),
    )
    response = client_for(world.librarian).get(reverse("training:note_file", args=[note.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == PRIVATE


def test_a_generated_download(world, client_for):
    response = client_for(world.dept_admin).get(reverse("accounts:staff_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == PRIVATE


def test_api_answers_by_token_and_unauthenticated(world):
    token, _created = Token.objects.get_or_create(user=world.librarian)
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/me/")
    assert by_token.status_code == 200
    assert by_token["Cache-Control"] == PRIVATE
    anonymous = Client()
    assert anonymous.get("/api/v1/me/")["Cache-Control"] == PRIVATE
    assert anonymous.get("/api/v1/nope/")["Cache-Control"] == PRIVATE


@pytest.mark.parametrize(
    "name",
    ["accounts:login", "accounts:password_reset", "accounts:password_reset_done"],
)
def test_login_and_password_pages(db, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_password_reset_link_pages(world, client):
    client.post(reverse("accounts:password_reset"), {"email": world.librarian.email})
    site = re.escape(settings.SITE_URL.rstrip("/"))
    link = re.search(site + r"(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    hiding_the_token = client.get(link)
    assert hiding_the_token.status_code == 302
    assert hiding_the_token["Cache-Control"] == PRIVATE
    form = client.get(hiding_the_token.url)
    assert form.status_code == 200
    assert form["Cache-Control"] == PRIVATE


def test_a_failed_and_a_locked_login(db, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("accounts:login"), {"username": "ai", "password": "x"})
    assert response.status_code == 429
    assert response["Cache-Control"] == PRIVATE


def test_the_public_certificate_check_is_not_kept(world, client):
    """It names the holder and their school, and must say what the database says today."""
    registration = Registration.objects.get(user=world.librarian)
    Registration.objects.filter(pk=registration.pk).update(certificate_code="GCN-2025-0001")
    response = client.get(reverse("events:certificate_verify", args=["GCN-2025-0001"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_public_photo_is_public_to_visitors_and_private_to_a_logged_in_person(
    world, client, client_for, public_photo
):
    url = reverse("events:photo_thumbnail", args=[public_photo.pk])
    assert client.get(url)["Cache-Control"] == "public, max-age=3600"
    assert client_for(world.librarian).get(url)["Cache-Control"] == PRIVATE


def test_static_files_keep_their_cache(world, client_for):
    response = client_for(world.librarian).get("/static/thuvien/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
