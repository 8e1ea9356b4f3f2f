"""The home page is assembled from the sections each app registers (`core.home`)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thuvien.core import home
from thuvien.organisations import services
from thuvien.organisations.models import Role, UnitKind

HOME = reverse("core:home")


@pytest.fixture
def client_in_english(client_for):
    def make(user):
        client = client_for(user)
        client.cookies["thuvien_language"] = "en"
        return client

    return make


@pytest.fixture
def providers(monkeypatch):
    """The registered providers, restored after the test."""
    monkeypatch.setattr(home, "_PROVIDERS", list(home._PROVIDERS))


def titles(page):
    return [chunk.split("</h2>", 1)[0] for chunk in page.split("<h2>")[1:]]


def test_each_app_puts_its_cards_in_order(world, client_in_english):
    page = client_in_english(world.dept_admin).get(HOME).text
    assert titles(page) == ["Units", "Staff", "Import", "Profile"]
    assert 'class="figures"' in page.split('class="cards"')[0]  # the figures come first


def test_cards_follow_the_role(world, client_in_english):
    assert titles(client_in_english(world.librarian).get(HOME).text) == [
        "My unit",
        "Staff",
        "Profile",
    ]
    assert titles(client_in_english(world.reader).get(HOME).text) == ["Profile"]


def test_a_person_without_a_role_gets_only_the_greeting(db, client_in_english):
    nobody = get_user_model().objects.create_user("khong_vai_tro", password="x", full_name="Ai Đó")
    page = client_in_english(nobody).get(HOME)
    assert page.status_code == 200
    assert titles(page.text) == []
    assert page.context["home"] == home.HomePage(lead=[], cards=[])


def test_a_registered_provider_gets_the_request_and_shows_its_section(
    providers, world, client_in_english
):
    seen = []

    def provider(request):
        seen.append(request.user)
        return [home.Section("organisations/home/staff_card.html", {"marker": 1}, home.Area.LEAD)]

    home.register(provider, order=5)
    home.register(provider, order=5)  # registering twice changes nothing
    response = client_in_english(world.reader).get(HOME)
    assert seen == [world.reader]
    assert response.context["marker"] == 1  # the section's context reaches its template
    lead = response.text.split('class="cards"')[0]
    assert titles(lead) == ["Staff"]


def test_providers_run_by_order_then_by_registration(providers, rf):
    home._PROVIDERS.clear()

    def section(name, area=home.Area.CARDS):
        return lambda request: [home.Section(name, area=area)]

    home.register(section("late"), order=20)
    home.register(section("early"), order=10)
    home.register(section("also early"), order=10)
    home.register(section("first", home.Area.LEAD), order=30)
    page = home.page_for(rf.get("/"))
    assert [s.template for s in page.cards] == ["early", "also early", "late"]
    assert [s.template for s in page.lead] == ["first"]


def home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_scope(world, client_in_english):
    client = client_in_english(world.dept_admin)
    before = home_queries(client)
    for n in range(5):
        school = services.create_unit(
            kind=UnitKind.SCHOOL, name=f"Trường Tiểu học Thêm {n}", parent=world.office,
            has_primary=True,
        )  # fmt: skip
        services.set_year_stats(school, year=2025, students=100, teachers=10)
        person = get_user_model().objects.create_user(f"them_{n}", full_name=f"Người Thêm {n}")
        services.add_membership(person, school, Role.LIBRARIAN)
    assert home_queries(client) == before
