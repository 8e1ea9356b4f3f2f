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


def test_unit_list_counts_schools_below_staff_and_students(world, client_for):
    response = client_for(world.dept_admin).get(reverse("organisations:unit_list"))
    rows = {unit.pk: unit for unit in response.context["page"].object_list}
    assert rows[world.department.pk].schools_below == 4
    assert rows[world.office.pk].schools_below == 2
    assert rows[world.office_b.pk].schools_below == 1
    assert rows[world.school.pk].schools_below == 0
    assert rows[world.school.pk].staff_count == 3  # principal, librarian, teacher-librarian
    assert (rows[world.school.pk].students, rows[world.school.pk].teachers) == (620, 31)


def test_unit_list_second_page_has_its_counts(world, client_for):
    from thuvien.organisations import services
    from thuvien.organisations.models import UnitKind

    for i in range(60):
        services.create_unit(
            kind=UnitKind.SCHOOL, name=f"Trường số {i}", parent=world.office, has_primary=True
        )
    client = client_for(world.dept_admin)
    pages = [
        client.get(reverse("organisations:unit_list"), {"page": n}).context["page"].object_list
        for n in (1, 2)
    ]
    assert [len(rows) for rows in pages] == [50, 68 - 50]
    # Path order groups a subtree but is text order (/9/ after /10/), so look on both pages.
    rows = {unit.pk: unit for unit in pages[0] + pages[1]}
    assert len(rows) == 68
    assert rows[world.office_b.pk].schools_below == 1
    assert rows[world.office.pk].schools_below == 62


def test_unit_list_within_a_unit_shows_only_what_is_below_it(world, client_for):
    client = client_for(world.dept_admin)
    response = client.get(reverse("organisations:unit_list"), {"within": world.office.pk})
    names = {unit.name for unit in response.context["page"].object_list}
    assert names == {world.school.name, world.school_a2.name}


def test_unit_list_within_a_foreign_unit_shows_nothing(world, client_for):
    client = client_for(world.office_officer)
    response = client.get(reverse("organisations:unit_list"), {"within": world.office_b.pk})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert OUTSIDER_MARK not in response.text
