"""The organising screens: list, event page, forms, sessions, registration, nomination,
agreements."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from thuvien.core.testing import OUTSIDER_MARK, make_user
from thuvien.events.models import Agreement, Event, EventStatus, Registration, RegistrationStatus
from thuvien.events.services import organising
from thuvien.organisations import services as units
from thuvien.organisations.models import Role, UnitKind

DAY = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture
def other_trainer(world):
    """The trainer of another partner: may organise events, but not the world's one."""
    partner = units.create_unit(
        kind=UnitKind.PARTNER, name="Thư viện khác", parent=world.department
    )
    trainer = make_user("giangvien_khac", "Trần Giảng Khác")
    units.add_membership(trainer, partner, Role.TRAINER)
    return trainer


def detail(event) -> str:
    return reverse("events:event_detail", kwargs={"event_id": event.pk})


@pytest.fixture
def upcoming(world) -> Event:
    """An open event of the department for every THPT librarian, in a month."""
    event = organising.create_event(
        world.department, by=world.dept_officer, title="Hội thảo thư viện số", starts_on=DAY,
        ends_on=DAY, venue="Hội trường Sở", target=world.department, roles=[Role.LIBRARIAN],
        target_upper_secondary=True, capacity=1,
    )  # fmt: skip
    organising.open_registration(event, by=world.dept_officer)
    return event


def test_list_shows_upcoming_events_first_and_the_past_as_archive(
    world, client_for, event, upcoming
):
    response = client_for(world.dept_officer).get(reverse("events:event_list"))
    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["page"].object_list) == [event]


def test_list_shows_only_events_that_reach_the_scope(world, client_for, event, upcoming):
    def titles(user):
        response = client_for(user).get(reverse("events:event_list"))
        return {e.title for e in [*response.context["upcoming"], *response.context["page"]]}

    # School A1 (primary) is in the audience of the partner's day, not of the THPT-only event.
    assert titles(world.librarian) == {event.title}
    assert titles(world.thpt_librarian) == {upcoming.title}  # THPT, directly under the Sở
    assert titles(world.outsider) == set()  # a THCS of office B
    assert titles(world.trainer) == {event.title, upcoming.title}
    assert titles(world.office_officer) == {event.title, upcoming.title}  # supervises its schools


def test_list_search_without_diacritics_and_htmx_fragment(world, client_for, event, upcoming):
    client = client_for(world.thpt_librarian)
    response = client.get(reverse("events:event_list"), {"q": "hoi thao"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hội thảo thư viện số" in body and event.title not in body
    assert "<html" not in body


def test_list_refuses_anonymous_and_readers(world, client, client_for):
    assert client.get(reverse("events:event_list"))["Location"].startswith("/accounts/login/")
    assert client_for(world.reader).get(reverse("events:event_list")).status_code == 403
    assert client_for(world.librarian).post(reverse("events:event_list")).status_code == 405


def test_event_page_for_a_registered_librarian(world, client_for, event, registration):
    response = client_for(world.librarian).get(detail(event))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chuyên đề 1" in body and "ThS. Ngô Văn Giảng" in body
    assert "Cancel my registration" in body and "39 left" in body
    assert response.context["registration"] == registration
    assert response.context["can_manage"] is False
    assert "Edit the event and its audience" not in body


def test_event_page_for_the_organiser(world, client_for, event, registration):
    response = client_for(world.trainer).get(detail(event))
    body = response.content.decode()
    assert response.context["can_manage"] is True and response.context["registration"] is None
    assert "Edit the event and its audience" in body and "Add a session" in body
    assert world.librarian.display_name in body and "Waiting list" in body


@pytest.mark.parametrize("status", [EventStatus.HELD, EventStatus.CANCELLED])
def test_a_held_or_cancelled_programme_offers_no_changes(world, client_for, event, status):
    Event.objects.filter(pk=event.pk).update(status=status)
    response = client_for(world.trainer).get(detail(event))
    body = response.content.decode()
    assert response.context["can_manage"] is True
    assert "Chuyên đề 1" in body and "Chuyên đề 2" in body  # the programme is still shown
    for session in event.sessions.all():
        assert reverse("events:session_edit", kwargs={"session_id": session.pk}) not in body
        assert reverse("events:session_remove", kwargs={"session_id": session.pk}) not in body
    assert reverse("events:session_add", kwargs={"event_id": event.pk}) not in body
    assert "Remove this session?" not in body


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.OPEN, EventStatus.CLOSED])
def test_a_programme_still_to_come_offers_its_changes(world, client_for, event, status):
    Event.objects.filter(pk=event.pk).update(status=status)
    body = client_for(world.trainer).get(detail(event)).content.decode()
    for session in event.sessions.all():
        assert reverse("events:session_edit", kwargs={"session_id": session.pk}) in body
        assert reverse("events:session_remove", kwargs={"session_id": session.pk}) in body
    assert reverse("events:session_add", kwargs={"event_id": event.pk}) in body


