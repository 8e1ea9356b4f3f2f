"""The event's invitation: an official Giấy mời (Nghị định 30/2020) as PDF and DOCX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from thuvien.documents import Table
from thuvien.events import letters
from thuvien.events.models import EventSession, EventStatus
from thuvien.events.models.events import SHIPPED_THEMES as THEMES
from thuvien.organisations import agencies
from thuvien.organisations import services as units
from thuvien.organisations.models import Authority

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
    doc = letters.invitation(event)
    assert doc.kind.name == "GIẤY MỜI" and doc.symbol.startswith("GM-")
    assert doc.issuing_agency == "THƯ VIỆN TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG"
    assert doc.number is None  # no number given yet: Văn thư writes it in
    assert next(iter(doc.noi_nhan)) == "Như thành phần mời"


def test_a_partner_is_governed_by_its_own_governing_body_and_signs_by_hand(world, event):
    doc = letters.invitation(event)
    assert doc.parent_agency == "TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG"  # its own, not the Sở
    # The library's name tells no locality: Văn thư writes the place in.
    assert doc.place == letters.BLANK_PLACE
    # The head of the library signs the official copy by hand, not the trainer who drafted it.
    assert (doc.signature.position, doc.signature.signer) == (
        "GIÁM ĐỐC THƯ VIỆN",
        letters.BLANK_NAME,
    )
    assert world.trainer.display_name not in doc.signature.signer


def test_a_school_is_governed_by_its_supervisor_on_the_day_of_issue(world):
    day = dt.date(2025, 9, 1)
    units.move_unit(world.school_a2, new_parent=world.office_b, on=day)
    after = agencies.parent_agency(world.school_a2, day)
    before = agencies.parent_agency(world.school_a2, day - dt.timedelta(days=1))
    assert (before, after) == (world.office.name.upper(), world.office_b.name.upper())


def test_the_departments_invitation_names_its_province(world, event):
    event.organiser = world.department
    doc = letters.invitation(event)
    assert doc.parent_agency == "UBND TỈNH BẾN TRE" and doc.place == "Bến Tre"
    assert (doc.signature.position, doc.signature.signer) == ("GIÁM ĐỐC", letters.BLANK_NAME)
    event.place = "TP. Bến Tre"  # the event's own place wins
    assert letters.invitation(event).place == "TP. Bến Tre"


def test_a_partner_that_is_not_a_library_is_signed_by_its_head(world, event):
    world.partner.name = "Trung tâm Học liệu Đồng Khởi"
    assert letters.default_position(world.partner) == "THỦ TRƯỞNG ĐƠN VỊ"
    world.partner.name = "Thư viện Tỉnh"
    assert letters.default_position(world.partner) == "GIÁM ĐỐC THƯ VIỆN"


def test_a_session_named_after_its_theme_is_printed_once(world, event):
    session = event.sessions.select_related("theme").first()
    assert letters.session_content(session) == f"Chuyên đề 1 ({session.theme.name})"
    session.title = f" {session.theme.name.upper()} "
    assert letters.session_content(session) == session.title.strip()
    session.theme = None
    assert letters.session_content(session) == session.title.strip()
    EventSession.objects.filter(pk=session.pk).update(title=THEMES[0])
    table = next(block for block in letters.invitation(event).body if isinstance(block, Table))
    contents = [row[2] for row in table.rows]
    assert contents[0] == THEMES[0]
    assert contents[1] == f"Chuyên đề 2 ({THEMES[1]})"


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
    parent = "TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG"
    for expected in (*ND30, *content(event), parent, f"GIÁM ĐỐC THƯ VIỆN {letters.BLANK_NAME}"):
        assert expected in text, expected
    # Neither the trainer who drafted the event nor the reader is named as the signer.
    assert f"GIÁM ĐỐC THƯ VIỆN {world.trainer.display_name}" not in text
    assert world.librarian.display_name not in text


def test_docx_download_takes_the_signer_given(world, client_for, event):
    response = client_for(world.trainer).get(
        reverse("events:invitation_docx", kwargs={"event_id": event.pk}),
        {"position": "PHÓ GIÁM ĐỐC", "signer": "Lê Văn Ký"},
    )
    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in (*ND30, *content(event), "PHÓ GIÁM ĐỐC", "Lê Văn Ký"):
        assert expected in text, expected


def test_only_organisers_name_the_signer(world, client_for, event):
    url = reverse("events:invitation_docx", kwargs={"event_id": event.pk})
    given = {"position": "PHÓ GIÁM ĐỐC", "signer": "Kẻ Mạo Danh"}
    # They see the event (the audience, its school's principal, the office above) but do not
    # organise it: the organiser's head over a blank name line, whatever they ask.
    for user in (world.librarian, world.principal, world.office_officer):
        response = client_for(user).get(url, given)
        assert response.status_code == 200, user
        text = docx_text(response.content)
        assert "Kẻ Mạo Danh" not in text and "PHÓ GIÁM ĐỐC" not in text, user
        assert f"GIÁM ĐỐC THƯ VIỆN {letters.BLANK_NAME}" in text, user
    # The organiser and the department above it name the signer.
    for user in (world.trainer, world.dept_officer):
        text = docx_text(client_for(user).get(url, given).content)
        assert "PHÓ GIÁM ĐỐC Kẻ Mạo Danh" in text, user


def test_a_site_visit_names_the_place_once(world, event):
    session = event.sessions.first()
    session.theme, session.is_site_visit = None, True
    session.title = "Tham quan thư viện"
    assert (
        letters.session_content(session, "Thư viện A")
        == "Tham quan thư viện — tham quan Thư viện A"
    )
    session.venue = "Khu tự học B"  # the session's own venue wins
    assert letters.session_content(session, "Thư viện A") == (
        "Tham quan thư viện — tham quan Khu tự học B"
    )  # fmt: skip
    session.title = "Tham quan khu tự học B"
    assert letters.session_content(session, "Thư viện A") == "Tham quan khu tự học B"


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


# --- the signer chosen among the organiser's -------------------------------------------------


@pytest.fixture
def library_signers(world):
    units.add_signer(world.partner, full_name="Võ Văn Thư", position="Giám đốc Thư viện")
    return units.add_signer(
        world.partner,
        full_name="Đặng Thị Phó",
        position="Phó Giám đốc Thư viện",
        authority=Authority.KT,
        on_behalf_of="Giám đốc Thư viện",
        order=1,
    )


def test_the_organiser_chooses_the_signer_among_its_own(world, client_for, event, library_signers):
    client = client_for(world.trainer)
    page = client.get(reverse("events:event_detail", kwargs={"event_id": event.pk}))
    assert "Đặng Thị Phó" in page.content.decode()  # offered, the head first
    url = reverse("events:invitation_pdf", kwargs={"event_id": event.pk})
    text = pdf_text(client.get(url, {"signatory": library_signers.pk}).content)
    assert "KT. GIÁM ĐỐC THƯ VIỆN PHÓ GIÁM ĐỐC THƯ VIỆN" in text and "Đặng Thị Phó" in text
    assert "Võ Văn Thư" not in text
    default = pdf_text(client.get(url).content)  # none chosen: the head signer
    assert "GIÁM ĐỐC THƯ VIỆN Võ Văn Thư" in default and "Đặng Thị Phó" not in default


def test_a_signer_of_another_unit_is_refused_for_the_invitation(world, client_for, event):
    other = units.add_signer(world.department, full_name="Nguyễn Văn Giám", position="Giám đốc")
    client = client_for(world.trainer)
    client.cookies["thuvien_language"] = "vi"  # the site's own language
    detail = reverse("events:event_detail", kwargs={"event_id": event.pk})
    response = client.get(
        reverse("events:invitation_pdf", kwargs={"event_id": event.pk}), {"signatory": other.pk}
    )
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Người ký: Vui lòng chọn một giá trị trong danh sách." in page
    # Someone who does not organise it cannot choose: the head's draft, whatever is asked.
    reader = client_for(world.librarian).get(
        reverse("events:invitation_pdf", kwargs={"event_id": event.pk}), {"signatory": other.pk}
    )
    assert reader.status_code == 200 and "Nguyễn Văn Giám" not in pdf_text(reader.content)
