"""A person's page: profile, roles in scope, and the audit trail for those who may read it."""

import datetime as dt

from django.urls import reverse

from thuvien.core.testing import OUTSIDER_MARK
from thuvien.organisations import services
from thuvien.organisations.models import Role


def person_url(user):
    return reverse("accounts:person_detail", args=[user.pk])


def test_principal_sees_own_librarian_with_roles_and_history(world, client_for):
    world.librarian.qualification = "university"
    world.librarian.save()
    response = client_for(world.principal).get(person_url(world.librarian))
    assert response.status_code == 200
    assert [m.unit for m in response.context["memberships"]] == [world.school]
    changes = [c for e in response.context["history"] for c in e.changes]
    assert any(c.after == "Đại học thư viện" for c in changes)


def test_roles_outside_the_scope_are_not_shown(world, client_for):
    services.add_membership(
        world.librarian, world.outsider_school, Role.READER, reader_category="teacher"
    )
    response = client_for(world.office_officer).get(person_url(world.librarian))
    assert [m.unit for m in response.context["memberships"]] == [world.school]
    assert OUTSIDER_MARK not in response.text
    records = " ".join(e.record for e in response.context["history"])
    assert OUTSIDER_MARK not in records


def test_ended_roles_stay_on_the_page(world, client_for):
    membership = world.teacher_librarian.memberships.get()
    services.end_membership(membership, on=dt.date(2026, 6, 30))
    response = client_for(world.dept_admin).get(person_url(world.teacher_librarian))
    assert response.status_code == 200
    assert response.context["memberships"][0].valid_to == dt.date(2026, 6, 30)


def test_librarian_sees_colleagues_but_not_their_history(world, client_for):
    response = client_for(world.librarian).get(person_url(world.principal))
    assert response.status_code == 200
    assert response.context["history"] is None


def test_outsider_gets_404_for_a_person_of_another_school(world, client_for):
    assert client_for(world.outsider).get(person_url(world.librarian)).status_code == 404


def test_reader_gets_403(world, client_for):
    assert client_for(world.reader).get(person_url(world.librarian)).status_code == 403


def test_post_is_405(world, client_for):
    assert client_for(world.principal).post(person_url(world.librarian)).status_code == 405
