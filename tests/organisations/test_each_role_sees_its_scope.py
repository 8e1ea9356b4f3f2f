"""Each role logs in through the login form and sees exactly its scope: who it acts as, the units
link it is offered and the units listed. (The browser journey in tests/browser/test_journeys.py
follows one of them through Chromium; the rest needs no browser.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import html

from thuvien.organisations.models import Membership, Role
from thuvien.organisations.testing import OUTSIDER_MARK, PASSWORD

SUBTREE_ROLES = {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER, Role.OFFICE_OFFICER}


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def expected_units(world, role):
    """The exact unit list each role sees (the tree drawn in organisations/testing.py)."""
    everything = [
        world.department, world.office, world.school, world.school_a2,
        world.thpt, world.partner, world.office_b, world.outsider_school,
    ]  # fmt: skip
    by_role = {
        Role.DEPARTMENT_ADMIN: everything,
        Role.DEPARTMENT_OFFICER: everything,
        Role.OFFICE_OFFICER: [world.office, world.school, world.school_a2],
        Role.PRINCIPAL: [world.school],
        Role.LIBRARIAN: [world.school],
        Role.TEACHER_LIBRARIAN: [world.school],
        Role.TRAINER: [world.partner],
        Role.READER: [],
    }
    return {unit.name for unit in by_role[role]}


def log_in(login: str) -> tuple[Client, html.HtmlElement]:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": login, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:home"), response.redirect_chain
    return client, html.fromstring(response.text)


def text_of(page: html.HtmlElement, xpath: str) -> str:
    return " ".join(" ".join(node.text_content().split()) for node in page.xpath(xpath))


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_logs_in_and_sees_only_its_scope(world, role):
    user = world.users_by_role()[role]
    unit = Membership.objects.get(user=user).unit
    client, home = log_in(user.username)

    bar = text_of(home, "//div[contains(@class, 'context-bar')]")
    assert vi("Acting as") in bar and vi(Role(role).label) in bar and unit.name in bar
    subtree = role in SUBTREE_ROLES
    if not subtree:
        assert OUTSIDER_MARK not in html.tostring(home, encoding="unicode")

    links = home.xpath("//ul[@class='nav-links']//a[@href='/units/']")
    if role == Role.READER:
        assert links == []
        assert client.get("/units/").status_code == 403
        return
    assert [link.text_content() for link in links] == [vi("Units" if subtree else "My unit")]
    response = client.get("/units/")
    listed = html.fromstring(response.text).xpath("//div[@id='results']//tbody/tr/td[1]//a/text()")
    assert set(listed) == expected_units(world, role)
    if role not in {Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER}:
        assert OUTSIDER_MARK not in response.text


def test_the_login_form_takes_the_address_in_capitals(world):
    _client, home = log_in(world.librarian.email.upper())
    assert world.school.name in text_of(home, "//div[contains(@class, 'context-bar')]")


def test_the_login_page_is_vietnamese_with_a_language_switch(db, client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = html.fromstring(response.text)
    assert page.xpath("//title/text()")[0].startswith("Đăng nhập")
    assert text_of(page, "//main//form//button[@type='submit']") == "Đăng nhập"
    switch = page.xpath("//footer//form[@class='language-switch']")[0]
    assert switch.get("action") == reverse("set_language") and switch.get("method") == "post"
    assert switch.xpath(".//button[@name='language']/@value") == ["vi", "en"]


def test_a_person_with_two_roles_can_switch_without_javascript(world, client_for):
    from thuvien.organisations import services

    services.add_membership(world.librarian, world.school_a2, Role.TEACHER_LIBRARIAN)
    page = html.fromstring(client_for(world.librarian).get("/").text)
    (switch,) = page.xpath("//form[@class='membership-switch']")
    assert switch.get("action") == reverse("accounts:switch_membership")
    assert len(switch.xpath(".//select[@name='membership']/option")) == 2
    assert switch.xpath(".//button[@type='submit']")  # app.js submits on change; this without it


def test_a_foreign_school_is_the_vietnamese_404(world, client_for):
    response = client_for(world.librarian).get(f"/units/{world.outsider_school.pk}/")
    assert response.status_code == 404
    page = html.fromstring(response.text)
    assert page.get("lang") == "vi"
    assert text_of(page, "//main//h1") == vi("Page not found")
    assert OUTSIDER_MARK not in response.text


def test_five_wrong_passwords_lock_the_login_and_say_so(world, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(5):
        client.post(reverse("accounts:login"), {"username": "thuvien", "password": "sai-mat-khau"})
    response = client.post(
        reverse("accounts:login"), {"username": world.librarian.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    page = html.fromstring(response.text)
    assert text_of(page, "//main//h1") == vi("Too many failed attempts")
    assert page.xpath("//ul[@class='nav-links']//form") == []  # nobody is logged in
    assert client.get("/").url.startswith(reverse("accounts:login"))
