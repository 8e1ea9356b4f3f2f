"""Login by username or e-mail, throttling, password reset by e-mail, profile, role switch."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from thuvien.access import SESSION_KEY
from thuvien.core.testing import PASSWORD
from thuvien.organisations import services
from thuvien.organisations.models import Role


@pytest.mark.parametrize("login", ["thuvien", "THUVIEN", "thuvien@example.edu.vn"])
def test_login_by_username_or_email(world, client, login):
    response = client.post(reverse("accounts:login"), {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("core:home")).context["user"] == world.librarian


def test_real_password_hasher_round_trip(world, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world.librarian.set_password("mot-mat-khau-rat-dai-2026")
    world.librarian.save()
    assert world.librarian.password.startswith("pbkdf2_sha256$")
    response = client.post(
        reverse("accounts:login"),
        {"username": "thuvien", "password": "mot-mat-khau-rat-dai-2026"},
    )
    assert response.status_code == 302


def test_wrong_password_says_what_to_check(world, client):
    response = client.post(reverse("accounts:login"), {"username": "thuvien", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_login(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "thuvien", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "thuvien", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(world, client, settings):
    settings.SITE_URL = "https://thuvien.example.gov.vn"
    response = client.post(reverse("accounts:password_reset"), {"email": world.librarian.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # The link is on SITE_URL, whatever host the request named.
    body = mail.outbox[0].body
    link = re.search(r"https://thuvien\.example\.gov\.vn(/accounts/reset/\S+/)", body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "mat-khau-moi-2026!", "new_password2": "mat-khau-moi-2026!"},
    )
    assert response.status_code == 302
    world.librarian.refresh_from_db()
    assert world.librarian.check_password("mat-khau-moi-2026!")


def test_password_reset_for_unknown_address_sends_nothing(db, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_weak_password_is_refused(world, client_for):
    client = client_for(world.librarian)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_profile_saves_qualification(world, client_for):
    client = client_for(world.teacher_librarian)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Bùi Văn Kiêm",
            "email": "kiem@example.edu.vn",
            "phone": "0909",
            "qualification": "certificate",
        },
    )
    assert response.status_code == 302
    world.teacher_librarian.refresh_from_db()
    assert world.teacher_librarian.qualification == "certificate"


def test_profile_refuses_an_email_of_someone_else(world, client_for):
    response = client_for(world.teacher_librarian).post(
        reverse("accounts:profile"),
        {"full_name": "X", "email": world.librarian.email.upper(), "qualification": "none"},
    )
    assert response.status_code == 422


def test_switching_membership_changes_scope(world, client_for):
    extra = services.add_membership(world.librarian, world.school_a2, Role.TEACHER_LIBRARIAN)
    client = client_for(world.librarian)
    detail_a2 = reverse("organisations:unit_detail", args=[world.school_a2.pk])
    assert client.get(detail_a2).status_code == 404
    response = client.post(reverse("accounts:switch_membership"), {"membership": extra.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == extra.pk
    assert client.get(detail_a2).status_code == 200
    assert (
        client.get(reverse("organisations:unit_detail", args=[world.school.pk])).status_code == 404
    )


def test_cannot_switch_to_someone_elses_membership(world, client_for):
    foreign = world.outsider.memberships.get()
    client = client_for(world.librarian)
    client.post(reverse("accounts:switch_membership"), {"membership": foreign.pk})
    assert SESSION_KEY not in client.session


def test_api_token_can_be_replaced(world, client_for):
    client = client_for(world.librarian)
    client.post(reverse("accounts:regenerate_token"))
    first = world.librarian.auth_token.key
    client.post(reverse("accounts:regenerate_token"))
    world.librarian.refresh_from_db()
    assert world.librarian.auth_token.key != first