def test_event_page_scoping(world, client, client_for, event):
    assert client_for(world.outsider).get(detail(event)).status_code == 404
    assert client_for(world.office_b_officer).get(detail(event)).status_code == 404
    assert client_for(world.thpt_librarian).get(detail(event)).status_code == 404
    assert client_for(world.reader).get(detail(event)).status_code == 403
    assert client.get(detail(event))["Location"].startswith("/accounts/login/")
    assert client_for(world.librarian).post(detail(event)).status_code == 405


def test_librarian_and_office_cannot_manage(world, client_for, event, other_trainer):
    edit = reverse("events:event_edit", kwargs={"event_id": event.pk})
    assert client_for(world.librarian).get(edit).status_code == 403
    assert client_for(world.office_officer).get(edit).status_code == 403
    assert client_for(world.outsider).get(edit).status_code == 403
    assert client_for(other_trainer).get(edit).status_code == 404
    opened = reverse("events:event_open", kwargs={"event_id": event.pk})
    assert client_for(world.librarian).post(opened).status_code == 403
    assert client_for(other_trainer).post(opened).status_code == 404
    assert client_for(world.trainer).get(reverse("events:event_create")).status_code == 200
    assert client_for(world.librarian).get(reverse("events:event_create")).status_code == 403


def test_trainer_creates_an_event_then_a_session_then_opens_it(world, client_for):
    client = client_for(world.trainer)
    response = client.post(reverse("events:event_create"), {
        "title": "Tập huấn thư viện THPT", "starts_on": DAY.isoformat(),
        "ends_on": DAY.isoformat(), "venue": "Thư viện TDTU", "target": world.department.pk,
        "roles": [Role.LIBRARIAN], "tiers": ["upper_secondary"], "capacity": "30",
        "co_organisers": [world.department.pk],
    })  # fmt: skip
    event = Event.objects.get(title="Tập huấn thư viện THPT")
    assert response.status_code == 302 and response["Location"] == detail(event)
    assert event.organiser == world.partner and event.target_upper_secondary
    assert list(event.co_organisers.all()) == [world.department]
    response = client.post(reverse("events:session_add", kwargs={"event_id": event.pk}), {
        "title": "Ứng dụng công nghệ", "starts_at": f"{DAY.isoformat()}T08:00",
        "ends_at": f"{DAY.isoformat()}T10:00", "speaker": "TS. B",
    })  # fmt: skip
    assert response.status_code == 302 and event.sessions.get().speaker == "TS. B"
    response = client.post(reverse("events:event_open", kwargs={"event_id": event.pk}), follow=True)
    assert "1 person was invited" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    assert Registration.objects.get(event=event).user == world.thpt_librarian


def test_bad_event_form_answers_422_with_the_reason(world, client_for):
    response = client_for(world.dept_officer).post(reverse("events:event_create"), {
        "title": "X", "starts_on": DAY.isoformat(), "ends_on": (DAY - dt.timedelta(1)).isoformat(),
        "venue": "Y", "target": world.department.pk,
    })  # fmt: skip
    assert response.status_code == 422
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Event.objects.filter(title="X").exists()


def test_session_outside_the_days_is_refused(world, client_for, event):
    response = client_for(world.trainer).post(
        reverse("events:session_add", kwargs={"event_id": event.pk}),
        {"title": "Sau", "starts_at": "2025-11-12T08:00", "ends_at": "2025-11-12T09:00"},
    )
    assert response.status_code == 422
    assert "from 10/11/2025 to 10/11/2025" in response.content.decode()
    assert event.sessions.count() == 2


def test_session_edit_and_remove_scoping(world, client_for, event, other_trainer):
    session = event.sessions.order_by("-starts_at").first()
    edit = reverse("events:session_edit", kwargs={"session_id": session.pk})
    remove = reverse("events:session_remove", kwargs={"session_id": session.pk})
    assert client_for(other_trainer).get(edit).status_code == 404
    assert client_for(other_trainer).post(remove).status_code == 404
    assert client_for(world.librarian).get(edit).status_code == 403
    assert client_for(world.trainer).get(edit).status_code == 200
    assert client_for(world.trainer).post(remove).status_code == 302
    assert not event.sessions.filter(pk=session.pk).exists()


