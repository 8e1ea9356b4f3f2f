"""The organisation tree: creating, moving with history, merging, and who supervised whom when."""

import datetime as dt

import pytest

from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role, Unit, UnitKind, UnitParentLink

D = dt.date


def test_create_unit_sets_path_and_opens_supervision(world):
    school = services.create_unit(
        kind=UnitKind.SCHOOL,
        name="Trường Mầm non Hoa Sen",
        parent=world.office,
        has_preschool=True,
        on=D(2025, 9, 1),
    )
    assert school.path == f"{world.office.path}{school.pk}/"
    assert school.depth == 2
    assert school.name_folded == "truong mam non hoa sen"
    link = UnitParentLink.objects.get(unit=school)
    assert (link.parent, link.valid_from, link.valid_to) == (world.office, D(2025, 9, 1), None)


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [
        (UnitKind.SCHOOL, None),
        (UnitKind.OFFICE, "school"),
        (UnitKind.SCHOOL, "school"),
        (UnitKind.DEPARTMENT, "department"),
        (UnitKind.PARTNER, "office"),
    ],
)
def test_create_unit_refuses_impossible_parents(world, kind, parent_attr):
    parent = getattr(world, parent_attr) if parent_attr else None
    before = Unit.objects.count()
    with pytest.raises(services.OrganisationError):
        services.create_unit(kind=kind, name="X", parent=parent)
    assert Unit.objects.count() == before


def test_duplicate_ministry_code_is_refused(world):
    with pytest.raises(services.OrganisationError, match="83000101"):
        services.create_unit(
            kind=UnitKind.SCHOOL, name="Y", parent=world.office, code="83000101", has_primary=True
        )


def test_move_keeps_history_and_answers_supervisor_on_date(world):
    services.move_unit(world.school, new_parent=world.office_b, on=D(2026, 1, 1), reason="QĐ 12")
    world.school.refresh_from_db()
    assert world.school.parent == world.office_b
    assert world.school.path == f"{world.office_b.path}{world.school.pk}/"
    assert services.supervisor_on(world.school, D(2025, 12, 31)) == world.office
    assert services.supervisor_on(world.school, D(2026, 1, 1)) == world.office_b
    assert services.supervisor_on(world.school, D(2020, 1, 1)) is None
    links = list(world.school.parent_links.order_by("valid_from"))
    assert [(link.parent, link.valid_to) for link in links] == [
        (world.office, D(2026, 1, 1)),
        (world.office_b, None),
    ]


def test_move_to_department_directly(world):
    services.move_unit(world.school_a2, new_parent=world.department, on=D(2026, 2, 1))
    assert services.supervisor_on(world.school_a2, D(2026, 3, 1)) == world.department


def test_moving_an_office_moves_its_subtree_paths(world):
    new_office = services.create_unit(
        kind=UnitKind.OFFICE, name="Phòng mới", parent=world.department, on=D(2024, 1, 1)
    )
    services.move_unit(world.office, new_parent=new_office, on=D(2026, 1, 1))
    for unit in Unit.objects.filter(pk__in=[world.office.pk, world.school.pk, world.school_a2.pk]):
        parent = unit.parent
        assert unit.path == f"{parent.path}{unit.pk}/"
        assert unit.depth == parent.depth + 1


def test_cannot_move_under_own_subtree(world):
    with pytest.raises(services.OrganisationError):
        services.move_unit(world.office, new_parent=world.office, on=D(2026, 1, 1))


def test_move_date_must_follow_current_supervision(world):
    with pytest.raises(services.OrganisationError):
        services.move_unit(world.school, new_parent=world.office_b, on=D(2024, 1, 1))
    world.school.refresh_from_db()
    assert world.school.parent == world.office


def test_merge_keeps_both_histories(world):
    services.merge_units(world.office_b, into=world.office, on=D(2026, 1, 1))
    world.office_b.refresh_from_db()
    world.outsider_school.refresh_from_db()
    assert not world.office_b.is_active
    assert world.office_b.merged_into == world.office
    assert world.outsider_school.parent == world.office
    assert services.supervisor_on(world.outsider_school, D(2025, 6, 1)) == world.office_b
    assert services.supervisor_on(world.outsider_school, D(2026, 6, 1)) == world.office
    old = Membership.objects.get(user=world.office_b_officer, unit=world.office_b)
    assert old.valid_to == D(2025, 12, 31)
    new = Membership.objects.get(user=world.office_b_officer, unit=world.office)
    assert (new.role, new.valid_from, new.valid_to) == (Role.OFFICE_OFFICER, D(2026, 1, 1), None)
    assert list(world.office.merged_from.all()) == [world.office_b]


def test_merge_refuses_different_kinds(world):
    with pytest.raises(services.OrganisationError):
        services.merge_units(world.school, into=world.office, on=D(2026, 1, 1))


def test_membership_role_must_suit_unit_kind(world):
    with pytest.raises(services.OrganisationError):
        services.add_membership(world.librarian, world.office, Role.LIBRARIAN)


def test_year_stats_are_one_row_per_year(world):
    services.set_year_stats(world.school, year=2025, students=700, teachers=30)
    stats = world.school.year_stats.get(year=2025)
    assert (stats.students, stats.teachers, stats.school_year) == (700, 30, "2025–2026")
    with pytest.raises(services.OrganisationError):
        services.set_year_stats(world.office, year=2025, students=1, teachers=1)
