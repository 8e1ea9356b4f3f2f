"""The named test world: one small province that every test (and the browser tests) stands on.

    Sở GD&ĐT (department)                      ← dept_admin, dept_officer
    ├── office A (Phòng VH-XH phường An Hội)   ← office_officer
    │   ├── school A1 (primary)               ← principal, librarian, teacher_librarian, reader
    │   └── school A2 (lower secondary)       ← principal_a2
    ├── school D (THPT, directly under the Sở) ← thpt_librarian
    ├── partner P (university library)        ← trainer (under its university, not the Sở)
    └── office B                               ← office_b_officer
        └── school X                          ← outsider (a librarian of another school)

Rows that belong to the outsider's side carry `OUTSIDER_MARK` in their names, so a test can assert
that no page shows it. Each later app adds its own rows with `extend_world(world)` in its
`<app>/testing.py`, found through the app registry (organisations imports none of them).

The suite builds the world once per test session (per xdist worker) and rolls every test back to it;
each test gets fresh copies of the instances (`tests/conftest.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps

from thuvien.core.testing import OUTSIDER_MARK, PASSWORD, START, make_user
from thuvien.organisations import services
from thuvien.organisations.models import Role, Unit, UnitKind

__all__ = ["OUTSIDER_MARK", "PASSWORD", "START", "World", "build_world", "make_user"]


@dataclass
class World:
    department: Unit
    office: Unit
    school: Unit
    school_a2: Unit
    thpt: Unit
    partner: Unit
    office_b: Unit
    outsider_school: Unit
    dept_admin: Any
    dept_officer: Any
    office_officer: Any
    principal: Any
    principal_a2: Any
    librarian: Any
    teacher_librarian: Any
    reader: Any
    thpt_librarian: Any
    trainer: Any
    office_b_officer: Any
    outsider: Any

    def users_by_role(self) -> dict[str, Any]:
        """One user per role, acting in the world's main branch."""
        return {
            Role.DEPARTMENT_ADMIN: self.dept_admin,
            Role.DEPARTMENT_OFFICER: self.dept_officer,
            Role.OFFICE_OFFICER: self.office_officer,
            Role.PRINCIPAL: self.principal,
            Role.LIBRARIAN: self.librarian,
            Role.TEACHER_LIBRARIAN: self.teacher_librarian,
            Role.TRAINER: self.trainer,
            Role.READER: self.reader,
        }


def _person(username: str, full_name: str, unit: Unit, role: str, **extra: Any) -> Any:
    user = make_user(username, full_name, **extra)
    services.add_membership(user, unit, role, valid_from=START)
    return user


def build_world() -> World:
    dept = services.create_unit(
        kind=UnitKind.DEPARTMENT, name="Sở Giáo dục và Đào tạo Bến Tre", parent=None, on=START
    )
    office = services.create_unit(
        kind=UnitKind.OFFICE, name="Phòng Văn hóa – Xã hội phường An Hội", parent=dept, on=START
    )
    school = services.create_unit(
        kind=UnitKind.SCHOOL,
        name="Trường Tiểu học Nguyễn Du",
        parent=office,
        code="83000101",
        has_primary=True,
        on=START,
    )
    school_a2 = services.create_unit(
        kind=UnitKind.SCHOOL,
        name="Trường THCS Lê Lợi",
        parent=office,
        code="83000102",
        has_lower_secondary=True,
        on=START,
    )
    thpt = services.create_unit(
        kind=UnitKind.SCHOOL,
        name="Trường THPT Nguyễn Đình Chiểu",
        parent=dept,
        code="83000201",
        has_upper_secondary=True,
        on=START,
    )
    partner = services.create_unit(
        kind=UnitKind.PARTNER,
        name="Thư viện Trường Đại học Tôn Đức Thắng",
        parent=dept,
        governing_body="Trường Đại học Tôn Đức Thắng",
        on=START,
    )
    office_b = services.create_unit(
        kind=UnitKind.OFFICE,
        name=f"Phòng Văn hóa – Xã hội xã {OUTSIDER_MARK}",
        parent=dept,
        on=START,
    )
    outsider_school = services.create_unit(
        kind=UnitKind.SCHOOL,
        name=f"Trường THCS {OUTSIDER_MARK}",
        parent=office_b,
        code="83000999",
        has_lower_secondary=True,
        on=START,
    )
    for unit, students in ((school, 620), (school_a2, 810), (thpt, 1250), (outsider_school, 433)):
        services.set_year_stats(unit, year=2025, students=students, teachers=students // 20)
    world = World(
        department=dept,
        office=office,
        school=school,
        school_a2=school_a2,
        thpt=thpt,
        partner=partner,
        office_b=office_b,
        outsider_school=outsider_school,
        dept_admin=_person("so_admin", "Trần Văn Quản", dept, Role.DEPARTMENT_ADMIN),
        dept_officer=_person("so_canbo", "Lê Thị Hồng", dept, Role.DEPARTMENT_OFFICER),
        office_officer=_person("phong_canbo", "Phạm Văn Phòng", office, Role.OFFICE_OFFICER),
        principal=_person("hieutruong", "Nguyễn Thị Hiệu", school, Role.PRINCIPAL),
        principal_a2=_person("hieutruong_a2", "Võ Văn Lợi", school_a2, Role.PRINCIPAL),
        librarian=_person(
            "thuvien", "Đặng Thị Thư", school, Role.LIBRARIAN, qualification="college"
        ),
        teacher_librarian=_person("gvkiemnhiem", "Bùi Văn Kiêm", school, Role.TEACHER_LIBRARIAN),
        reader=_person("hocsinh", "Huỳnh Minh Đọc", school, Role.READER),
        thpt_librarian=_person("thuvien_thpt", "Đoàn Thị Chiểu", thpt, Role.LIBRARIAN),
        trainer=_person("giangvien", "Ngô Văn Giảng", partner, Role.TRAINER),
        office_b_officer=_person(
            "phong_b", f"Cán bộ {OUTSIDER_MARK}", office_b, Role.OFFICE_OFFICER
        ),
        outsider=_person("ngoai", f"Thủ thư {OUTSIDER_MARK}", outsider_school, Role.LIBRARIAN),
    )
    # The schools' heads sign their documents (the department, offices and partner keep none
    # here: a test that needs them adds them, and the others see the fallback).
    services.add_signer(school, full_name="Nguyễn Thị Hiệu", position="Hiệu trưởng")
    services.add_signer(
        outsider_school, full_name=f"Hiệu trưởng {OUTSIDER_MARK}", position="Hiệu trưởng"
    )
    for extend in _world_extensions():
        extend(world)
    return world


_NOT_EXTENDING = {"thuvien.core", "thuvien.organisations"}


def _world_extensions() -> list[Callable[[World], object]]:
    """Each app may add its own rows to the world: `extend_world(world)` in `<app>/testing.py`
    (so that, for example, the model-scoping walk finds a row of every school-owned model)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("thuvien.") or config.name in _NOT_EXTENDING:
            continue
        name = f"{config.name}.testing"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        if hasattr(module, "extend_world"):
            found.append(module.extend_world)
    return found