def test_register_and_cancel_from_the_event_page(world, client_for, event):
    client = client_for(world.teacher_librarian)
    response = client.post(reverse("events:register", kwargs={"event_id": event.pk}), follow=True)
    assert "is registered for" in response.content.decode()
    registration = Registration.objects.get(event=event, user=world.teacher_librarian)
    assert registration.status == RegistrationStatus.REGISTERED
    cancel = reverse("events:registration_cancel", kwargs={"registration_id": registration.pk})
    assert client.post(cancel).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_full_event_page_says_so_and_keeps_the_count(world, client_for, upcoming):
    organising.invite_people(upcoming, [world.librarian], by=world.dept_officer)
    client_for(world.thpt_librarian).post(
        reverse("events:register", kwargs={"event_id": upcoming.pk})
    )
    response = client_for(world.librarian).post(
        reverse("events:register", kwargs={"event_id": upcoming.pk}), follow=True
    )
    assert "The event is full" in response.content.decode()
    assert upcoming.registrations.holding_seats().count() == 1


def test_a_colleague_cannot_cancel_someone_elses_registration(world, client_for, registration):
    cancel = reverse("events:registration_cancel", kwargs={"registration_id": registration.pk})
    # A colleague who did not take part does not see who did (issue 8): out of sight, 404.
    assert client_for(world.teacher_librarian).post(cancel).status_code == 404
    assert client_for(world.outsider).post(cancel).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_principal_nomination_page_lists_only_their_staff(world, client_for, event):
    url = reverse("events:nominate", kwargs={"event_id": event.pk})
    response = client_for(world.principal).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert world.teacher_librarian.display_name in body and world.librarian.display_name in body
    assert OUTSIDER_MARK not in body and world.principal_a2.display_name not in body
    response = client_for(world.principal).post(url, {"people": [world.teacher_librarian.pk]})
    assert response.status_code == 302
    nominated = Registration.objects.get(event=event, user=world.teacher_librarian)
    assert nominated.nominated_by == world.principal


def test_principal_cannot_nominate_another_schools_staff(world, client_for, event):
    url = reverse("events:nominate", kwargs={"event_id": event.pk})
    response = client_for(world.principal).post(url, {"people": [world.outsider.pk]})
    assert response.status_code == 422
    assert not Registration.objects.filter(event=event, user=world.outsider).exists()
    assert client_for(world.librarian).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 403


def pdf_upload() -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("thoa-thuan.pdf", buffer.getvalue(), content_type="application/pdf")


def test_trainer_records_an_agreement_with_its_signed_copy(world, client_for):
    client = client_for(world.trainer)
    response = client.post(reverse("events:agreement_create"), {
        "partner": world.partner.pk, "title": "Thỏa thuận 2018", "signed_on": "2018-06-01",
        "valid_from": "2018-06-01", "signed_file": pdf_upload(),
    })  # fmt: skip
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Thỏa thuận 2018")
    assert agreement.department == world.department
    download = client.get(reverse("events:agreement_file", kwargs={"agreement_id": agreement.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    listing = client.get(reverse("events:agreement_list")).content.decode()
    assert "Thỏa thuận 2018" in listing


def test_agreement_form_refuses_a_file_that_is_not_a_pdf(world, client_for):
    fake = SimpleUploadedFile("scan.pdf", b"not really", content_type="application/pdf")
    response = client_for(world.dept_officer).post(reverse("events:agreement_create"), {
        "partner": world.partner.pk, "title": "Giả", "signed_on": "2018-06-01",
        "valid_from": "2018-06-01", "signed_file": fake,
    })  # fmt: skip
    assert response.status_code == 422 and "not a readable" in response.content.decode()
    assert not Agreement.objects.filter(title="Giả").exists()


def test_agreements_scoping(world, client_for):
    agreement = Agreement.objects.get(partner=world.partner)
    url = reverse("events:agreement_file", kwargs={"agreement_id": agreement.pk})
    edit = reverse("events:agreement_edit", kwargs={"agreement_id": agreement.pk})
    assert client_for(world.librarian).get(reverse("events:agreement_list")).status_code == 403
    assert client_for(world.office_officer).get(edit).status_code == 403
    assert client_for(world.trainer).get(url).status_code == 404  # no signed copy yet
    assert client_for(world.dept_officer).get(edit).status_code == 200
