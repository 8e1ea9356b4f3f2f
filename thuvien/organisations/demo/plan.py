"""Planning the demo province: plain data drawn from a seeded `random.Random`, no database.

`plan_province` lays out the tree — the Sở, a partner library, the commune/ward offices (one
more than shown: it merges into another), the upper-secondary schools and the continuing-education
centre under the department, and the other schools spread over the offices — then the people:
department staff, trainers, office officers, a principal and library staff for every school (the
demo logins at a school of the first office, and at a THPT school directly under the Sở), and
readers at a few schools. The result is a `ProvincePlan` of `UnitPlan`s and `PersonPlan`s, with the
school that moves office last year and the office that merges this year. One seed gives one
province; `write` turns the plan into rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from thuvien.organisations.demo.names import (
    CENTRE,
    DEMO_USERNAMES,
    FAMILY,
    FIGURES,
    GIVEN,
    LOWER,
    LOWER_UPPER,
    MAIL_DOMAIN,
    MIDDLE,
    OFFICE_SCHOOL_WEIGHTS,
    PLACE_WORDS,
    PRESCHOOL,
    PRIMARY,
    PRIMARY_LOWER,
    PROVINCE,
    THPT_USERNAMES,
    UPPER,
    USERNAME_PREFIX,
    SchoolType,
)
from thuvien.organisations.models import (
    ReaderCategory,
    Role,
    Unit,
    UnitKind,
    current_school_year,
)

MIN_SCHOOLS = 8
MAX_SCHOOLS = 50_000
DEFAULT_SEED = 2025
REFORM_DAY = dt.date(2025, 7, 1)  # two-tier local government: commune/ward offices begin


@dataclass(eq=False)
class UnitPlan:
    kind: str
    name: str
    parent: UnitPlan | None
    place: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    stats: list[tuple[int, int, int, int]] = field(default_factory=list)  # year, pupils, …
    unit: Unit | None = None  # once written

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def saved(self) -> Unit:
        assert self.unit is not None, f"{self.name} is not written yet"
        return self.unit


@dataclass(eq=False)
class PersonPlan:
    username: str
    full_name: str
    unit: UnitPlan
    role: str
    since: dt.date
    qualification: str = "none"
    reader_category: str = ""


@dataclass(eq=False)
class SignerPlan:
    """One signer of a unit's documents: its head, or a deputy signing "KT." for the head."""

    unit: UnitPlan
    full_name: str
    position: str
    authority: str = ""
    on_behalf_of: str = ""
    is_head: bool = True
    order: int = 0


# The head's position of each kind of unit, and the deputy's ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC").
HEADS: dict[str, tuple[str, str]] = {
    UnitKind.DEPARTMENT: ("Giám đốc", "Phó Giám đốc"),
    UnitKind.OFFICE: ("Trưởng phòng", "Phó Trưởng phòng"),
    UnitKind.PARTNER: ("Giám đốc Thư viện", ""),
    UnitKind.SCHOOL: ("Hiệu trưởng", ""),
}


@dataclass
class ProvincePlan:
    units: list[UnitPlan]
    people: list[PersonPlan]
    founded: dt.date
    moved: tuple[UnitPlan, UnitPlan, dt.date]  # school, new office, day
    merged: tuple[UnitPlan, UnitPlan, dt.date]  # office, into office, day
    bulk: bool = False
    signers: list[SignerPlan] = field(default_factory=list)

    @property
    def schools(self) -> list[UnitPlan]:
        return [u for u in self.units if u.kind == UnitKind.SCHOOL]


