"""The audience picker's search endpoint (/units/audience/): units found by name without
diacritics or by code, a branch of the tree, only ever within the caller's scope, in a fixed
number of queries; and the picker widget a form uses for its `target` field."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thuvien.access import Scope
from thuvien.core.testing import OUTSIDER_MARK, START
from thuvien.organisations import services
from thuvien.organisations.audience_widget import SEARCH_LIMIT, AudiencePicker, find_units
from thuvien.organisations.models import Membership, Unit, UnitKind

URL = "/units/audience/"


def scope_of(user):
    return Scope(membership=Membership.objects.get(user=user))


def get(client_for, user, **params):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(URL, params)


def seed_schools(parent, count, stem="Trường THCS Hòa Bình"):
    return [
        services.create_unit(kind=UnitKind.SCHOOL, name=f"{stem} {n:03d}", parent=parent, on=START)
        for n in range(count)
    ]


def chosen_ids(response):
    text = response.content.decode()
    return {int(part.split('"')[0]) for part in text.split('data-audience-choose value="')[1:]}


def test_finds_a_school_typed_without_diacritics(world, client_for):
    response = get(client_for, world.dept_officer, q="truong thcs le loi")
    assert response.status_code == 200
    assert chosen_ids(response) == {world.school_a2.pk}
    assert "Trường THCS Lê Lợi" in response.text
    assert world.office.name in response.text  # the parent, for context


def test_finds_by_ministry_code(world, client_for):
    response = get(client_for, world.dept_officer, q="83000201")
    assert chosen_ids(response) == {world.thpt.pk}


def test_office_officer_never_sees_units_of_another_office(world, client_for):
    response = get(client_for, world.office_officer, q="truong thcs")
    assert chosen_ids(response) == {world.school_a2.pk}
    assert OUTSIDER_MARK not in response.text
    by_code = get(client_for, world.office_officer, q=world.outsider_school.code)
    assert chosen_ids(by_code) == set()
    assert OUTSIDER_MARK not in by_code.text


def test_outsider_finds_only_their_own_school(world, client_for):
    response = get(client_for, world.outsider, q="truong")
    assert chosen_ids(response) == {world.outsider_school.pk}
    assert world.school.name not in response.text
    assert world.school_a2.name not in response.text
    # The parent office is not in the librarian's scope: its name is not shown either.
    assert world.office_b.name not in response.text


def test_a_foreign_branch_is_empty(world, client_for):
    response = get(client_for, world.office_officer, parent=world.office_b.pk)
    assert response.status_code == 200
    assert chosen_ids(response) == set()
    assert OUTSIDER_MARK not in response.text


def test_branch_lists_the_units_below_supervising_ones_first(world, client_for):
    response = get(client_for, world.dept_officer, parent=world.department.pk)
    ids = chosen_ids(response)
    # The partner is no audience; the schools of the offices are one level further down.
    assert ids == {world.office.pk, world.office_b.pk, world.thpt.pk}
    text = response.text
    assert text.index(world.office.name) < text.index(world.thpt.name)
    assert "2 units below" in text  # office A: its two schools
    office = get(client_for, world.dept_officer, parent=world.office.pk)
    assert chosen_ids(office) == {world.school.pk, world.school_a2.pk}


def test_partners_and_inactive_units_are_not_offered(world, client_for):
    world.school.is_active = False
    world.school.save()
    response = get(client_for, world.dept_admin, q="truong")
    assert world.school.pk not in chosen_ids(response)
    assert world.partner.pk not in chosen_ids(get(client_for, world.dept_admin, q="thu vien"))


def test_short_or_empty_query_answers_without_listing(world, client_for):
    assert chosen_ids(get(client_for, world.dept_officer, q="t")) == set()
    assert "at least two letters" in get(client_for, world.dept_officer, q="t").text
    empty = get(client_for, world.dept_officer, q="")
    assert empty.status_code == 200
    assert empty.text.strip() == ""


def test_bad_parameters_are_ignored_not_errors(world, client_for):
    response = get(client_for, world.dept_officer, parent="abc", q="x" * 500)
    assert response.status_code == 200
    assert chosen_ids(response) == set()


def test_many_matches_are_cut_at_the_limit(world, client_for):
    seed_schools(world.office, SEARCH_LIMIT + 5)
    response = get(client_for, world.dept_officer, q="hoa binh")
    assert len(chosen_ids(response)) == SEARCH_LIMIT
    assert "type more of the name" in response.text


def test_query_count_does_not_grow_with_the_matches(world, client_for):
    client = client_for(world.dept_officer)
    client.get(URL, {"q": "le loi"})  # session, scope: warmed the same way for both
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"q": "le loi"}).status_code == 200
    seed_schools(world.office, 25)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "hoa binh"})
    assert len(chosen_ids(response)) == 25
    assert len(many) == len(few)
    # The session, the user and the scope's memberships, then the units found, how many units
    # sit below each, and the names of their parents.
    assert len(few) == 6, [q["sql"] for q in few]


def test_find_units_reads_three_queries_once_scoped(world, django_assert_num_queries):
    scope = scope_of(world.dept_officer)
    _ = scope.unit  # resolved once per request in a view
    seed_schools(world.office, 12)
    with django_assert_num_queries(3):
        found = find_units(scope, query="hoa binh")
    assert len(found.rows) == 12
    assert {row.parent_name for row in found.rows} == {world.office.name}


def test_a_branch_reads_two_queries_whatever_its_size(world, django_assert_num_queries):
    scope = scope_of(world.dept_officer)
    _ = scope.unit
    seed_schools(world.office, 20)
    with django_assert_num_queries(2):
        found = find_units(scope, parent=world.office.pk)
    assert len(found.rows) == 22
    assert {row.parent_name for row in found.rows} == {""}  # they are all under the office


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get(world, client_for, method):
    assert getattr(client_for(world.dept_officer), method)(URL).status_code == 405


def test_anonymous_goes_to_login(world, client):
    response = client.get(URL, {"q": "truong"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_role_without_units_is_refused(world, client_for):
    assert get(client_for, world.reader, q="truong").status_code == 403


# The widget, as a form's target field would use it.


class TargetForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Unit.objects.none(), widget=AudiencePicker())

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Unit.objects.visible_to(scope).active().exclude(kind=UnitKind.PARTNER).order_by("path")
        )


def test_widget_keeps_a_plain_select_of_the_field_choices(world, django_assert_num_queries):
    scope = scope_of(world.office_officer)
    _ = scope.unit
    form = TargetForm(scope=scope, initial={"target": world.school_a2.pk})
    with django_assert_num_queries(1):
        html = str(form["target"])
    assert 'name="target"' in html and 'id="id_target"' in html
    options = html.split("<option")[1:]
    assert len(options) == 4  # the empty choice, the office, its two schools
    assert f'value="{world.school_a2.pk}" selected' in html
    assert "\u00a0\u00a0\u00a0Trường THCS Lê Lợi" in html  # a school under its office
    assert OUTSIDER_MARK not in html
    assert "/units/audience/" in html  # the search box asks the endpoint
    assert f'data-audience-choose value="{world.office.pk}"' in html  # the tree starts here
    assert "2 đơn vị trực thuộc" in html


def test_widget_choice_is_validated_by_the_field(world):
    scope = scope_of(world.office_officer)
    assert TargetForm({"target": world.school.pk}, scope=scope).is_valid()
    outside = TargetForm({"target": world.outsider_school.pk}, scope=scope)
    assert not outside.is_valid()
