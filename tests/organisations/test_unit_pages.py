from django.urls import reverse

from thuvien.core.testing import OUTSIDER_MARK


def test_department_admin_sees_every_unit(world, client_for):
    response = client_for(world.dept_admin).get(reverse("organisations:unit_list"))
    assert response.status_code == 200
    assert world.school.name in response.text
    assert OUTSIDER_MARK in response.text


def test_office_officer_sees_only_its_subtree(world, client_for):
    response = client_for(world.office_officer).get(reverse("organisations:unit_list"))
    assert response.status_code == 200
    assert world.school.name in response.text
    assert world.school_a2.name in response.text
    assert OUTSIDER_MARK not in response.text
    assert world.thpt.name not in response.text


def test_unit_list_search_ignores_diacritics(world, client_for):
    response = client_for(world.dept_admin).get(
        reverse("organisations:unit_list"), {"q": "nguyen dinh chieu"}
    )
    assert world.thpt.name in response.text
    assert world.school.name not in response.text


def test_outsider_librarian_gets_404_on_another_school(world, client_for):
    response = client_for(world.outsider).get(
        reverse("organisations:unit_detail", args=[world.school.pk])
    )
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


def test_librarian_cannot_edit_own_school(world, client_for):
    response = client_for(world.librarian).get(
        reverse("organisations:unit_edit", args=[world.school.pk])
    )
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(reverse("organisations:unit_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
