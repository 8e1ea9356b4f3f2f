"""The demo province's desks, played through the circulation use cases.

`seed_circulation(today, seed=…)`: every school gets its loan rules (textbooks for the whole
school year, the general rule), the Tết closure, its teachers as readers (linked to their
accounts) and one class per grade of students. The first schools (the showcase) also get a
school year of loans up to `today`: story and reference books lent and returned, some still out,
a few overdue; a class set of textbooks lent to a whole class.

Deterministic in `seed`; a school that already has readers is left alone, so a second run adds
nothing. `clear_circulation_data` removes it all.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from thuvien.catalogue.models import Collection, Copy, CopyStatus, Record
from thuvien.catalogue.services import copies as copy_services
from thuvien.circulation.models import (
    ActivityKind,
    ActivityPhoto,
    Closure,
    DeskSettings,
    Hold,
    Loan,
    LoanRule,
    OnSiteReading,
    Reader,
    ReaderKind,
    ReadingActivity,
    SipAccount,
)
from thuvien.circulation.services import CirculationError, activities, class_sets, desk, readers
from thuvien.organisations.models import Membership, Role, Unit, current_school_year

__all__ = ["clear_circulation_data", "seed_circulation"]

SHOWCASE = 3  # schools with a school year of loans
# The demo's self-check kiosk (SIP2), at the first showcase school: scripts/serve-demo says so.
KIOSK_LOGIN, KIOSK_PASSWORD = "kiosk-demo", "kiosk-demo"
CLASS_SIZE = 24
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Hoàng", "Thanh", "Gia", "Bảo", "Khánh", "Quốc")
GIVEN = (
    "An", "Bình", "Châu", "Dũng", "Đường", "Giang", "Hà", "Hải", "Hương", "Khoa", "Lan", "Long",
    "Mai", "Nam", "Nhi", "Phúc", "Quân", "Tâm", "Thảo", "Trang", "Tú", "Uyên", "Vy", "Yến",
)  # fmt: skip
GRADES = {
    "primary": range(1, 6),
    "lower_secondary": range(6, 10),
    "upper_secondary": range(10, 13),
}


def _staff(school: Unit) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(unit=school)
        .exclude(role=Role.READER)
        .select_related("user")
        .order_by("pk")
    ]


def _librarian(school: Unit) -> Any:
    row = (
        Membership.objects.filter(unit=school, role__in=(Role.LIBRARIAN, Role.TEACHER_LIBRARIAN))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _rules(school: Unit, year: int) -> None:
    textbooks = Collection.objects.filter(school=school, code="SGK").first()
    LoanRule.objects.create(
        school=school, reader_kind=ReaderKind.STUDENT, loan_days=14, max_items=3, renewals=1
    )
    LoanRule.objects.create(
        school=school, reader_kind=ReaderKind.TEACHER, loan_days=30, max_items=10, renewals=2
    )
    if textbooks is not None:
        LoanRule.objects.create(
            school=school, reader_kind=ReaderKind.STUDENT, collection=textbooks,
            loan_days=14, max_items=12, renewals=0, holds_allowed=False,
            fixed_due_on=dt.date(year + 1, 5, 31),
        )  # fmt: skip
    DeskSettings.objects.create(school=school, closed_weekdays="6", hours_per_week=30)
    Closure.objects.create(
        school=school, starts_on=dt.date(year + 1, 2, 5), ends_on=dt.date(year + 1, 2, 14),
        reason="Nghỉ Tết Nguyên đán",
    )  # fmt: skip


def _readers(school: Unit, year: int, rng: random.Random) -> list[Reader]:
    made = []
    for number, person in enumerate(_staff(school), start=1):
        teacher = readers.save_reader(
            school, kind=ReaderKind.TEACHER, code=f"GV{school.pk:04d}{number:02d}",
            full_name=person.full_name,
        )  # fmt: skip
        teacher.user = person
        teacher.save()
    for tier in school.tiers:
        for grade in GRADES.get(tier, ()):
            for seat in range(CLASS_SIZE):
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                born = dt.date(year - 5 - grade, rng.randint(1, 12), rng.randint(1, 28))
                made.append(
                    readers.save_reader(
                        school,
                        kind=ReaderKind.STUDENT,
                        code=f"{school.pk:04d}{grade:02d}{seat + 1:03d}",
                        full_name=name,
                        birth_date=born,
                        class_name=f"{grade}A1",
                        grade=grade,
                        school_year=year,
                    )
                )
    return made


def _class_set(school: Unit, students: list[Reader], year: int, by: Any) -> None:
    """The first class borrows its first textbook, one copy a student."""
    if not students:
        return
    class_name = students[0].class_name
    copy = (
        Copy.objects.filter(school=school, collection__code="SGK", record__grade=students[0].grade)
        .order_by("pk")
        .first()
    )
    if copy is None:
        return
    record: Record = copy.record
    on_shelf = Copy.objects.filter(school=school, record=record, status=CopyStatus.AVAILABLE)
    missing = CLASS_SIZE - on_shelf.count()
    if missing > 0:
        copy_services.add_copies(record, school=school, count=missing, by=by)
    when = dt.datetime(year, 9, 8, 8, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    class_sets.lend_class_set(school, record, class_name, by=by, now=when)


def _a_year_of_loans(
    school: Unit, students: list[Reader], today: dt.date, year: int, by: Any, rng: random.Random
) -> None:
    """Story and reference books lent from September to `today`: most back after one to three
    weeks, the last ones still out, a few of them overdue."""
    books = list(
        Copy.objects.filter(school=school, collection__code__in=("STN", "STK"))
        .exclude(status=CopyStatus.WITHDRAWN)
        .order_by("pk")
    )
    if not books or not students:
        return
    zone = ZoneInfo(settings.TIME_ZONE)
    day = dt.date(year, 9, 10)
    while day < today - dt.timedelta(days=2):
        if day.weekday() < 6:
            for _n in range(rng.randint(1, 3)):
                copy, reader = rng.choice(books), rng.choice(students)
                at = dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59)))
                at = at.replace(tzinfo=zone)
                try:
                    loan = desk.check_out(school, reader, copy.barcode, by=by, now=at).loan
                except CirculationError:
                    continue  # on loan already, or the reader holds three
                back = day + dt.timedelta(days=rng.randint(4, 24))
                if back < today:
                    returned = dt.datetime.combine(back, dt.time(10, 0)).replace(tzinfo=zone)
                    desk.check_in(school, copy.barcode, by=by, now=max(returned, loan.issued_at))
        day += dt.timedelta(days=1)


def _promotion(school: Unit, year: int, today: dt.date, by: Any, rng: random.Random) -> None:
    """A book introduction each month of term so far, the Book Day if it is past, a contest;
    on-site reading most school days."""
    day = dt.date(year, 9, 20)
    while day < today:
        ReadingActivity.objects.create(
            school=school, kind=ActivityKind.BOOK_TALK, held_on=day, created_by=by,
            title=f"Giới thiệu sách tháng {day.month}", participants=rng.randint(30, 120),
            classes="Toàn trường",
        )  # fmt: skip
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=20)
    book_day = dt.date(year + 1, 4, 21)
    if book_day < today:
        ReadingActivity.objects.create(
            school=school, kind=ActivityKind.BOOK_DAY, held_on=book_day, created_by=by,
            title="Ngày Sách và Văn hóa đọc Việt Nam", participants=rng.randint(200, 500),
        )  # fmt: skip
    day = dt.date(year, 9, 8)
    while day < today:
        if day.weekday() < 5 and rng.random() < 0.7:
            activities.add_on_site(school, day=day, readers=rng.randint(5, 40))
        day += dt.timedelta(days=1)


def seed_circulation(today: dt.date, *, seed: int) -> None:
    year = current_school_year(today)
    rng = random.Random(f"circulation-{seed}")  # noqa: S311 - demo data, not secrets
    schools = list(Unit.objects.schools().filter(is_active=True).order_by("path"))
    showcase = 0
    for school in schools:
        if Reader.objects.filter(school=school).exists():
            continue
        _rules(school, year)
        students = _readers(school, year, rng)
        librarian = _librarian(school)
        if showcase < SHOWCASE and students and librarian is not None:
            showcase += 1
            _class_set(school, [s for s in students if s.class_name == students[0].class_name],
                       year, librarian)  # fmt: skip
            _a_year_of_loans(school, students, today, year, librarian, rng)
            _promotion(school, year, today, librarian, rng)
            if showcase == 1:
                kiosk = SipAccount(school=school, login=KIOSK_LOGIN, location="Sảnh thư viện")
                kiosk.set_password(KIOSK_PASSWORD)
                kiosk.save()


def clear_circulation_data() -> None:
    """Delete every loan, reader, rule, closure and desk setting (and their history)."""
    for model in (Hold, Loan, Reader, LoanRule):
        model.objects.all().delete()
        model.history.all().delete()
    for plain in (ActivityPhoto, ReadingActivity, OnSiteReading, SipAccount):
        plain.objects.all().delete()
    Closure.objects.all().delete()
    DeskSettings.objects.all().delete()
    Copy.objects.filter(status=CopyStatus.ON_LOAN).update(status=CopyStatus.AVAILABLE)