class _Planner:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.year = current_school_year(today)
        self.founded = min(REFORM_DAY, dt.date(self.year - 1, 7, 1))
        self.units: list[UnitPlan] = []
        self.people: list[PersonPlan] = []
        self.names: set[str] = set()
        self.usernames: set[str] = set()
        self.codes = itertools.count(1)

    def places(self, count: int) -> list[str]:
        pairs = [f"{a} {b}" for a, b in itertools.permutations(PLACE_WORDS, 2)]
        self.rng.shuffle(pairs)
        return [f"{'phường' if self.rng.random() < 0.35 else 'xã'} {p}" for p in pairs[:count]]

    def address(self, place: str) -> str:
        if place.startswith("phường"):
            street = f"Số {self.rng.randint(1, 250)} đường {self.rng.choice(FIGURES)}"
        else:
            street = "Ấp " + " ".join(self.rng.sample(PLACE_WORDS, 2))
        return f"{street}, {place}, tỉnh {PROVINCE}"

    def phone(self) -> str:
        return f"0270 38{self.rng.randint(10_000, 99_999)}"

    def unit(self, kind: str, name: str, parent: UnitPlan | None, **fields: Any) -> UnitPlan:
        self.names.add(name)
        plan = UnitPlan(kind, name, parent, place=fields.pop("place", ""), fields=fields)
        self.units.append(plan)
        return plan

    def school_name(self, kind: SchoolType, place: str) -> str:
        """A figure's name if free; else the place's; else the figure's followed by the place."""
        named = [f"{kind.prefix} {n}" for n in self.rng.sample(kind.names, len(kind.names))]
        bare_place = place.split(" ", 1)[1]
        candidates = itertools.chain(
            named,
            [f"{kind.prefix} {bare_place}"],
            (f"{name} – {place}" for name in named),
            (f"{kind.prefix} {bare_place} {n}" for n in itertools.count(2)),
        )
        return next(name for name in candidates if name not in self.names)

    def school(self, kind: SchoolType, parent: UnitPlan, place: str) -> UnitPlan:
        code = f"86{next(self.codes):06d}"
        school = self.unit(
            UnitKind.SCHOOL,
            self.school_name(kind, place),
            parent,
            place=place,
            code=code,
            address=self.address(place),
            phone=self.phone(),
            email=f"c{code}@{MAIL_DOMAIN}",
            **dict.fromkeys(kind.tiers, True),
        )
        students = self.rng.randint(*kind.students)
        last_year = round(students * self.rng.uniform(0.93, 1.05))
        for year, pupils in ((self.year - 1, last_year), (self.year, students)):
            teachers = max(3, round(pupils / kind.per_teacher * self.rng.uniform(0.9, 1.1)))
            school.stats.append((year, pupils, teachers, max(1, round(pupils / kind.per_class))))
        return school

    def full_name(self, female: bool) -> str:
        sex = "f" if female else "m"
        choice = self.rng.choice
        return f"{choice(FAMILY)} {choice(MIDDLE[sex])} {choice(GIVEN[sex])}"

    def person(
        self, unit: UnitPlan, role: str, key: str, *, username: str = "", **extra: Any
    ) -> PersonPlan:
        username = username or DEMO_USERNAMES[role]
        if username in self.usernames:
            username = base = f"{USERNAME_PREFIX[role]}{key}"
            for n in itertools.count(2):
                if username not in self.usernames:
                    break
                username = f"{base}_{n}"
        self.usernames.add(username)
        female = self.rng.random() < extra.pop("female", 0.6)
        since = extra.pop("since", None) or dt.date(
            self.rng.randint(2010, self.year - 1), 8, self.rng.randint(1, 28)
        )
        plan = PersonPlan(username, self.full_name(female), unit, role, since, **extra)
        self.people.append(plan)
        return plan

    def qualification(self, *weighted: tuple[str, int]) -> str:
        return self.rng.choices([q for q, _ in weighted], [w for _, w in weighted])[0]


def _office_count(schools: int) -> int:
    """A dozen for the default demo, about sixteen schools per office for a province."""
    return max(3, min(round(schools / 2), max(12, round(schools / 16)), 180))


