"""The circulation rows of the named test world (`organisations.testing.extend_world`): school
A1's readers (two students of class 6A1, a teacher), its loan rules and calendar, and the
outsider school's reader (whom nobody else may see). Loans are made by the tests that need them,
so that the catalogue's tests find every copy on the shelf."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thuvien.catalogue.models import Collection
from thuvien.circulation.models import Closure, DeskSettings, LoanRule, Reader, ReaderKind
from thuvien.circulation.services import readers
from thuvien.organisations.testing import OUTSIDER_MARK, World


@dataclass
class CirculationWorld:
    student: Reader
    classmate: Reader
    teacher: Reader
    outsider_reader: Reader


def extend_world(world: World) -> CirculationWorld:
    student = readers.save_reader(
        world.school,
        kind=ReaderKind.STUDENT,
        code="HS0001",
        full_name="Nguyễn Văn An",
        birth_date=dt.date(2014, 3, 2),
        class_name="6A1",
        grade=6,
        school_year=2025,
    )
    classmate = readers.save_reader(
        world.school,
        kind=ReaderKind.STUDENT,
        code="HS0002",
        full_name="Trần Thị Đường",
        class_name="6A1",
        grade=6,
        school_year=2025,
    )
    teacher = readers.save_reader(
        world.school, kind=ReaderKind.TEACHER, code="GV0001", full_name="Lê Thị Cúc"
    )
    teacher.user = world.librarian
    teacher.save()
    textbooks = Collection.objects.get(school=world.school, code="SGK")
    LoanRule.objects.create(
        school=world.school,
        reader_kind=ReaderKind.STUDENT,
        collection=textbooks,
        loan_days=14,
        max_items=12,
        renewals=0,
        holds_allowed=False,
        fixed_due_on=dt.date(2026, 5, 29),
    )
    LoanRule.objects.create(
        school=world.school, reader_kind=ReaderKind.STUDENT, loan_days=14, max_items=3
    )
    DeskSettings.objects.create(school=world.school, closed_weekdays="6")
    Closure.objects.create(
        school=world.school,
        starts_on=dt.date(2026, 2, 14),
        ends_on=dt.date(2026, 2, 22),
        reason="Nghỉ Tết Nguyên đán",
    )
    outsider_reader = readers.save_reader(
        world.outsider_school,
        kind=ReaderKind.STUDENT,
        code="HS0001",
        full_name=f"Học sinh {OUTSIDER_MARK}",
        class_name="7B",
        grade=7,
    )
    return CirculationWorld(student, classmate, teacher, outsider_reader)
