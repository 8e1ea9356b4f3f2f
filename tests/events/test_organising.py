"""Organising an event: agreements, the event and its programme, the audience, invitations."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfWriter

from thuvien.events.models import Event, EventStatus, Registration, RegistrationStatus, Theme
from thuvien.events.services import organising
from thuvien.events.services.common import EventError
from thuvien.notifications.models import Notification
from thuvien.organisations.models import Role

DAY = dt.date.today() + dt.timedelta(days=60)


def at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def new_event(world, *, by=None, **fields) -> Event:
    values = {
        "title": "Tập huấn công tác thư viện trường THPT",
        "starts_on": DAY,
        "ends_on": DAY,
        "venue": "Hội trường Sở",
        "target": world.department,
        "roles": [Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        **fields,
    }
    return organising.create_event(world.department, by=by or world.dept_officer, **values)


def invited_users(event: Event) -> set:
    return set(
        Registration.objects.filter(event=event, status=RegistrationStatus.INVITED).values_list(
            "user__username", flat=True
        )
    )


def test_thpt_tier_invites_only_the_librarians_of_thpt_schools(world):
    event = new_event(world, target_upper_secondary=True)
    assert organising.open_registration(event, by=world.dept_officer) == 1
    assert invited_users(event) == {world.thpt_librarian.username}
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN and event.invited_on == timezone.localdate()
    registration = Registration.objects.get(event=event)
    assert registration.school == world.thpt and registration.role == Role.LIBRARIAN


def test_without_tiers_every_school_of_the_target_is_invited(world):
    event = new_event(world, target=world.office)
    organising.open_registration(event, by=world.dept_officer)
    assert invited_users(event) == {world.librarian.username, world.teacher_librarian.username}


def test_opening_twice_invites_nobody_twice(world):
    event = new_event(world)
    first = organising.open_registration(event, by=world.dept_officer)
    second = organising.open_registration(event, by=world.dept_officer)
    assert first == 4 and second == 0  # A1 librarian + teacher-librarian, THPT, outsider school
    assert Registration.objects.filter(event=event).count() == 4
    notices = Notification.objects.filter(recipient=world.thpt_librarian, kind="events.invited")
    assert notices.count() == 1
    # Notices are written in the site's language (Vietnamese), whatever the test runs in.
    with translation.override(settings.LANGUAGE_CODE):
        expected = translation.gettext("You are invited to “%(event)s”") % {"event": event.title}
    assert notices.get().subject == expected


def test_invitation_notice_is_keyed_per_event_and_person(world):
    event = new_event(world, target_upper_secondary=True)
    organising.open_registration(event, by=world.dept_officer)
    notice = Notification.objects.get(recipient=world.thpt_librarian)
    assert notice.key == f"events:{event.pk}:invited:{world.thpt_librarian.pk}"
    assert notice.url == f"/events/{event.pk}/"


def test_invite_people_adds_nominated_individuals_outside_the_target(world):
    event = new_event(world, target_upper_secondary=True)
    organising.open_registration(event, by=world.dept_officer)
    assert organising.invite_people(event, [world.principal], by=world.dept_officer) == 1
    registration = Registration.objects.get(event=event, user=world.principal)
    assert registration.school == world.school and registration.nominated_by == world.dept_officer
    assert organising.invite_people(event, [world.principal], by=world.dept_officer) == 0


def test_invite_people_refuses_someone_without_a_school(world):
    event = new_event(world)
    organising.open_registration(event, by=world.dept_officer)
    with pytest.raises(EventError, match="works in no school"):
        organising.invite_people(event, [world.trainer], by=world.dept_officer)


def test_partner_trainer_organises_for_the_province(world):
    event = organising.create_event(
        world.partner, by=world.trainer, co_organisers=[world.department],
        title="Tập huấn", starts_on=DAY, ends_on=DAY, venue="Thư viện TDTU",
        target=world.department, roles=[Role.LIBRARIAN], capacity=30,
    )  # fmt: skip
    assert list(event.co_organisers.all()) == [world.department]
    assert event.history.first().history_user == world.trainer


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_on": DAY - dt.timedelta(days=1)}, "last day cannot be before"),
        ({"venue": "  "}, "title and a venue"),
        ({"capacity": 0}, "at least 1 seat"),
        ({"roles": [Role.READER]}, "Choose the audience among"),
        ({"registration_closes_on": DAY + dt.timedelta(days=3)}, "close by the last day"),
    ],
)
def test_bad_events_are_refused(world, fields, message):
    with pytest.raises(EventError, match=message):
        new_event(world, **fields)
    assert not Event.objects.filter(organiser=world.department).exists()


def test_an_office_cannot_organise_and_a_partner_is_no_audience(world):
    with pytest.raises(EventError, match="partner organisation or the department"):
        organising.create_event(world.office, by=world.office_officer, title="X", starts_on=DAY,
                                ends_on=DAY, venue="Y")  # fmt: skip
    with pytest.raises(EventError, match="audience must be"):
        new_event(world, target=world.partner)


def test_sessions_must_fall_within_the_event_days(world):
    event = new_event(world)
    theme = Theme.objects.order_by("order").first()
    session = organising.add_session(
        event, title="Phát triển nguồn lực thông tin", theme=theme, speaker="ThS. A",
        starts_at=at(8), ends_at=at(10),
    )  # fmt: skip
    assert session.theme == theme and session.order == 0
    with pytest.raises(EventError, match=f"from {DAY:%d/%m/%Y} to {DAY:%d/%m/%Y}"):
        organising.add_session(event, title="Hôm sau", starts_at=at(8, DAY + dt.timedelta(1)),
                               ends_at=at(9, DAY + dt.timedelta(1)))  # fmt: skip
    with pytest.raises(EventError, match="end after it starts"):
        organising.update_session(session, ends_at=at(7))
    session.refresh_from_db()
    assert session.ends_at == at(10)
    visit = organising.add_session(
        event, title="Tham quan thư viện", starts_at=at(14), ends_at=at(16), is_site_visit=True,
        venue="Thư viện ĐH",
    )  # fmt: skip
    organising.remove_session(visit)
    assert list(event.sessions.all()) == [session]


def test_a_session_with_check_ins_cannot_be_removed(world, event):
    with pytest.raises(EventError, match="checked in"):
        organising.remove_session(event.sessions.order_by("starts_at").first())


def test_life_of_an_event_and_its_bad_moves(world, event):
    organising.close_registration(event, by=world.trainer)
    assert event.status == EventStatus.CLOSED
    organising.mark_held(event, by=world.trainer)  # 10/11/2025: in the past
    with pytest.raises(EventError, match="cannot become"):
        organising.cancel_event(event, by=world.trainer)
    with pytest.raises(EventError, match="held or cancelled"):
        organising.update_event(event, by=world.trainer, title="Khác")
    event.refresh_from_db()
    assert event.status == EventStatus.HELD and event.title != "Khác"


def test_mark_held_refuses_a_future_event(world):
    event = new_event(world)
    organising.open_registration(event, by=world.dept_officer)
    with pytest.raises(EventError, match="not started yet"):
        organising.mark_held(event, by=world.dept_officer)


def test_cancelling_tells_the_people_registered_only(world, event):
    organising.cancel_event(event, by=world.trainer, reason="Bão số 9.")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    notices = Notification.objects.filter(kind="events.cancelled")
    assert {n.recipient for n in notices} == {world.librarian}
    assert notices.get().body == "Bão số 9."


def test_update_event_after_opening_keeps_the_audience_unit(world, event):
    with pytest.raises(EventError, match="can no longer change"):
        organising.update_event(event, by=world.trainer, target=world.department)
    organising.update_event(event, by=world.trainer, capacity=60)
    event.refresh_from_db()
    assert event.capacity == 60 and event.target == world.office


def test_agreement_with_a_signed_pdf(world):
    upload = SimpleUploadedFile("hop dong.pdf", pdf_bytes(), content_type="application/pdf")
    agreement = organising.create_agreement(
        world.partner, world.department, by=world.dept_officer, signed_file=upload,
        title="Thỏa thuận hợp tác toàn diện", signed_on=DAY, valid_from=DAY,
    )  # fmt: skip
    assert agreement.signed_file.name.endswith(".pdf")
    assert agreement.signed_file.read().startswith(b"%PDF-")


def test_agreement_file_is_told_by_content(world):
    fake = SimpleUploadedFile(
        "hop-dong.pdf", b"\x89PNG\r\n\x1a\nnot a pdf", content_type="application/pdf"
    )
    with pytest.raises(EventError, match="not a readable PDF / Word"):
        organising.create_agreement(
            world.partner, world.department, by=world.dept_officer, signed_file=fake,
            title="Thỏa thuận", signed_on=DAY, valid_from=DAY,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("partner", "department", "fields", "message"),
    [
        ("school", "department", {}, "partner organisation"),
        ("partner", "office", {}, "signed with the department"),
        ("partner", "department", {"valid_until": DAY - dt.timedelta(1)}, "end before it starts"),
        ("partner", "department", {"title": " "}, "title"),
    ],
)
def test_bad_agreements_are_refused(world, partner, department, fields, message):
    values = {"title": "Thỏa thuận", "signed_on": DAY, "valid_from": DAY, **fields}
    with pytest.raises(EventError, match=message):
        organising.create_agreement(
            getattr(world, partner), getattr(world, department), by=world.dept_officer, **values
        )


def test_update_agreement(world):
    agreement = organising.create_agreement(
        world.partner, world.department, by=world.trainer, title="A", signed_on=DAY,
        valid_from=DAY,
    )  # fmt: skip
    organising.update_agreement(agreement, by=world.trainer, reference="12/TTHT")
    agreement.refresh_from_db()
    assert agreement.reference == "12/TTHT"
