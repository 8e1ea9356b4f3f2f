"""Login throttling counts failures per account, whatever was typed, and per client address.

Found from outside (issue 8): on a locked account the e-mail address with the right password
logged in and reset the lock, an upper-case spelling logged in while the lower-case one was
locked, and every spelling had its own five guesses.
"""

import re
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from thuvien.accounts.throttling import client_address
from thuvien.core.testing import PASSWORD, make_user

LOGIN = reverse("accounts:login")


@pytest.fixture
def person(db: None) -> Any:
    return make_user("thuvien", "Đặng Thị Thư", email="thu.dang@example.edu.vn")


def fail(client: Client, login: str, times: int = 1, **extra: Any) -> None:
    for _ in range(times):
        response = client.post(LOGIN, {"username": login, "password": "sai-mat-khau"}, **extra)
        assert response.status_code in (200, 429)


def log_in(client: Client, login: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": login, "password": PASSWORD}, **extra)


def assert_logged_in(client: Client, response: Any, person: Any) -> None:
    assert response.status_code == 302, response.status_code
    assert client.session["_auth_user_id"] == str(person.pk)


def assert_refused(client: Client, response: Any) -> None:
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_email_with_the_right_password_is_refused_on_a_locked_account(person, client, settings):
    fail(client, "thuvien", settings.AXES_FAILURE_LIMIT)
    assert_refused(client, log_in(client, "thu.dang@example.edu.vn"))
    # ... and that attempt did not reset the lock.
    assert_refused(client, log_in(client, "thuvien"))


@pytest.mark.parametrize(
    "spelling", ["THUVIEN", "ThuVien", "  thuvien ", "THU.DANG@example.EDU.VN"]
)
def test_every_spelling_is_locked_with_the_account(person, client, settings, spelling):
    fail(client, "thuvien", settings.AXES_FAILURE_LIMIT)
    assert_refused(client, log_in(client, spelling))


def test_spellings_share_the_account_s_guesses(person, client, settings):
    spellings = [
        "thuvien",
        "THUVIEN",
        "Thuvien",
        "thu.dang@example.edu.vn",
        "THU.DANG@EXAMPLE.EDU.VN",
    ]
    assert len(spellings) == settings.AXES_FAILURE_LIMIT
    for spelling in spellings:
        fail(client, spelling)
    assert_refused(client, log_in(client, "thuvien"))


def test_the_account_stays_locked_from_another_address(person, settings):
    fail(Client(REMOTE_ADDR="198.51.100.1"), "thuvien", settings.AXES_FAILURE_LIMIT)
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    assert_refused(elsewhere, log_in(elsewhere, "THUVIEN"))


def test_a_locked_account_does_not_lock_other_people(person, client, settings):
    other = make_user("hieutruong", "Nguyễn Thị Hiệu")
    fail(client, "thuvien", settings.AXES_FAILURE_LIMIT)
    assert_logged_in(client, log_in(client, "hieutruong"), other)


def test_a_success_before_the_lock_starts_the_count_again(person, client, settings):
    fail(client, "THUVIEN", settings.AXES_FAILURE_LIMIT - 1)
    assert_logged_in(client, log_in(client, "thu.dang@example.edu.vn"), person)
    client.logout()
    fail(client, "thuvien", settings.AXES_FAILURE_LIMIT - 1)
    assert_logged_in(client, log_in(client, "thuvien"), person)


def test_unknown_logins_are_locked_by_the_normalised_value(db, client, settings):
    fail(client, "khongco", settings.AXES_FAILURE_LIMIT - 1)
    fail(client, " KhongCo ")
    response = client.post(LOGIN, {"username": "KHONGCO", "password": "x"})
    assert response.status_code == 429


def test_a_locked_unknown_login_looks_like_a_locked_account(person, settings):
    known, unknown = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    fail(known, "thuvien", settings.AXES_FAILURE_LIMIT)
    fail(unknown, "khongco", settings.AXES_FAILURE_LIMIT)
    on_known = known.post(LOGIN, {"username": "thuvien", "password": "x"})
    on_unknown = unknown.post(LOGIN, {"username": "khongco", "password": "x"})
    assert on_known.status_code == on_unknown.status_code == 429
    assert without_csrf(on_known) == without_csrf(on_unknown)


def without_csrf(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_an_address_is_locked_after_its_own_limit_of_failures(person, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        fail(attacker, f"doan{number}")  # each name stays below the account limit
    assert_refused(attacker, log_in(attacker, "thuvien"))
    elsewhere = Client(REMOTE_ADDR="203.0.113.10")
    assert_logged_in(elsewhere, log_in(elsewhere, "thuvien"), person)


def test_a_success_from_an_address_keeps_its_failures_at_other_accounts(person, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(3):
        fail(attacker, f"doan{number}")
    # The attacker's own account logs in: that must not wipe the address's count.
    assert_logged_in(attacker, log_in(attacker, "thuvien"), person)
    attacker.logout()
    for number in range(3, 6):
        fail(attacker, f"doan{number}")
    assert_refused(attacker, log_in(attacker, "thuvien"))


def test_the_address_is_the_one_the_proxy_saw(person, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    client = Client()  # every request reaches Django from the proxy, 127.0.0.1
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        # A forged left-most entry does not make a new address.
        fail(client, f"doan{number}", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.9")
    assert_refused(client, log_in(client, "thuvien", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    response = log_in(client, "thuvien", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert_logged_in(client, response, person)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (None, "10.0.0.1", "127.0.0.1"),  # no proxy: the header is the client's own words
        (1, "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.1, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        (1, "", "127.0.0.1"),  # a request that did not come through the proxy
        (2, "203.0.113.9", "127.0.0.1"),  # fewer hops than proxies: not to be trusted
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
