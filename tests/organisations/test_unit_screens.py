"""Create, edit, move, merge, counts, memberships and history, through the screens."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thuvien.core.testing import OUTSIDER_MARK
from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role, Unit, UnitKind


def test_admin_creates_a_school(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:unit_create"),
        {
            "kind": UnitKind.SCHOOL,
            "name": "Trường TH&THCS Võ Thị Sáu",
            "code": "83000555",
            "parent": world.office.pk,
            "tiers": ["primary", "lower_secondary"],
        },
    )
    school = Unit.objects.get(code="83000555")
    assert response.status_code == 302
    assert response.url == reverse("organisations:unit_detail", args=[school.pk])
    assert school.parent == world.office
    assert school.tiers == ["primary", "lower_secondary"]
    assert school.is_multi_tier


def test_school_without_tier_is_rejected_with_422(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:unit_create"),
        {"kind": UnitKind.SCHOOL, "name": "Trường không cấp", "parent": world.office.pk},
    )
    assert response.status_code == 422
    assert not Unit.objects.filter(name="Trường không cấp").exists()


def test_office_officer_cannot_create_units(world, client_for):
    response = client_for(world.office_officer).get(reverse("organisations:unit_create"))
    assert response.status_code == 403


def test_admin_edits_a_unit(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:unit_edit", args=[world.school.pk]),
        {"name": "Trường Tiểu học Nguyễn Du (mới)", "code": "83000101", "tiers": ["primary"]},
    )
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.name == "Trường Tiểu học Nguyễn Du (mới)"


def test_admin_moves_a_school_and_history_shows(world, client_for):
    client = client_for(world.dept_admin)
    response = client.post(
        reverse("organisations:unit_move", args=[world.school.pk]),
        {"new_parent": world.department.pk, "on": "2026-09-01", "reason": "QĐ 99/QĐ-UBND"},
    )
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.parent == world.department
    page = client.get(reverse("organisations:unit_detail", args=[world.school.pk]))
    assert "QĐ 99/QĐ-UBND" in page.text
    history = client.get(reverse("organisations:unit_history", args=[world.school.pk]))
    assert history.status_code == 200
    assert world.dept_admin.display_name in history.text


def test_move_form_offers_no_foreign_or_own_subtree_parent(world, client_for):
    response = client_for(world.dept_admin).get(
        reverse("organisations:unit_move", args=[world.office.pk])
    )
    options = response.context["form"].fields["new_parent"].queryset
    assert world.office not in options
    assert world.department in options


def test_admin_merges_offices(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:unit_merge", args=[world.office_b.pk]),
        {"into": world.office.pk, "on": "2026-01-01", "confirm": "on"},
    )
    assert response.status_code == 302
    world.office_b.refresh_from_db()
    assert world.office_b.merged_into == world.office


def test_admin_records_year_counts(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:unit_stats", args=[world.school.pk]),
        {"year": 2026, "students": 640, "teachers": 31},
    )
    assert response.status_code == 302
    assert world.school.year_stats.get(year=2026).students == 640


def test_get_on_post_only_view_is_405(world, client_for):
    response = client_for(world.dept_admin).get(
        reverse("organisations:unit_stats", args=[world.school.pk])
    )
    assert response.status_code == 405


def test_admin_gives_and_ends_a_role(world, client_for):
    client = client_for(world.dept_admin)
    response = client.post(
        reverse("organisations:membership_add", args=[world.school_a2.pk]),
        {
            "login": world.librarian.email,
            "role": Role.TEACHER_LIBRARIAN,
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.librarian, unit=world.school_a2)
    response = client.post(
        reverse("organisations:membership_end", args=[membership.pk]), {"on": "2026-06-30"}
    )
    membership.refresh_from_db()
    assert membership.valid_to == dt.date(2026, 6, 30)


def test_role_must_suit_unit_kind_on_screen(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:membership_add", args=[world.office.pk]),
        {"login": world.librarian.username, "role": Role.LIBRARIAN, "valid_from": "2026-01-01"},
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(user=world.librarian, unit=world.office).exists()


def test_principal_reads_history_of_own_school_only(world, client_for):
    client = client_for(world.principal)
    assert (
        client.get(reverse("organisations:unit_history", args=[world.school.pk])).status_code == 200
    )
    assert (
        client.get(reverse("organisations:unit_history", args=[world.school_a2.pk])).status_code
        == 404
    )


def test_librarian_cannot_read_history(world, client_for):
    response = client_for(world.librarian).get(
        reverse("organisations:unit_history", args=[world.school.pk])
    )
    assert response.status_code == 403


def test_school_page_shows_counts_staff_and_supervision(world, client_for):
    response = client_for(world.principal).get(
        reverse("organisations:unit_detail", args=[world.school.pk])
    )
    assert response.status_code == 200
    assert "620" in response.text
    assert world.librarian.display_name in response.text
    assert world.office.name in response.text


def test_staff_list_shows_exact_scope(world, client_for):
    response = client_for(world.office_officer).get(reverse("organisations:staff_list"))
    names = {m.user.username for m in response.context["page"].object_list}
    assert names == {
        "phong_canbo",
        "hieutruong",
        "hieutruong_a2",
        "thuvien",
        "gvkiemnhiem",
        "hocsinh",
    }
    assert OUTSIDER_MARK not in response.text


def test_unit_list_htmx_returns_only_the_results_fragment(world, client_for):
    response = client_for(world.dept_admin).get(
        reverse("organisations:unit_list"), {"q": "le loi"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert world.school_a2.name in response.text


def test_unit_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.dept_admin)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("organisations:unit_list"))
    for i in range(30):
        services.create_unit(
            kind=UnitKind.SCHOOL, name=f"Trường {i}", parent=world.office, has_primary=True
        )
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("organisations:unit_list"))
    assert len(large) == len(small)
