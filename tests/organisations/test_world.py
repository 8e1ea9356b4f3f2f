"""The named world is built once per session and rolled back per test (tests/conftest.py): what
one test changes, in the database or in the world's Python instances, the next never sees; a test
without the world sees an empty database; a transactional test gets a committed world of its own.

The tests run in file order (no xdist split inside a file: `--dist loadfile`), the transactional
one last (pytest-django's order); each checks that it starts from the pristine world before it
changes it, so whichever runs second proves the first left nothing behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.organisations.testing import OUTSIDER_MARK, START, make_user

MOVED_ON = dt.date(2025, 1, 6)
BUILDS: dict[str, int] = {}
SCHOOL = "Trường Tiểu học Nguyễn Du"
STUDENTS = 620


def _tree() -> list[tuple[str, str]]:
    return sorted(Unit.objects.values_list("name", "path"))


def assert_pristine(world: Any) -> None:
    assert world.school.name == SCHOOL
    assert world.school.year_stats.get(year=2025).students == STUDENTS
    assert Unit.objects.get(pk=world.school.pk).name == SCHOOL
    assert not Unit.objects.filter(name__startswith="Đổi tên").exists()
    assert not get_user_model().objects.filter(username="them_vao").exists()
    assert get_user_model().objects.filter(pk=world.reader.pk).exists()
    assert world.librarian.full_name == "Đặng Thị Thư"
    assert Membership.objects.filter(user=world.librarian).count() == 1
    assert world.school.parent_id == world.office.pk
    assert Unit.objects.get(pk=world.school.pk).parent_id == world.office.pk
    assert not hasattr(world.school, "_marked_by_a_test")


def change_everything(world: Any) -> None:
    world.school.name = "Đổi tên bởi một bài kiểm tra"
    world.school.save()
    world.school._marked_by_a_test = True
    world.librarian.full_name = "Người khác"
    world.librarian.save()
    services.set_year_stats(world.school, year=2025, students=1, teachers=1)
    services.add_membership(world.librarian, world.school_a2, Role.LIBRARIAN, valid_from=START)
    services.move_unit(world.school, new_parent=world.department, on=MOVED_ON, reason="thử")
    world.reader.delete()
    make_user("them_vao", "Người Thêm Vào")


def test_a_first_test_changes_the_world(world):
    assert_pristine(world)
    change_everything(world)
    assert Unit.objects.get(pk=world.school.pk).name.startswith("Đổi tên")


def test_the_next_test_finds_it_as_built(world, shared_world):
    assert_pristine(world)
    # Not built again: a copy of the session's world, whose transaction is open.
    assert shared_world.is_open and shared_world.master is not None
    assert world is not shared_world.master and world.school is not shared_world.master.school
    assert world.school.pk == shared_world.master.school.pk
    change_everything(world)
    assert shared_world.master.school.name == SCHOOL
    BUILDS["before the test without the world"] = shared_world.builds


def test_a_test_without_the_world_sees_an_empty_database(db):
    assert not Unit.objects.exists()
    assert not get_user_model().objects.exists()
    services.create_unit(kind=UnitKind.DEPARTMENT, name="Sở riêng của bài kiểm tra", parent=None)


def test_and_then_the_world_is_back(world, shared_world):
    assert shared_world.builds == BUILDS["before the test without the world"] + 1  # built again
    assert_pristine(world)
    assert not Unit.objects.filter(name="Sở riêng của bài kiểm tra").exists()
    assert Unit.objects.filter(name__contains=OUTSIDER_MARK).count() == 2


# pytest-django runs transactional tests after the others (here: last in the file).
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_a_committed_world_of_its_own(world, shared_world):
    assert not shared_world.is_open  # rolled back before this test: it sees only its own world
    assert not connection.in_atomic_block  # committed: a live server's thread would see it
    assert_pristine(world)
    assert len(_tree()) == 8
    change_everything(world)
