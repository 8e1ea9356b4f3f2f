"""The demo's events: the 2018 TDTU–Khánh Hòa model day, past, organised by the university's
library under its agreement with the department, with sessions, attendance, feedback and photos;
an upcoming event open for registration, its seats taken days before; idempotent; cleared on
reset."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from thuvien.access import resolve_scope
from thuvien.core import demo as demo_parts
from thuvien.events import demo, letters, reports
from thuvien.events.models import (
    Agreement,
    CheckIn,
    Event,
    EventStatus,
    Feedback,
    Photo,
    Registration,
    RegistrationStatus,
    Theme,
)
from thuvien.events.services import registrations
from thuvien.organisations import demo as province_demo
from thuvien.organisations.agencies import head_signer
from thuvien.organisations.models import Membership, Role, Unit, UnitKind

TDTU = "Thư viện Trường Đại học Tôn Đức Thắng"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def counts() -> dict[str, int]:
    models = (Event, Registration, CheckIn, Feedback, Photo, Agreement, Unit, Membership)
    return {model.__name__: model.objects.count() for model in (*models, get_user_model())}


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def check_the_model_case(past: Event, department: Unit) -> None:
    """The 2018 day as the issue tells it: TDTU's library, its agreement, the programme."""
    assert (
        past.title
        == demo.PAST_TITLE
        == ("Tập huấn nghiệp vụ thư viện trường học cho cán bộ thư viện các trường THPT")
    )
    assert past.starts_on == past.ends_on == dt.date(2018, 11, 10)
    assert past.status == EventStatus.HELD
    partner = past.organiser
    assert (partner.kind, partner.name, partner.parent) == (UnitKind.PARTNER, TDTU, department)
    assert Membership.objects.current().filter(unit=partner, role=Role.TRAINER).exists()
    agreement = past.agreement
    assert (agreement.partner, agreement.department) == (partner, department)
    assert "Tôn Đức Thắng" in agreement.title and agreement.signed_on <= past.starts_on
    with agreement.signed_file.open("rb") as signed:
        text = pdf_text(signed.read())
    assert "THỎA THUẬN HỢP TÁC" in text and "Trường Đại học Tôn Đức Thắng" in text
    sessions = list(past.sessions.select_related("theme").order_by("starts_at"))
    titles = [session.title for session in sessions]
    themes = list(Theme.objects.order_by("order", "pk").values_list("name", flat=True)[:6])
    assert len(themes) == 6 and set(themes) <= set(titles)
    assert [s.theme.name for s in sessions if s.theme] == themes
    assert {demo.OPENING, demo.VISIT, demo.DISCUSSION, demo.CLOSING} <= set(titles)
    assert [s.title for s in sessions if s.is_site_visit] == [demo.VISIT]
    leaders = [s.title for s in sessions if "Lãnh đạo Sở" in s.speaker]
    assert leaders == [demo.OPENING, demo.CLOSING]
    # The Giấy mời prints each theme once, and the organiser's head signer (else a blank name
    # line), never a drafter.
    invitation = letters.invitation(past)
    head = head_signer(past.organiser)
    assert invitation.signature.signer == (head.full_name if head else letters.BLANK_NAME)
    programme = [
        row[2] for block in invitation.body if hasattr(block, "rows") for row in block.rows
    ]
    assert set(themes) <= set(programme)
    assert not any(f"{theme} ({theme})" in line for theme in themes for line in programme)


def test_the_demo_province_gets_both_events_once(db, media):
    today = timezone.localdate()
    with demo_parts.only("events"):  # the training part is test_demo.py's, and slow
        province_demo.build_province(24, seed=2025, today=today)
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    assert Unit.objects.filter(name=TDTU).count() == 1  # beside the province's own partner
    past = Event.objects.get(title=demo.PAST_TITLE)
    check_the_model_case(past, department)
    trainer = get_user_model().objects.get(username=demo.TRAINER[0])
    report = reports.event_report(past, resolve_scope(trainer, None), today=today)
    assert report.totals.attended >= 2
    assert 1 <= len(report.sent_nobody) < len([s for s in report.schools if s.targeted])
    assert all(line.school.has_upper_secondary for line in report.schools)
    assert len(report.feedback.answers) == report.totals.attended
    assert report.feedback.overall.average is not None
    assert Feedback.objects.filter(quote_shown=True).count() == 2
    photos = list(past.photos.order_by("order"))
    assert len(photos) == len(demo.PHOTOS) and all(p.caption and p.thumbnail for p in photos)
    with Image.open(photos[0].thumbnail.path) as thumb:
        assert thumb.width == 480

    upcoming = Event.objects.get(title=demo.UPCOMING_TITLE)
    assert upcoming.starts_on > today and upcoming.status == EventStatus.OPEN
    seated = list(upcoming.registrations.all())
    statuses = [row.status for row in seated]
    assert statuses.count(RegistrationStatus.REGISTERED) == upcoming.capacity
    assert statuses.count(RegistrationStatus.WAITLISTED) == 1
    # Everyone was invited and registered days before the seeding day, in order of registering.
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    assert all(row.invited_at < row.registered_at < midnight for row in seated)
    assert upcoming.invited_on < today
    # So a person of the demo's showcase school who joins the list now comes second on it.
    person = get_user_model().objects.get(username=province_demo.DEMO_USERNAMES[Role.LIBRARIAN])
    joined = registrations.register(upcoming, by=person)
    assert joined.status == RegistrationStatus.WAITLISTED
    assert registrations.waiting_position(joined) == 2

    before = counts()
    demo.seed_events(today=today)
    assert counts() == before


def test_the_world_seeds_too_and_clearing_removes_everything(world, media):
    units, people = Unit.objects.count(), get_user_model().objects.count()
    demo.seed_events(world.department, today=dt.date(2026, 11, 21))
    past = Event.objects.get(title=demo.PAST_TITLE)
    # The world's partner is the university's library: reused, with its trainer.
    assert past.organiser == world.partner
    assert (Unit.objects.count(), get_user_model().objects.count()) == (units, people)
    check_the_model_case(past, world.department)
    assert past.registrations.filter(user=world.thpt_librarian).exists()
    assert any(media.rglob("*.jpg")) and any(media.rglob("*.pdf"))
    demo.clear_events_data()
    assert {counts()[name] for name in ("Event", "Registration", "Photo", "Agreement")} == {0}
    assert not any(path.is_file() for path in media.rglob("*"))
    assert Theme.objects.count() >= 6


def test_a_partner_without_a_trainer_gets_one(world, media):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Membership.objects.filter(unit=world.partner).update(valid_to=yesterday)
    demo.seed_events(world.department, today=dt.date(2026, 11, 21))
    trainer = Membership.objects.current().get(unit=world.partner, role=Role.TRAINER).user
    assert (trainer.username, trainer.full_name) == demo.TRAINER
    # The demo's password without hashing it again: the other trainers' hash.
    assert trainer.password == world.trainer.password and trainer.has_usable_password()
