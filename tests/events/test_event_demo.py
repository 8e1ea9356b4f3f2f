"""The demo's events: the 2018 TDTU–Khánh Hòa model day, past, with sessions, attendance,
feedback and photos; an upcoming event open for registration; idempotent; cleared on reset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PIL import Image

from thuvien.events import demo, reports
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
from thuvien.organisations import demo as province_demo

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def counts() -> dict[str, int]:
    models = (Event, Registration, CheckIn, Feedback, Photo, Agreement)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_province_gets_both_events_once(db, media):
    province_demo.build_province(24, seed=2025, today=TODAY)
    demo.seed_events(today=TODAY)
    past = Event.objects.get(title=demo.PAST_TITLE)
    assert past.starts_on == dt.date(2018, 11, 10) and past.status == EventStatus.HELD
    assert past.organiser.kind == "partner"
    titles = list(past.sessions.values_list("title", flat=True))
    themes = set(Theme.objects.values_list("name", flat=True)[:6])
    assert themes <= set(titles)
    assert {demo.OPENING, demo.VISIT, demo.DISCUSSION} <= set(titles)
    assert past.sessions.filter(is_site_visit=True).count() == 1
    report = reports.event_report(past, today=TODAY)
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
    assert upcoming.starts_on > TODAY and upcoming.status == EventStatus.OPEN
    statuses = list(upcoming.registrations.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == upcoming.capacity
    assert statuses.count(RegistrationStatus.WAITLISTED) == 1

    before = counts()
    demo.seed_events(today=TODAY)
    assert counts() == before


def test_the_world_seeds_too_and_clearing_removes_everything(world, media):
    demo.seed_events(world.department, today=TODAY)
    past = Event.objects.get(title=demo.PAST_TITLE)
    assert past.registrations.filter(user=world.thpt_librarian).exists()
    assert any(media.rglob("*.jpg"))
    demo.clear_events_data()
    assert set(counts().values()) == {0}
    assert not any(path.is_file() for path in media.rglob("*"))
    assert Theme.objects.count() >= 6
