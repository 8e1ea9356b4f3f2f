"""Attendance certificates: only after attending, once, as a landscape PDF with a QR code of the
public verification page; the verification page shows the holder and the event, nothing else."""

from __future__ import annotations

import io
import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.events.conftest import anonymous
from thuvien.events.certificate_pdf import certificate_context, qr_svg, render_certificate_pdf
from thuvien.events.models import Registration, RegistrationStatus
from thuvien.events.services import EventError, certificates
from thuvien.notifications.models import Notification
from thuvien.organisations import services as units
from thuvien.organisations.models import Role


@pytest.fixture
def not_attended(world, event):
    return Registration.objects.create(
        event=event, user=world.teacher_librarian, school=world.school,
        role=Role.TEACHER_LIBRARIAN, status=RegistrationStatus.REGISTERED,
    )  # fmt: skip


@pytest.fixture
def issued(registration):
    return certificates.issue_certificate(registration)


def pdf_url(registration):
    return reverse("events:certificate_pdf", args=[registration.pk])


def verify_url(registration):
    return reverse("events:certificate_verify", args=[registration.certificate_code])


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# --- Issuing ----------------------------------------------------------------------------------


def test_no_certificate_without_attendance(not_attended):
    with pytest.raises(EventError, match="has not checked in at any session"):
        certificates.issue_certificate(not_attended)
    not_attended.refresh_from_db()
    assert not_attended.certificate_code == "" and not_attended.certificate_issued_at is None


def test_a_certificate_is_issued_once(registration):
    certificates.issue_certificate(registration)
    registration.refresh_from_db()
    code, when = registration.certificate_code, registration.certificate_issued_at
    assert len(code) >= 16 and when is not None
    again = certificates.issue_certificate(Registration.objects.get(pk=registration.pk))
    assert (again.certificate_code, again.certificate_issued_at) == (code, when)


def test_issue_all_after_the_event_tells_the_holders(world, event, registration, not_attended):
    assert certificates.issue_all(event, by=world.trainer) == 1  # the event was in 2025
    registration.refresh_from_db()
    not_attended.refresh_from_db()
    assert registration.certificate_code and not not_attended.certificate_code
    note = Notification.objects.get(recipient=world.librarian, kind="event_certificate")
    assert note.url == pdf_url(registration)
    assert certificates.issue_all(event, by=world.trainer) == 0
    assert Notification.objects.filter(kind="event_certificate").count() == 1


def test_issue_all_waits_for_the_last_day(world, event, registration):
    event.ends_on = timezone.localdate().replace(year=timezone.localdate().year + 1)
    event.save()
    with pytest.raises(EventError, match="from the event's last day"):
        certificates.issue_all(event, by=world.trainer)
    registration.refresh_from_db()
    assert registration.certificate_code == ""


def test_the_organiser_issues_from_the_page(client_for, world, event, registration):
    response = client_for(world.trainer).post(reverse("events:certificates_issue", args=[event.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.certificate_code
    assert (
        client_for(world.librarian)
        .post(reverse("events:certificates_issue", args=[event.pk]))
        .status_code
        == 403
    )


# --- The PDF ----------------------------------------------------------------------------------


def test_the_holder_downloads_the_pdf_with_their_name(client_for, world, issued, settings):
    settings.SITE_URL = "https://thuvien.example.gov.vn"
    response = client_for(world.librarian).get(pdf_url(issued))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert len(reader.pages) == 1
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = " ".join(text_of(response.content).split())
    assert world.librarian.full_name in text
    assert world.school.name in text
    assert issued.event.title in text
    assert "10/11/2025" in text
    # The link under the QR code is on SITE_URL, not on the host the request named.
    assert f"https://thuvien.example.gov.vn{verify_url(issued)}" in text.replace(" ", "")


def test_the_certificate_prints_the_organisers_head_signer(client_for, world, issued):
    unsigned = " ".join(text_of(client_for(world.librarian).get(pdf_url(issued)).content).split())
    assert "ON BEHALF OF THE ORGANISER" in unsigned  # the partner keeps no signer: by hand
    units.add_signer(world.partner, full_name="Võ Văn Thư", position="Giám đốc Thư viện")
    text = " ".join(text_of(client_for(world.librarian).get(pdf_url(issued)).content).split())
    assert "GIÁM ĐỐC THƯ VIỆN" in text and "Võ Văn Thư" in text
    assert "ON BEHALF OF THE ORGANISER" not in text


def test_the_qr_code_encodes_the_verification_url_on_the_site_url(settings, issued):
    settings.SITE_URL = "https://thuvien.example.gov.vn"
    url = f"https://thuvien.example.gov.vn{verify_url(issued)}"
    context = certificate_context(issued)
    assert context["verify_url"] == url
    # The SVG drawn is segno's encoding of exactly that URL, and not of another.
    assert context["qr_svg"] == segno.make(url, error="m").svg_inline(scale=4, omitsize=True)
    assert context["qr_svg"] != qr_svg(url + "x")
    assert "style=" not in context["qr_svg"]
    assert (context["sessions_attended"], context["sessions_total"]) == (1, 2)
    assert str(context["hours"]) == "2"
    assert len(render_certificate_pdf(context)) > 1000


def test_the_organiser_downloads_any_certificate_of_the_event(client_for, world, issued):
    assert client_for(world.trainer).get(pdf_url(issued)).status_code == 200


def test_others_cannot_download(client_for, world, issued):
    # The school's principal sees the registration but is neither holder nor organiser.
    assert client_for(world.principal).get(pdf_url(issued)).status_code == 403
    assert client_for(world.outsider).get(pdf_url(issued)).status_code == 404
    assert anonymous().get(pdf_url(issued)).status_code == 302


def test_no_pdf_before_the_certificate_is_issued(client_for, world, registration):
    assert client_for(world.librarian).get(pdf_url(registration)).status_code == 404


# --- The public verification page -------------------------------------------------------------


def test_the_verification_page_is_public_and_shows_the_holder(world, issued):
    response = anonymous().get(verify_url(issued))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This certificate is genuine" in body
    for text in (world.librarian.full_name, world.school.name, issued.event.title,
                 world.partner.name, "10/11/2025"):  # fmt: skip
        assert text in body
    for private in (world.librarian.email, "Rất bổ ích"):
        assert private not in body


def test_an_unknown_code_is_not_found(world, issued):
    response = anonymous().get(reverse("events:certificate_verify", args=["khong-ton-tai"]))
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    assert world.librarian.full_name not in response.content.decode()


def test_the_verification_page_answers_get_only(issued):
    assert anonymous().post(verify_url(issued)).status_code == 405


def test_the_code_is_unguessable(registration, not_attended, world):
    certificates.issue_certificate(registration)
    registration.refresh_from_db()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", registration.certificate_code)


# --- The event page's section -----------------------------------------------------------------


def test_the_event_page_offers_the_holder_their_certificate(client_for, world, issued):
    url = reverse("events:event_detail", args=[issued.event_id])
    body = client_for(world.librarian).get(url).content.decode()
    assert pdf_url(issued) in body
    assert "Your attendance" in body and "Chuyên đề 1" in body
    organiser = client_for(world.trainer).get(url).content.decode()
    first = issued.checkins.get().session
    assert reverse("events:checkin_poster", args=[first.pk]) in organiser
    assert reverse("events:attendance", args=[first.pk]) in organiser
    assert reverse("events:materials", args=[issued.event_id]) in organiser
