"""The demo province: Vĩnh Long after the 2025 reform, built by `manage.py seed_demo`.

The builder first draws a plan (plain data from a seeded `random.Random`: one seed, one province),
then writes it in one of two ways:

- up to `BULK_FROM_SCHOOLS` schools, through the real use cases in `services`, audited row by row,
  like data typed in by hand;
- above that, with `bulk_create` level by level (path, depth and name_folded computed here, one
  password hash for everyone), so that a 2,000-school province takes seconds, not hours. The audit
  rows are written in bulk as well (`bulk_history_create`), so history pages still work.

Either way, one school's move to another office last year and the merger of two offices are then
played through `services.move_unit` and `services.merge_units`, so the tree has a real history.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from thuvien.core.folding import fold
from thuvien.organisations import services
from thuvien.organisations.models import (
    Membership,
    ReaderCategory,
    Role,
    SchoolYearStats,
    Unit,
    UnitKind,
    UnitParentLink,
    current_school_year,
)

DEMO_PASSWORD = "thuvien-demo"  # noqa: S105 — published: every demo account uses it
DEFAULT_SCHOOLS = 24
MIN_SCHOOLS = 8
MAX_SCHOOLS = 50_000
BULK_FROM_SCHOOLS = 200
DEFAULT_SEED = 2025
REFORM_DAY = dt.date(2025, 7, 1)  # two-tier local government: commune/ward offices begin
PROVINCE = "Vĩnh Long"
MAIL_DOMAIN = "vinhlong.edu.vn"
BATCH = 500

# The login shown for each role: the first member of that role in the demo.
DEMO_USERNAMES: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: "so_admin",
    Role.DEPARTMENT_OFFICER: "so_canbo",
    Role.OFFICE_OFFICER: "phong_canbo",
    Role.PRINCIPAL: "hieutruong",
    Role.LIBRARIAN: "thuvien",
    Role.TEACHER_LIBRARIAN: "gvkiemnhiem",
    Role.TRAINER: "giangvien",
    Role.READER: "bandoc",
}
# Vietnamese on purpose: `demo_logins` speaks to the person starting the demo, whatever the locale.
ROLE_LABELS_VI: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: "Quản trị Sở GD&ĐT",
    Role.DEPARTMENT_OFFICER: "Cán bộ Sở (tổ nghiệp vụ thư viện)",
    Role.OFFICE_OFFICER: "Cán bộ Phòng Văn hóa – Xã hội",
    Role.PRINCIPAL: "Hiệu trưởng",
    Role.LIBRARIAN: "Nhân viên thư viện",
    Role.TEACHER_LIBRARIAN: "Giáo viên kiêm nhiệm thư viện",
    Role.TRAINER: "Giảng viên (đơn vị đối tác)",
    Role.READER: "Bạn đọc (học sinh)",
}
_USERNAME_PREFIX: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: "so_qt",
    Role.DEPARTMENT_OFFICER: "so_cb",
    Role.OFFICE_OFFICER: "vhxh",
    Role.PRINCIPAL: "ht",
    Role.LIBRARIAN: "tv",
    Role.TEACHER_LIBRARIAN: "gvkn",
    Role.TRAINER: "gv_dh",
    Role.READER: "bd",
}


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.replace("\n", " ").split(", "))


_PLACE_WORDS = _names(
    "Tân, Long, Phú, An, Hòa, Bình, Thạnh, Mỹ, Phước, Hưng, Thới, Lộc, Thuận, Hiệp"
)
FIGURES = _names(
    "Nguyễn Du, Lê Lợi, Trần Hưng Đạo, Võ Thị Sáu, Nguyễn Trãi, Lý Thường Kiệt, Quang Trung, "
    "Hai Bà Trưng, Bà Triệu, Ngô Quyền, Đinh Tiên Hoàng, Lê Quý Đôn, Chu Văn An, "
    "Nguyễn Đình Chiểu, Phan Bội Châu, Phan Châu Trinh, Trần Phú, Lê Hồng Phong, "
    "Nguyễn Thị Minh Khai, Võ Trường Toản, Trương Định, Nguyễn Trung Trực, Lê Văn Tám, Kim Đồng, "
    "Nguyễn Văn Trỗi, Hùng Vương, Lý Tự Trọng, Trần Quốc Toản, Tô Hiến Thành, Phạm Ngũ Lão, "
    "Nguyễn Bỉnh Khiêm, Lương Thế Vinh, Hoàng Hoa Thám, Nguyễn Huệ, Trần Đại Nghĩa, Lưu Văn Liệt, "
    "Phan Văn Trị, Nguyễn Thông, Trương Vĩnh Ký, Huỳnh Thúc Kháng, Nguyễn Khuyến, Tô Vĩnh Diện, "
    "Bế Văn Đàn, Mạc Đĩnh Chi, Lê Thánh Tông, Trần Quang Khải, Yết Kiêu, Đoàn Thị Điểm, "
    "Nguyễn Thị Định, Phan Đình Phùng, Hồ Xuân Hương, Nguyễn Văn Cừ, Lê Anh Xuân, Trần Văn Ơn, "
    "Nguyễn Chí Thanh, Võ Văn Kiệt, Phạm Hùng"
)
_PRESCHOOL_NAMES = _names(
    "Hoa Sen, Hoa Mai, Họa Mi, Sơn Ca, Vàng Anh, Tuổi Thơ, Măng Non, Bình Minh, Hướng Dương, "
    "Ánh Dương, Hoa Phượng, Hoa Cúc, Sao Mai, Rạng Đông, Hoa Hồng, Thỏ Ngọc, Bông Sen, Hoa Lan"
)
# Family names weighted roughly as in the Mekong Delta.
_FAMILY = _names(
    "Nguyễn, Nguyễn, Nguyễn, Nguyễn, Nguyễn, Nguyễn, Trần, Trần, Lê, Lê, Phạm, Huỳnh, Huỳnh, Võ, "
    "Phan, Trương, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đoàn, Lâm, Châu, Thái, Tô"
)
_MIDDLE = {
    "f": _names("Thị, Thị, Thị, Thị, Ngọc, Thanh, Thu, Kim, Mỹ, Bảo, Hồng, Diễm"),
    "m": _names("Văn, Văn, Văn, Minh, Hữu, Quốc, Thanh, Đức, Công, Hoàng, Trung"),
}
_GIVEN = {
    "f": _names(
        "Lan, Hương, Hoa, Mai, Trang, Thảo, Ngân, Nhung, Hạnh, Linh, Phương, Yến, Trinh, Tuyết, "
        "Hằng, Diễm, Thủy, Vy, Nhi, Ngọc, Loan, Huyền, Oanh, Châu, Tiên, Hân"
    ),
    "m": _names(
        "Hùng, Dũng, Tuấn, Minh, Phúc, Khang, Bảo, Long, Tâm, Thành, Hải, Sơn, Trí, Nghĩa, Hiếu, "
        "Toàn, Phát, Lộc, Khoa, Đạt, Nhân, Thiện, Quang, Vinh, Tài"
    ),
}


@dataclass(frozen=True)
class SchoolType:
    prefix: str
    tiers: tuple[str, ...]
    students: tuple[int, int]
    per_teacher: int
    per_class: int
    names: tuple[str, ...] = FIGURES


HAS_PRE, HAS_PRI, HAS_LOW, HAS_UP = (
    "has_preschool",
    "has_primary",
    "has_lower_secondary",
    "has_upper_secondary",
)
PRESCHOOL = SchoolType("Trường Mầm non", (HAS_PRE,), (120, 450), 12, 26, _PRESCHOOL_NAMES)
PRIMARY = SchoolType("Trường Tiểu học", (HAS_PRI,), (250, 1300), 21, 33)
LOWER = SchoolType("Trường THCS", (HAS_LOW,), (300, 1500), 19, 40)
PRIMARY_LOWER = SchoolType("Trường TH&THCS", (HAS_PRI, HAS_LOW), (250, 900), 20, 32)
LOWER_UPPER = SchoolType("Trường THCS và THPT", (HAS_LOW, HAS_UP), (500, 1200), 19, 40)
UPPER = SchoolType("Trường THPT", (HAS_UP,), (700, 2200), 19, 42)
CENTRE = SchoolType("Trung tâm GDNN-GDTX", (HAS_UP,), (300, 900), 25, 40, names=())
# Schools under the commune/ward offices, by how common they are.
OFFICE_SCHOOL_WEIGHTS = ((PRESCHOOL, 36), (PRIMARY, 34), (LOWER, 24), (PRIMARY_LOWER, 6))


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


@dataclass
class ProvincePlan:
    units: list[UnitPlan]
    people: list[PersonPlan]
    founded: dt.date
    moved: tuple[UnitPlan, UnitPlan, dt.date]  # school, new office, day
    merged: tuple[UnitPlan, UnitPlan, dt.date]  # office, into office, day
    bulk: bool = False

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
        pairs = [f"{a} {b}" for a, b in itertools.permutations(_PLACE_WORDS, 2)]
        self.rng.shuffle(pairs)
        return [f"{'phường' if self.rng.random() < 0.35 else 'xã'} {p}" for p in pairs[:count]]

    def address(self, place: str) -> str:
        if place.startswith("phường"):
            street = f"Số {self.rng.randint(1, 250)} đường {self.rng.choice(FIGURES)}"
        else:
            street = "Ấp " + " ".join(self.rng.sample(_PLACE_WORDS, 2))
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
        return f"{choice(_FAMILY)} {choice(_MIDDLE[sex])} {choice(_GIVEN[sex])}"

    def person(self, unit: UnitPlan, role: str, key: str, **extra: Any) -> PersonPlan:
        username = DEMO_USERNAMES[role]
        if username in self.usernames:
            username = base = f"{_USERNAME_PREFIX[role]}{key}"
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
        address=f"Số 3 đường Lê Thánh Tông, {seat}, tỉnh {PROVINCE}",
        phone="0270 3822 146",
        email=f"sogddt@{MAIL_DOMAIN}",
    )
    partner = p.unit(
        UnitKind.PARTNER,
        f"Thư viện Trường Đại học Sư phạm Kỹ thuật {PROVINCE}",
        dept,
        address=f"Số 73 đường Nguyễn Huệ, {seat}, tỉnh {PROVINCE}",
        phone=p.phone(),
    )
    offices = [
        p.unit(
            UnitKind.OFFICE,
            f"Phòng Văn hóa – Xã hội {place}",
            dept,
            place=place,
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
    )


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
    schools.remove(showcase)
    for school in (showcase, *schools):
        code = school.fields["code"]
        p.person(school, Role.PRINCIPAL, code, female=0.5)
        big = school.stats[-1][1] > 800 or "has_upper_secondary" in school.fields
        librarian = school is showcase or big or p.rng.random() < 0.3
        if librarian:
            qualification = p.qualification(
                ("university", 25), ("college", 35), ("intermediate", 30), ("certificate", 10)
            )
            p.person(school, Role.LIBRARIAN, code, female=0.85, qualification=qualification)
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


@transaction.atomic
def build_province(
    schools: int = DEFAULT_SCHOOLS,
    *,
    seed: int = DEFAULT_SEED,
    bulk: bool | None = None,
    today: dt.date | None = None,
) -> ProvincePlan:
    """Plan and write the demo province; `bulk` defaults to bulk writing for large provinces."""
    plan = plan_province(schools, seed=seed, today=today)
    plan.bulk = schools >= BULK_FROM_SCHOOLS if bulk is None else bulk
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    (_write_in_bulk if plan.bulk else _write_with_services)(plan, password)
    school, office, day = plan.moved
    services.move_unit(
        school.saved,
        new_parent=office.saved,
        on=day,
        reason="Điều chỉnh địa bàn tuyển sinh sau sắp xếp đơn vị hành chính",
    )
    source, into, day = plan.merged
    services.merge_units(source.saved, into=into.saved, on=day)
    return plan


def _write_with_services(plan: ProvincePlan, password: str) -> None:
    for spec in plan.units:
        parent = spec.parent.saved if spec.parent else None
        spec.unit = services.create_unit(
            kind=spec.kind, name=spec.name, parent=parent, on=plan.founded, **spec.fields
        )
        for year, students, teachers, classes in spec.stats:
            services.set_year_stats(
                spec.unit, year=year, students=students, teachers=teachers, classes=classes
            )
    for person in plan.people:
        user = get_user_model().objects.create(**_user_fields(person, password))
        services.add_membership(
            user,
            person.unit.saved,
            person.role,
            valid_from=person.since,
            reader_category=person.reader_category,
        )


def _user_fields(person: PersonPlan, password: str) -> dict[str, Any]:
    students = person.reader_category == ReaderCategory.STUDENT
    return {
        "username": person.username,
        "email": "" if students else f"{person.username}@{MAIL_DOMAIN}",
        "full_name": person.full_name,
        "qualification": person.qualification,
        "password": password,
    }


def _write_in_bulk(plan: ProvincePlan, password: str) -> None:
    """The same rows as `_write_with_services`, written a level of the tree at a time: a unit's
    path holds its own id, which the database gives only on insert."""
    levels: dict[int, list[UnitPlan]] = {}
    for spec in plan.units:
        levels.setdefault(spec.depth, []).append(spec)
    for depth in sorted(levels):
        for spec in levels[depth]:
            spec.unit = Unit(
                kind=spec.kind,
                name=spec.name,
                name_folded=fold(spec.name),  # Unit.save keeps it; bulk_create skips save
                parent=spec.parent.saved if spec.parent else None,
                depth=depth,
                **spec.fields,
            )
        units = [spec.saved for spec in levels[depth]]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        for unit in units:
            unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        Unit.objects.bulk_update(units, ["path"], batch_size=BATCH)
    _bulk(Unit, [spec.saved for spec in plan.units], created=False)
    _bulk(
        UnitParentLink,
        [
            UnitParentLink(
                unit=spec.saved,
                parent=spec.parent.saved if spec.parent else None,
                valid_from=plan.founded,
            )
            for spec in plan.units
        ],
    )
    _bulk(
        SchoolYearStats,
        [
            SchoolYearStats(school=spec.saved, year=y, students=s, teachers=t, classes=c)
            for spec in plan.schools
            for y, s, t, c in spec.stats
        ],
    )
    user_model = get_user_model()
    users = [user_model(**_user_fields(person, password)) for person in plan.people]
    _bulk(user_model, users)
    _bulk(
        Membership,
        [
            Membership(
                user=user,
                unit=person.unit.saved,
                role=person.role,
                reader_category=person.reader_category,
                valid_from=person.since,
            )
            for person, user in zip(plan.people, users, strict=True)
        ],
    )


def _bulk(model: type[models.Model], rows: list[Any], *, created: bool = True) -> None:
    """Insert `rows` (unless already `created`) and their "created" audit rows."""
    if created:
        model._default_manager.bulk_create(rows, batch_size=BATCH)
    model.history.bulk_history_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]


@transaction.atomic
def clear_demo_data() -> None:
    """Delete every unit and membership, every account that is not staff, and their audit rows.

    For development databases only (`seed_demo --reset`)."""
    user_model = get_user_model()
    Membership.objects.all().delete()
    UnitParentLink.objects.all().delete()
    SchoolYearStats.objects.all().delete()
    Unit.objects.update(parent=None, merged_into=None)
    Unit.objects.all().delete()
    user_model._default_manager.filter(is_staff=False, is_superuser=False).delete()
    for model in (Membership, UnitParentLink, SchoolYearStats, Unit):
        model.history.all().delete()
    user_model.history.exclude(id__in=user_model._default_manager.values("pk")).delete()
