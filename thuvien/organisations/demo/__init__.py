"""The demo province: Vĩnh Long after the 2025 reform, built by `manage.py seed_demo`.

The builder first draws a plan (`plan`: plain data from a seeded `random.Random`, using the names
and school types of `names`: one seed, one province), then writes it (`write`) in one of two ways:
up to `BULK_FROM_SCHOOLS` schools through the real use cases in `services`, audited row by row,
like data typed in by hand; above that with `bulk_create` level by level, audit rows included, so
that a 2,000-school province takes seconds, not hours. Either way, one school's move to another
office last year and the merger of two offices are then played through `services.move_unit` and
`services.merge_units`, so the tree has a real history. Then every other app's part of the demo is
seeded (`core.demo`: each app registers its part in `AppConfig.ready()`). `logins` reads back the
logins a newcomer is shown (one per role, a THPT school under the Sở, the event's trainer). This
module is the package's public face: `seed_demo`, `demo_logins`, the tests and the benchmarks
import from here only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from thuvien.core import demo as demo_parts
from thuvien.organisations import services
from thuvien.organisations.demo.logins import Login, demo_logins, logins_text
from thuvien.organisations.demo.names import (
    CENTRE,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    FIGURES,
    HAS_LOW,
    HAS_PRE,
    HAS_PRI,
    HAS_UP,
    LOWER,
    LOWER_UPPER,
    MAIL_DOMAIN,
    OFFICE_SCHOOL_WEIGHTS,
    PRESCHOOL,
    PRIMARY,
    PRIMARY_LOWER,
    PROVINCE,
    ROLE_LABELS_VI,
    THPT_USERNAMES,
    UPPER,
    SchoolType,
)
from thuvien.organisations.demo.plan import (
    DEFAULT_SEED,
    MAX_SCHOOLS,
    MIN_SCHOOLS,
    REFORM_DAY,
    PersonPlan,
    ProvincePlan,
    UnitPlan,
    plan_province,
)
from thuvien.organisations.demo.write import (
    BATCH,
    clear_demo_data,
    write_in_bulk,
    write_with_services,
)

__all__ = [
    "BATCH",
    "BULK_FROM_SCHOOLS",
    "CENTRE",
    "DEFAULT_SCHOOLS",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "FIGURES",
    "HAS_LOW",
    "HAS_PRE",
    "HAS_PRI",
    "HAS_UP",
    "LOWER",
    "LOWER_UPPER",
    "MAIL_DOMAIN",
    "MAX_SCHOOLS",
    "MIN_SCHOOLS",
    "OFFICE_SCHOOL_WEIGHTS",
    "PRESCHOOL",
    "PRIMARY",
    "PRIMARY_LOWER",
    "PROVINCE",
    "REFORM_DAY",
    "ROLE_LABELS_VI",
    "THPT_USERNAMES",
    "UPPER",
    "Login",
    "PersonPlan",
    "ProvincePlan",
    "SchoolType",
    "UnitPlan",
    "build_province",
    "clear_demo_data",
    "demo_logins",
    "logins_text",
    "plan_province",
]

DEFAULT_SCHOOLS = 24
# Read from this module when `build_province` runs, so that patching `demo.BULK_FROM_SCHOOLS`
# (as the tests do) switches writers.
BULK_FROM_SCHOOLS = 200


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
    (write_in_bulk if plan.bulk else write_with_services)(plan, password)
    school, office, day = plan.moved
    services.move_unit(
        school.saved,
        new_parent=office.saved,
        on=day,
        reason="Điều chỉnh địa bàn tuyển sinh sau sắp xếp đơn vị hành chính",
    )
    source, into, day = plan.merged
    services.merge_units(source.saved, into=into.saved, on=day)
    if schools <= 200:
        # The other apps' parts (training campaigns, events) go record by record through their
        # use cases: fine for a small province, far too slow for the bulk path, which skips them.
        demo_parts.seed_parts(today or timezone.localdate(), seed=seed)
    return plan
