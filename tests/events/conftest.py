"""Shared fixtures of the events tests: the world's event (the partner library's training day for
office A's schools, see thuvien/events/testing.py) and English messages for the rule tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from thuvien.events.models import Event, Registration


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def event(world: Any) -> Event:
    """The world's event: organised by the partner, open, 40 seats, two sessions."""
    return Event.objects.get(organiser=world.partner)


@pytest.fixture
def registration(world: Any, event: Event) -> Registration:
    """School A1's librarian, registered, checked in at the first session, with feedback."""
    return Registration.objects.get(event=event, user=world.librarian)


@pytest.fixture
def client_for(client_for):
    """Logged-in clients that read the pages in English (the site is Vietnamese by default;
    these tests check the English source texts)."""

    def make(user):
        client = client_for(user)
        client.cookies["thuvien_language"] = "en"
        return client

    return make


def anonymous() -> Client:
    """A visitor who is not logged in, reading English."""
    client = Client()
    client.cookies["thuvien_language"] = "en"
    return client