def plan_province(
    schools: int, *, seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> ProvincePlan:
    if not MIN_SCHOOLS <= schools <= MAX_SCHOOLS:
        raise ValueError(f"the demo needs {MIN_SCHOOLS} to {MAX_SCHOOLS} schools, not {schools}")
    p = _Planner(seed, today or timezone.localdate())
    places = p.places(_office_count(schools) + 1)  # one more office: it merges into another
    seat = next((place for place in places if place.startswith("phường")), places[0])
    dept = p.unit(
        UnitKind.DEPARTMENT,
        f"Sở Giáo dục và Đào tạo tỉnh {PROVINCE}",
        None,
        governing_body=f"UBND tỉnh {PROVINCE}",
        address=f"Số 3 đường Lê Thánh Tông, {seat}, tỉnh {PROVINCE}",
        phone="0270 3822 146",
        email=f"sogddt@{MAIL_DOMAIN}",
    )
    partner = p.unit(
        UnitKind.PARTNER,
        f"Thư viện Trường Đại học Sư phạm Kỹ thuật {PROVINCE}",
        dept,
        governing_body=f"Trường Đại học Sư phạm Kỹ thuật {PROVINCE}",  # not the Sở
        address=f"Số 73 đường Nguyễn Huệ, {seat}, tỉnh {PROVINCE}",
        phone=p.phone(),
    )
    offices = [
        p.unit(
            UnitKind.OFFICE,
            f"Phòng Văn hóa – Xã hội {place}",
            dept,
            place=place,
            governing_body=f"UBND {place}",
            address=f"Ủy ban nhân dân {place}, tỉnh {PROVINCE}",
            phone=p.phone(),
        )
        for place in places
    ]
    upper_count = max(3, round(schools * 0.08))
    for index in range(upper_count):
        p.school(LOWER_UPPER if index == 1 else UPPER, dept, p.rng.choice(places))
    p.school(CENTRE, dept, seat)
    kinds = [kind for kind, _ in OFFICE_SCHOOL_WEIGHTS]
    weights = [weight for _, weight in OFFICE_SCHOOL_WEIGHTS]
    for index in range(schools - upper_count - 1):
        kind = [PRIMARY, PRESCHOOL, LOWER, PRIMARY_LOWER][index] if index < 4 else None
        office = offices[index % len(offices)]
        p.school(kind or p.rng.choices(kinds, weights)[0], office, office.place)
    _plan_people(p, dept, partner, offices)
    year = p.year
    moved = next(u for u in p.units if u.parent is offices[1])
    return ProvincePlan(
        units=p.units,
        people=p.people,
        founded=p.founded,
        moved=(moved, offices[2], dt.date(year - 1, 8, 15)),
        merged=(offices[-1], offices[-2], dt.date(year, 7, 1)),
        signers=_plan_signers(p.units, p.people, seed),
    )


def _plan_signers(units: list[UnitPlan], people: list[PersonPlan], seed: int) -> list[SignerPlan]:
    """A head for every unit (a school's is its principal), and a deputy signing "KT." at the
    department and the offices. Names are drawn from a generator of their own, so the rest of
    the province stays as it was."""
    names = _Planner(seed + 1, dt.date(2000, 1, 1))
    principals = {id(p.unit): p.full_name for p in people if p.role == Role.PRINCIPAL}
    signers = []
    for unit in units:
        head, deputy = HEADS[unit.kind]
        name = principals.get(id(unit)) or names.full_name(names.rng.random() < 0.5)
        signers.append(SignerPlan(unit, name, head))
        if deputy:
            name = names.full_name(names.rng.random() < 0.5)
            signers.append(SignerPlan(unit, name, deputy, "KT.", head, is_head=False, order=1))
    return signers


def _plan_people(p: _Planner, dept: UnitPlan, partner: UnitPlan, offices: list[UnitPlan]) -> None:
    p.person(dept, Role.DEPARTMENT_ADMIN, "1", qualification="university")
    for n in range(1, 5):
        qualification = p.qualification(("university", 3), ("college", 1), ("none", 2))
        p.person(dept, Role.DEPARTMENT_OFFICER, str(n), qualification=qualification)
    for n in range(1, 3):
        p.person(partner, Role.TRAINER, str(n), qualification="university")
    for number, office in enumerate(offices, start=1):
        for _ in range(1 if number > 1 and p.rng.random() < 0.5 else 2):
            p.person(office, Role.OFFICE_OFFICER, f"{number:03d}", since=p.founded)
    schools = [u for u in p.units if u.kind == UnitKind.SCHOOL]
    showcase = next(s for s in schools if s.parent is offices[0])  # every demo login's school
    thpt = _thpt_showcase(schools, dept)
    schools.remove(showcase)
    for school in (showcase, *schools):
        code = school.fields["code"]
        logins = THPT_USERNAMES if school is thpt else {}
        p.person(school, Role.PRINCIPAL, code, female=0.5, username=logins.get(Role.PRINCIPAL, ""))
        big = school.stats[-1][1] > 800 or "has_upper_secondary" in school.fields
        librarian = school is showcase or big or p.rng.random() < 0.3
        if librarian:
            qualification = p.qualification(
                ("university", 25), ("college", 35), ("intermediate", 30), ("certificate", 10)
            )
            p.person(
                school,
                Role.LIBRARIAN,
                code,
                female=0.85,
                qualification=qualification,
                username=logins.get(Role.LIBRARIAN, ""),
            )
        if school is showcase or not librarian or p.rng.random() < 0.05:
            qualification = p.qualification(("certificate", 6), ("none", 4))
            p.person(school, Role.TEACHER_LIBRARIAN, code, female=0.75, qualification=qualification)
    readers_at = [showcase, *p.rng.sample(schools, min(len(schools), max(2, len(schools) // 250)))]
    reading_year = min(dt.date(p.year, 9, 5), p.today)
    for school in readers_at:
        code = school.fields["code"]
        students, teachers = (12, 3) if school is showcase else (6, 2)
        for n in range(students + teachers):
            category = ReaderCategory.STUDENT if n < students else ReaderCategory.TEACHER
            key = f"{code}_{n + 1:02d}"
            p.person(school, Role.READER, key, since=reading_year, reader_category=category)


def _thpt_showcase(schools: list[UnitPlan], dept: UnitPlan) -> UnitPlan:
    """The school of the THPT logins: a THPT school directly under the Sở (every such school has
    a librarian), the last of them by name — the training demo has the first send its package
    to the Sở already, so this one's principal still has the package to send."""
    thpt = [s for s in schools if s.parent is dept and s.name.startswith(f"{UPPER.prefix} ")]
    return max(thpt, key=lambda school: school.name)
