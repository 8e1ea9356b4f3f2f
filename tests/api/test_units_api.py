"""GET /api/v1/units/ and /api/v1/units/{unit_id}/: units in the caller's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from thuvien.core.testing import OUTSIDER_MARK, START
from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role, UnitKind

LIST = "/api/v1/units/"


def detail(unit):
    return f"/api/v1/units/{unit.pk}/"


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_urls_are_named(world):
    assert reverse("api-unit-list") == LIST
    assert reverse("api-unit-detail", kwargs={"unit_id": world.school.pk}) == detail(world.school)


def test_department_admin_sees_every_unit(world, api_client_for):
    response = api_client_for(world.dept_admin).get(LIST)

    everything = {
        world.department,
        world.office,
        world.school,
        world.school_a2,
        world.thpt,
        world.partner,
        world.office_b,
        world.outsider_school,
    }
    assert names(response) == {unit.name for unit in everything}
    assert response.json()["count"] == 8


def test_office_officer_sees_its_office_and_schools_only(world, api_client_for):
    response = api_client_for(world.office_officer).get(LIST)

    assert names(response) == {world.office.name, world.school.name, world.school_a2.name}
    assert OUTSIDER_MARK not in response.content.decode()


def test_librarian_sees_own_school_only(world, api_client_for):
    response = api_client_for(world.librarian).get(LIST)

    assert names(response) == {world.school.name}


def test_outsider_librarian_sees_own_school_only(world, api_client_for):
    response = api_client_for(world.outsider).get(LIST)

    assert names(response) == {world.outsider_school.name}


def test_reader_gets_403(world, api_client_for):
    client = api_client_for(world.reader)

    assert client.get(LIST).status_code == 403
    assert client.get(detail(world.school)).status_code == 403


def test_anonymous_gets_401(world):
    client = APIClient()

    for url in (LIST, detail(world.school)):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_session_client_is_scoped_like_a_token_client(world, client_for):
    response = client_for(world.office_officer).get(LIST)

    assert names(response) == {world.office.name, world.school.name, world.school_a2.name}


def test_list_refuses_post(world, api_client_for):
    assert api_client_for(world.dept_admin).post(LIST, {}).status_code == 405


def test_unit_row_shape(world, api_client_for):
    response = api_client_for(world.librarian).get(LIST)

    [row] = response.json()["results"]
    assert row == {
        "id": world.school.pk,
        "name": "Trường Tiểu học Nguyễn Du",
        "kind": "school",
        "kind_label": row["kind_label"],
        "code": "83000101",
        "parent": {"id": world.office.pk, "name": world.office.name, "kind": "office"},
        "tiers": ["primary"],
        "address": "",
        "is_active": True,
        "schools_below": 0,
        "staff_count": 3,
        "stats_year": 2025,
        "students": 620,
        "teachers": 31,
    }
    assert row["kind_label"]


def test_counts_are_the_latest_year(world, api_client_for):
    services.set_year_stats(world.school, year=2024, students=999, teachers=99)
    services.set_year_stats(world.school, year=2026, students=640, teachers=33)

    [row] = api_client_for(world.librarian).get(LIST).json()["results"]

    assert (row["stats_year"], row["students"], row["teachers"]) == (2026, 640, 33)


def test_search_ignores_diacritics_and_case(world, api_client_for):
    response = api_client_for(world.dept_admin).get(LIST, {"q": "NGUYEN DINH chieu"})

    assert names(response) == {world.thpt.name}


def test_search_by_ministry_code(world, api_client_for):
    response = api_client_for(world.dept_admin).get(LIST, {"q": "83000102"})

    assert names(response) == {world.school_a2.name}


def test_search_stays_within_scope(world, api_client_for):
    response = api_client_for(world.office_officer).get(LIST, {"q": OUTSIDER_MARK})

    assert names(response) == set()


def test_filter_by_kind(world, api_client_for):
    response = api_client_for(world.dept_admin).get(LIST, {"kind": UnitKind.OFFICE})

    assert names(response) == {world.office.name, world.office_b.name}


def test_filter_by_tier(world, api_client_for):
    response = api_client_for(world.dept_admin).get(LIST, {"tier": "lower_secondary"})

    assert names(response) == {world.school_a2.name, world.outsider_school.name}


@pytest.mark.parametrize("params", [{"kind": "castle"}, {"tier": "university"}])
def test_unknown_filter_value_gets_400(world, api_client_for, params):
    response = api_client_for(world.dept_admin).get(LIST, params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_inactive_units_are_listed_only_on_request(world, api_client_for):
    services.merge_units(world.school_a2, into=world.school, on=dt.date(2025, 8, 1))
    client = api_client_for(world.office_officer)

    assert world.school_a2.name not in names(client.get(LIST))
    rows = client.get(LIST, {"show_inactive": "true"}).json()["results"]
    assert {r["name"]: r["is_active"] for r in rows}[world.school_a2.name] is False


def test_x_membership_switches_the_scope(world, api_client_for):
    # An office officer of office B who is also librarian of school A1.
    person = world.office_b_officer
    librarian = services.add_membership(person, world.school, Role.LIBRARIAN, valid_from=START)
    officer = Membership.objects.get(user=person, role=Role.OFFICE_OFFICER)

    as_default = api_client_for(person).get(LIST)
    as_officer = api_client_for(person, membership=officer).get(LIST)
    as_librarian = api_client_for(person, membership=librarian).get(LIST)

    office_b_side = {world.office_b.name, world.outsider_school.name}
    assert names(as_default) == office_b_side
    assert names(as_officer) == office_b_side
    assert names(as_librarian) == {world.school.name}
    outside = api_client_for(person, membership=librarian).get(detail(world.outsider_school))
    assert outside.status_code == 404


def test_x_membership_of_someone_else_gets_400_not_a_wider_scope(world, api_client_for):
    admin_membership = Membership.objects.get(user=world.dept_admin)

    response = api_client_for(world.librarian, membership=admin_membership).get(LIST)

    assert response.status_code == 400


def test_x_membership_as_reader_gets_403(world, api_client_for):
    reader = services.add_membership(world.librarian, world.school, Role.READER)

    response = api_client_for(world.librarian, membership=reader).get(LIST)

    assert response.status_code == 403


def _extra_schools(world, count, start):
    for number in range(start, start + count):
        school = services.create_unit(
            kind=UnitKind.SCHOOL,
            name=f"Trường Tiểu học số {number}",
            parent=world.office,
            code=f"8301{number:04d}",
            has_primary=True,
        )
        services.set_year_stats(school, year=2025, students=300 + number, teachers=15)


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_units(
    world, api_client_for, django_assert_max_num_queries
):
    client = api_client_for(world.office_officer)
    _extra_schools(world, 5, start=1)
    few, few_rows = _count_queries(client)
    _extra_schools(world, 25, start=6)
    many, many_rows = _count_queries(client)

    assert (few_rows, many_rows) == (8, 33)
    assert many == few
    # token lookup, memberships, page count, page rows, the page's rows with their counts
    with django_assert_max_num_queries(5):
        client.get(LIST)


def test_list_is_paginated(world, api_client_for):
    _extra_schools(world, 55, start=1)

    first = api_client_for(world.dept_admin).get(LIST).json()
    second = api_client_for(world.dept_admin).get(LIST, {"page": 2}).json()

    assert first["count"] == 63
    assert len(first["results"]) == 50
    assert len(second["results"]) == 13
    assert second["next"] is None


# --- detail -------------------------------------------------------------------------------


def test_detail_shows_supervision_history_and_year_stats(world, api_client_for):
    services.move_unit(
        world.school, new_parent=world.department, on=dt.date(2025, 8, 1), reason="Sáp nhập"
    )
    services.set_year_stats(world.school, year=2024, students=600, teachers=30, classes=20)

    response = api_client_for(world.dept_admin).get(detail(world.school))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.school.pk
    assert body["parent"]["id"] == world.department.pk
    assert body["parent_links"] == [
        {
            "parent": {
                "id": world.department.pk,
                "name": world.department.name,
                "kind": "department",
            },
            "valid_from": "2025-08-01",
            "valid_to": None,
            "reason": "Sáp nhập",
        },
        {
            "parent": {"id": world.office.pk, "name": world.office.name, "kind": "office"},
            "valid_from": "2024-08-01",
            "valid_to": "2025-08-01",
            "reason": "",
        },
    ]
    assert body["year_stats"] == [
        {
            "year": 2025,
            "school_year": "2025\u20132026",
            "students": 620,
            "teachers": 31,
            "classes": None,
        },
        {
            "year": 2024,
            "school_year": "2024\u20132025",
            "students": 600,
            "teachers": 30,
            "classes": 20,
        },
    ]
    assert (body["students"], body["teachers"]) == (620, 31)


def test_detail_of_the_department_has_a_root_link(world, api_client_for):
    body = api_client_for(world.dept_admin).get(detail(world.department)).json()

    assert body["parent"] is None
    assert [link["parent"] for link in body["parent_links"]] == [None]
    assert body["year_stats"] == []


def test_librarian_reads_own_school(world, api_client_for):
    assert api_client_for(world.librarian).get(detail(world.school)).status_code == 200


def test_outsider_librarian_gets_404(world, api_client_for):
    response = api_client_for(world.outsider).get(detail(world.school))

    assert response.status_code == 404
    assert world.school.name not in response.content.decode()


def test_office_officer_gets_404_outside_its_office(world, api_client_for):
    client = api_client_for(world.office_officer)

    assert client.get(detail(world.thpt)).status_code == 404
    assert client.get(detail(world.department)).status_code == 404


def test_unknown_unit_gets_404(world, api_client_for):
    assert api_client_for(world.dept_admin).get("/api/v1/units/987654/").status_code == 404


def test_merged_unit_stays_readable(world, api_client_for):
    services.merge_units(world.school_a2, into=world.school, on=dt.date(2025, 8, 1))

    response = api_client_for(world.office_officer).get(detail(world.school_a2))

    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_detail_query_count_is_fixed(world, api_client_for, django_assert_max_num_queries):
    for year in range(2015, 2025):
        services.set_year_stats(world.school, year=year, students=500, teachers=25)
    client = api_client_for(world.dept_admin)

    # token lookup, memberships, the unit, parent links, year stats
    with django_assert_max_num_queries(5):
        assert client.get(detail(world.school)).status_code == 200
