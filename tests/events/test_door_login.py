"""The door, for a visitor who is not logged in (issue 9): the QR code's page says which event,
session and date it is, then "Log in" brings the person back to the same page, where an invited
person registers and checks in with one tap."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.events import test_checkin_door as checkin_door
from thuvien.core.testing import PASSWORD
from thuvien.events.models import CheckIn, RegistrationStatus

today, invited = (
    checkin_door.today,
    checkin_door.invited,
)  # the door's fixtures: the event today, one invited


def test_the_login_from_the_door_returns_to_it_and_one_tap_checks_in(world, event, invited, today):
    client = Client()
    client.cookies["thuvien_language"] = "en"
    url = checkin_door.checkin_url(today)
    door = client.get(url).content.decode()
    local = timezone.localtime(today.starts_at)
    assert event.title in door and today.title in door and f"{local:%d/%m/%Y}" in door
    login = f"{reverse('accounts:login')}?next={url}"
    assert f'href="{login}"' in door
    page = client.post(
        login,
        {"username": world.teacher_librarian.username, "password": PASSWORD, "next": url},
    )
    assert page.status_code == 302 and page["Location"] == url
    body = client.get(url).content.decode()
    assert "Register and check in" in body
    client.post(url, {"do": "register"})
    invited.refresh_from_db()
    assert invited.status == RegistrationStatus.REGISTERED
    assert CheckIn.objects.filter(registration=invited, session=today).count() == 1
