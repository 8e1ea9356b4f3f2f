"""The nation for `bench_national`: a Ministry over 34 provinces, about 43,000 schools with their
staff, and one national self-training campaign with a record for every librarian and
teacher-librarian, written in bulk.

The tree has no level above a Sở today (a department is a root), so the nation is written with the
kinds the model has: the Ministry (Bộ GD&ĐT) is the root department, and each province's Sở is an
office-kind unit under it, its staff holding office-officer roles (the role a unit of that kind
takes). Below each Sở is a demo province as `seed_demo` plans it (`demo.plan_province`, written
by `demo.write_in_bulk`): its commune/ward offices, its schools with their counts, a principal and
library staff for every school, readers at a few; one school's move and one merger of offices are
then played through the services, as in the demo. The first province is the 2,000-school demo
province itself (same seed, same tree), so its pages can be compared with the province benchmarks;
the others get their own seed, name, Ministry codes (two digits of their own) and usernames
(`p07_…`).

The campaign is issued by the Ministry to every librarian and teacher-librarian, published through
the services (enrolment of everyone targeted), then its records are put at every stage in bulk as
`training_seed` does (not started, submitted on time and late, returned, evaluated on every grade),
a third of the schools send their package, a quarter of the offices their report.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from training_seed import _campaign, _packages, _stages

from thuvien.organisations import demo, services
from thuvien.organisations.demo import write as demo_write
from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.training.models import Campaign, Enrolment, UnitReport, UnitReportStatus

# After the 2025 merger of provinces: 34 provinces and cities. The demo province comes first.
PROVINCES = (
    "Vĩnh Long", "Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
    "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
    "Hưng Yên", "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
HOME_SCHOOLS = 2000  # the first province: the province benchmarks' size and seed
MINISTRY = "Bộ Giáo dục và Đào tạo"
MINISTRY_ADMIN = "bo_admin"
# A Sở's people hold the role of the unit kind the Sở is written as (see the module docstring).
SO_ROLES = {
    Role.DEPARTMENT_ADMIN: Role.OFFICE_OFFICER,
    Role.DEPARTMENT_OFFICER: Role.OFFICE_OFFICER,
}


def province_sizes(total: int) -> list[int]:
    """Schools per province: the demo province's 2,000, the rest spread unevenly over the 33
    others (Hà Nội and Hồ Chí Minh City the largest, the others a drawn weight each)."""
    rest = total - HOME_SCHOOLS
    others = len(PROVINCES) - 1
    if rest < others * demo.MIN_SCHOOLS:
        raise ValueError(f"a nation of {len(PROVINCES)} provinces needs more than {total} schools")
    rng = random.Random(43)
    weights = [2.3, 2.4] + [rng.uniform(0.4, 1.8) for _ in range(others - 2)]  # the two cities
    spare = rest - others * demo.MIN_SCHOOLS  # above the smallest province the demo plans
    sizes = [demo.MIN_SCHOOLS + spare * w // sum(weights) for w in weights]
    sizes[0] += rest - sum(sizes)  # rounding down: the capital takes the difference
    return [HOME_SCHOOLS, *(int(size) for size in sizes)]


def add_ministry() -> Unit:
    """The root of the nation and its administrator (who sees every school)."""
    with transaction.atomic():
        root = services.create_unit(
            kind=UnitKind.DEPARTMENT,
            name=MINISTRY,
            parent=None,
            on=dt.date(2024, 7, 1),
            address="Số 35 đường Đại Cồ Việt, phường Hai Bà Trưng, thành phố Hà Nội",
        )
        user = get_user_model().objects.create(
            username=MINISTRY_ADMIN,
            email=f"{MINISTRY_ADMIN}@moet.bench.invalid",
            full_name="Quản trị Bộ",
            password=make_password(None),
        )
        services.add_membership(user, root, Role.DEPARTMENT_ADMIN, valid_from=dt.date(2024, 7, 1))
    return root


def add_provinces(
    root: Unit, numbers: Iterable[int], sizes: list[int], today: dt.date
) -> dict[int, float]:
    """Write the provinces numbered `numbers` (0 is the demo province) under `root`; returns
    number → seconds it took."""
    password = make_password(demo.DEMO_PASSWORD)  # hashed once, as the demo does
    took = {}
    for number in numbers:
        started = time.perf_counter()
        _add_province(root, number, sizes[number], password, today)
        took[number] = time.perf_counter() - started
    return took


@transaction.atomic
def _add_province(root: Unit, number: int, schools: int, password: str, today: dt.date) -> None:
    seed = demo.DEFAULT_SEED + number
    plan = demo.plan_province(schools, seed=seed, today=today)
    name = PROVINCES[number]
    ministry = demo.UnitPlan(UnitKind.DEPARTMENT, root.name, None, unit=root)
    for spec in plan.units:
        if spec.parent is None:  # the Sở, or a partner at the root: under the Ministry
            spec.parent = ministry
            if spec.kind == UnitKind.DEPARTMENT:
                spec.kind = UnitKind.OFFICE
        if number:
            spec.name = spec.name.replace(demo.PROVINCE, name)
            if "address" in spec.fields:
                spec.fields["address"] = spec.fields["address"].replace(demo.PROVINCE, name)
            if spec.fields.get("code"):
                code = f"{number:02d}{spec.fields['code'][2:]}"
                spec.fields["code"], spec.fields["email"] = code, f"c{code}@{demo.MAIL_DOMAIN}"
    for person in plan.people:
        person.role = SO_ROLES.get(person.role, person.role)
        if number:
            person.username = f"p{number:02d}_{person.username}"
    demo_write.write_in_bulk(plan, password)
    school, office, day = plan.moved
    services.move_unit(school.saved, new_parent=office.saved, on=day, reason="Điều chỉnh địa bàn")
    source, into, day = plan.merged
    services.merge_units(source.saved, into=into.saved, on=day)


def national_campaign(root: Unit, today: dt.date) -> Campaign:
    """The Ministry's campaign to every librarian and teacher-librarian there is now, published
    through the services and put at every stage (see `stage_new_records`)."""
    by = Membership.objects.get(unit=root, role=Role.DEPARTMENT_ADMIN).user
    with transaction.atomic():
        campaign = _campaign(root, by, today)
        from thuvien.training import services as training

        training.publish_campaign(campaign, by=by, on=today - dt.timedelta(days=120))
        stage_new_records(campaign, today, since_pk=0)
    return campaign


def grow_campaign(campaign: Campaign, today: dt.date) -> int:
    """Enrol the people of the provinces added since (the daily run's `sync_enrolments`), then
    stage their records; returns how many were enrolled."""
    from thuvien.training import services as training

    last = Enrolment.objects.filter(campaign=campaign).order_by("-pk").values_list("pk", flat=True)
    since = last.first() or 0
    with transaction.atomic():
        enrolled = training.sync_enrolments(campaign, on=campaign.issued_on).enrolled
        stage_new_records(campaign, today, since_pk=since)
    return enrolled


def stage_new_records(campaign: Campaign, today: dt.date, *, since_pk: int) -> None:
    """Stages, packages and office reports for the records after `since_pk` (training_seed's)."""
    records = list(
        Enrolment.objects.filter(campaign=campaign, pk__gt=since_pk)
        .select_related("school")
        .order_by("pk")
    )
    if not records:
        return
    by = campaign.created_by
    schools = _stages(campaign, records, today)
    _packages(campaign, records, schools, today, by)
    reported = UnitReport.objects.filter(campaign=campaign).values("unit_id")
    offices = (
        Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True)
        .exclude(pk__in=reported)
        .filter(path__startswith=campaign.issuer.path)
        .order_by("pk")
    )
    sent = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(10)))
    UnitReport.objects.bulk_create(
        UnitReport(
            campaign=campaign,
            unit=office,
            results="Các trường đã hoàn thành kế hoạch tự bồi dưỡng.",
            status=UnitReportStatus.SUBMITTED,
            submitted_at=sent,
            submitted_by=by,
            submitted_to_id=office.parent_id,
        )
        for office in list(offices)[::4]
    )
