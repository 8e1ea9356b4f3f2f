"""GET /api/v1/me/: the calling person and the memberships they may act in."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from thuvien.core.testing import make_user
from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role

URL = "/api/v1/me/"


def test_me_url_is_named():
    assert reverse("api-me") == URL


def test_me_with_token_describes_the_person_and_active_membership(world, api_client_for):
    response = api_client_for(world.librarian).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "id": world.librarian.pk,
        "username": "thuvien",
        "full_name": "Đặng Thị Thư",
        "email": "thuvien@example.edu.vn",
        "phone": "",
        "qualification": "college",
    }
    membership = Membership.objects.get(user=world.librarian)
    with translation.override("vi"):
        label = str(Role.LIBRARIAN.label)
    assert body["memberships"] == [
        {
            "id": membership.pk,
            "role": "librarian",
            "role_label": label,
            "unit": {"id": world.school.pk, "name": world.school.name, "kind": "school"},
            "valid_from": "2024-08-01",
            "valid_to": None,
        }
    ]
    assert body["active_membership_id"] == membership.pk


def test_me_anonymous_gets_401_with_token_challenge(db):
    response = APIClient().get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_me_with_an_unknown_token_gets_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert client.get(URL).status_code == 401


def test_me_works_with_a_browser_session(world, client_for):
    response = client_for(world.office_officer).get(URL)

    assert response.status_code == 200
    assert response.json()["user"]["username"] == "phong_canbo"


def test_me_works_for_a_reader(world, api_client_for):
    response = api_client_for(world.reader).get(URL)

    assert response.status_code == 200
    assert [m["role"] for m in response.json()["memberships"]] == ["reader"]


def test_me_for_a_person_without_membership(db, api_client_for):
    person = make_user("khach", "Khách")

    response = api_client_for(person).get(URL)

    assert response.status_code == 200
    assert response.json()["memberships"] == []
    assert response.json()["active_membership_id"] is None


def test_me_lists_only_current_memberships(world, api_client_for):
    ended = services.add_membership(
        world.librarian,
        world.thpt,
        Role.LIBRARIAN,
        valid_from=dt.date(2024, 8, 1),
        valid_to=dt.date(2025, 1, 31),
    )

    body = api_client_for(world.librarian).get(URL).json()

    assert ended.pk not in [m["id"] for m in body["memberships"]]
    assert len(body["memberships"]) == 1


def test_x_membership_header_chooses_the_active_membership(world, api_client_for):
    second = services.add_membership(world.librarian, world.thpt, Role.LIBRARIAN)
    first = Membership.objects.get(user=world.librarian, unit=world.school)

    default = api_client_for(world.librarian).get(URL).json()
    chosen = api_client_for(world.librarian, membership=second).get(URL).json()

    assert default["active_membership_id"] == first.pk
    assert chosen["active_membership_id"] == second.pk
    assert {m["id"] for m in chosen["memberships"]} == {first.pk, second.pk}


def test_x_membership_of_someone_else_is_refused(world, api_client_for):
    theirs = Membership.objects.get(user=world.outsider)

    response = api_client_for(world.librarian, membership=theirs).get(URL)

    assert response.status_code == 400
    assert "X-Membership" in response.json()


def test_x_membership_that_is_not_a_number_is_refused(world, api_client_for):
    client = api_client_for(world.librarian)

    response = client.get(URL, HTTP_X_MEMBERSHIP="abc")

    assert response.status_code == 400


def test_me_refuses_post(world, api_client_for):
    assert api_client_for(world.librarian).post(URL).status_code == 405
