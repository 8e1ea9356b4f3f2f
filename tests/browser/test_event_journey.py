"""A training event in Chromium, from the trainer's programme to the verified certificate.

The partner's trainer creates the event for the THPT librarians of the province, adds a session,
opens registration (everyone in the audience is invited, with a Giấy mời) and uploads the slides; a
THPT librarian registers, checks in by opening the session's QR address, downloads the slides,
answers the survey and downloads the certificate; the certificate verifies on its public page; the
organiser's and the Sở's reports count the attendance right.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in, needs_chromium
from thuvien.documents import CongVan, OfficialDocument, Paragraph, Signature, render_pdf
from thuvien.events.models import CheckIn, Event, Feedback, Registration, RegistrationStatus
from thuvien.notifications.models import Notification

pytestmark = [pytest.mark.browser, needs_chromium]

TITLE = "Tập huấn nghiệp vụ thư viện trường học cho cán bộ thư viện THPT"


def _page(make_context, live_server, login=None):
    context = make_context()
    context.add_cookies([{"name": "thuvien_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    if login:
        log_in(page, login)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _click(page, selector):
    with page.expect_navigation():
        page.locator(selector).first.click()


def _slides() -> bytes:
    return render_pdf(
        OfficialDocument(
            issuing_agency="THƯ VIỆN TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG",
            symbol="TV",
            place="TP. Hồ Chí Minh",
            issued_on=dt.date(2026, 11, 1),
            kind=CongVan("Bài giảng phát triển nguồn tài nguyên thông tin"),
            signature=Signature("GIẢNG VIÊN", "Ngô Văn Giảng"),
            body=[Paragraph("Nội dung bài giảng.")],
        )
    )


def _session_times() -> tuple[str, str]:
    """A session running now, inside today (the event is one day long)."""
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    day = now.date()
    start = max(now - dt.timedelta(minutes=30), dt.datetime.combine(day, dt.time(0, 5)))
    end = min(now + dt.timedelta(minutes=60), dt.datetime.combine(day, dt.time(23, 55)))
    return start.strftime("%Y-%m-%dT%H:%M"), end.strftime("%Y-%m-%dT%H:%M")


def test_trainer_to_certificate_and_reports(world, make_context, live_server, tmp_path):
    today = timezone.localdate()

    # 1. The trainer creates the event for the THPT librarians of the province.
    trainer = _page(make_context, live_server, world.trainer.username)
    trainer.goto("/events/new/")
    trainer.fill("[name=title]", TITLE)
    trainer.fill("[name=starts_on]", today.isoformat())
    trainer.fill("[name=ends_on]", today.isoformat())
    trainer.fill("[name=venue]", "Thư viện Trường Đại học Tôn Đức Thắng")
    # The audience picker: the department is the root of the trainer's tree; choosing it means
    # every school below it.
    trainer.click(f"[data-audience-choose][value='{world.department.pk}']")
    expect(trainer.locator("[data-audience-chosen]")).to_have_text(world.department.name)
    trainer.check("[name=roles][value=librarian]")
    trainer.check("[name=roles][value=teacher_librarian]")
    trainer.check("[name=tiers][value=upper_secondary]")
    trainer.fill("[name=capacity]", "30")
    _click(trainer, "main form button[type=submit]")
    event = Event.objects.get(title=TITLE)
    assert event.organiser == world.partner

    # …a session running now, then registration opens: the audience is invited.
    trainer.goto(f"/events/{event.pk}/sessions/add/")
    start, end = _session_times()
    trainer.fill("[name=title]", "Phát triển nguồn tài nguyên thông tin")
    trainer.fill("[name=speaker]", "ThS. Ngô Văn Giảng")
    trainer.fill("[name=starts_at]", start)
    trainer.fill("[name=ends_at]", end)
    _click(trainer, "main form button[type=submit]")
    session = event.sessions.get()
    trainer.goto(f"/events/{event.pk}/")
    _click(trainer, f"form[action$='/events/{event.pk}/open/'] button")
    invited = Registration.objects.get(event=event, user=world.thpt_librarian)
    assert invited.status == RegistrationStatus.INVITED
    assert not Registration.objects.filter(event=event, user=world.librarian).exists()  # primary
    assert Notification.objects.filter(recipient=world.thpt_librarian).exists()
    letter = trainer.request.get(f"/events/{event.pk}/invitation.pdf")
    assert letter.status == 200 and letter.body().startswith(b"%PDF")

    # …and uploads the slides for the participants.
    slides = tmp_path / "bai-giang.pdf"
    slides.write_bytes(_slides())
    trainer.goto(f"/events/{event.pk}/attendance/")
    material_form = trainer.locator("form.material-form")
    material_form.locator("[name=title]").fill("Bài giảng phiên 1")
    material_form.locator("input[type=file]").set_input_files(str(slides))
    with trainer.expect_navigation():
        material_form.locator("button[type=submit]").click()
    material = event.materials.get()

    # 2. The THPT librarian registers, checks in by the QR address, downloads the slides.
    me = _page(make_context, live_server, world.thpt_librarian.username)
    me.goto(f"/events/{event.pk}/")
    _click(me, f"form[action$='/events/{event.pk}/register/'] button")
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.REGISTERED
    me.goto(f"/events/check-in/{session.checkin_code}/")
    _click(me, "form button[type=submit]")
    expect(me.locator("body")).to_contain_text(session.title)
    assert CheckIn.objects.filter(registration=invited, session=session).count() == 1
    me.goto(f"/events/check-in/{session.checkin_code}/")  # a second scan says so, no button
    expect(me.locator("body")).to_contain_text("already checked in")
    expect(me.locator("form button[type=submit]")).to_have_count(0)
    assert CheckIn.objects.filter(registration=invited).count() == 1
    download = me.request.get(f"/events/materials/{material.pk}/file/")
    assert download.status == 200 and download.body() == slides.read_bytes()

    # 3. The survey.
    me.goto(f"/events/{event.pk}/feedback/")
    me.select_option(f"[name=session_{session.pk}]", "5")
    me.fill("[name=comments]", "Rất thiết thực.")
    me.fill("[name=change_plan]", "Sắp xếp lại không gian đọc.")
    _click(me, "main form button[type=submit]")
    feedback = Feedback.objects.get(registration=invited)
    assert feedback.ratings.get().rating == 5

    # 4. Certificates: the organiser issues them, the librarian downloads hers, anyone verifies.
    trainer.goto(f"/events/{event.pk}/attendance/")
    _click(trainer, f"form[action$='/events/{event.pk}/certificates/issue/'] button")
    invited.refresh_from_db()
    assert invited.certificate_code
    me.goto(f"/events/{event.pk}/")  # the certificate is offered on the event page
    href = me.locator("a[href$='/certificate.pdf']").first.get_attribute("href")
    assert href == f"/events/registrations/{invited.pk}/certificate.pdf"
    certificate = me.request.get(href)
    assert certificate.status == 200 and certificate.body().startswith(b"%PDF")
    anonymous = _page(make_context, live_server)
    anonymous.goto(f"/events/certificates/{invited.certificate_code}/")
    expect(anonymous.locator("main")).to_contain_text(world.thpt_librarian.full_name)
    expect(anonymous.locator("main")).to_contain_text(TITLE)
    missing = anonymous.goto("/events/certificates/khong-co-ma-nay/")
    assert missing is not None and missing.status == 404

    # 5. The organiser's and the Sở's reports: the THPT school attended, one person.
    for login, page in ((None, trainer), (world.dept_admin.username, None)):
        page = page or _page(make_context, live_server, login)
        page.goto(f"/events/{event.pk}/report/")
        row = page.locator("main tr", has=page.locator(f"td:text-is('{world.thpt.name}')"))
        cells = [re.sub(r"\s+", " ", text).strip() for text in row.locator("td").all_inner_texts()]
        # school, under, invited, registered, waiting, attended
        assert cells[2:6] == ["1", "1", "0", "1"], cells
