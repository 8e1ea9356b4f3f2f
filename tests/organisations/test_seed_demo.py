"""`seed_demo` builds a realistic province by both writers; `demo_logins` tells the truth.

Each writer seeds once for the whole module (`province`); the tests read it, and what a test
changes (a reset, a password) is rolled back after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from thuvien.core import demo as demo_parts
from thuvien.core.folding import fold
from thuvien.organisations import demo
from thuvien.organisations.models import (
    Membership,
    ReaderCategory,
    Role,
    SchoolYearStats,
    Unit,
    UnitKind,
    current_school_year,
)

SCHOOLS = 12
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int, int]:
    return (
        Unit.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        SchoolYearStats.objects.count(),
    )


@pytest.fixture(scope="module", params=["services", "bulk"])
def province(
    request: Any, django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[str, str]]:
    """A 12-school province written through the use cases, and again through bulk inserts: seeded
    once for the tests of this module and rolled back after them (each test in a savepoint). The
    units and people alone: the other apps' parts of the demo are their tests' (test_demo.py,
    test_event_demo.py)."""
    # The suite's hasher (tests/conftest.py), so that `demo_logins` can check the password.
    test_settings = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=FAST_HASHERS
    )
    alone = demo_parts.only()
    with pytest.MonkeyPatch.context() as patch, test_settings, alone, django_db_blocker.unblock():
        if request.param == "bulk":
            patch.setattr(demo, "BULK_FROM_SCHOOLS", SCHOOLS)
        with transaction.atomic():
            output = _seed("--schools", str(SCHOOLS))
            yield request.param, output
            transaction.set_rollback(True)


@pytest.fixture
def seeded(province: tuple[str, str], db: None) -> str:
    """The province's writer, in a savepoint of this test (the bulk writer stays patched in)."""
    return province[0]


def test_each_writer_says_which_it_is(province):
    writer, output = province
    assert ("bulk insert" in output) is (writer == "bulk")
    assert f"({SCHOOLS} schools" in output


def test_every_role_has_a_current_member(seeded):
    roles = set(Membership.objects.current().values_list("role", flat=True))
    assert roles == set(Role.values)
    readers = Membership.objects.current().filter(role=Role.READER)
    categories = set(readers.values_list("reader_category", flat=True))
    assert categories == {ReaderCategory.STUDENT, ReaderCategory.TEACHER}


def test_every_kind_exists_and_the_requested_schools(seeded):
    assert set(Unit.objects.values_list("kind", flat=True)) == set(UnitKind.values)
    assert Unit.objects.schools().count() == SCHOOLS
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 1


def test_upper_secondary_schools_centre_and_partner_sit_under_the_department(seeded):
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    under_department = Unit.objects.filter(parent=department)
    thpt = Unit.objects.filter(name__startswith="Trường THPT")
    assert thpt.count() >= 2
    assert set(thpt) <= set(under_department)
    assert under_department.filter(name__startswith="Trung tâm GDNN-GDTX").count() == 1
    assert under_department.filter(kind=UnitKind.PARTNER, name__startswith="Thư viện").exists()
    assert not Unit.objects.schools().filter(has_upper_secondary=True, parent__kind="office")


def test_schools_of_every_tier_including_multi_tier_under_the_offices(seeded):
    below_offices = Unit.objects.schools().filter(parent__kind=UnitKind.OFFICE)
    for tier in Unit.TIER_FIELDS:
        assert Unit.objects.schools().with_tier(tier).exists(), tier
    assert below_offices.filter(has_preschool=True).exists()
    assert below_offices.filter(has_primary=True, has_lower_secondary=True).exists()
    assert any(school.is_multi_tier for school in Unit.objects.schools())


def test_every_school_has_a_tier_two_years_of_counts_and_library_staff(seeded):
    year = current_school_year()
    for school in Unit.objects.schools():
        assert school.tiers, school
        stats = {s.year: s for s in school.year_stats.all()}
        assert set(stats) == {year - 1, year}, school
        assert all(s.students > 0 and s.teachers > 0 and s.classes for s in stats.values())
        roles = set(Membership.objects.current().filter(unit=school).values_list("role", flat=True))
        assert Role.PRINCIPAL in roles, school
        assert roles & {Role.LIBRARIAN, Role.TEACHER_LIBRARIAN}, school


def test_paths_depths_and_folded_names_match_the_tree(seeded):
    for unit in Unit.objects.select_related("parent"):
        parent = unit.parent
        assert unit.path == (parent.path if parent else "/") + f"{unit.pk}/"
        assert unit.depth == (parent.depth + 1 if parent else 0)
        assert unit.name_folded == fold(unit.name)
        assert unit.parent_links.filter(valid_to__isnull=True).count() == (
            1 if unit.is_active else 0
        )


def test_names_are_vietnamese_with_diacritics(seeded):
    assert all(not unit.name.isascii() for unit in Unit.objects.all())
    names = [user.full_name for user in get_user_model().objects.all()]
    assert len([name for name in names if not name.isascii()]) > 0.9 * len(names)
    assert all(len(name.split()) == 3 for name in names)
    offices = Unit.objects.filter(kind=UnitKind.OFFICE)
    assert all(office.name.startswith("Phòng Văn hóa – Xã hội ") for office in offices)
    assert len({unit.name for unit in Unit.objects.all()}) == Unit.objects.count()


def test_qualifications_are_varied(seeded):
    librarians = get_user_model().objects.filter(memberships__role=Role.LIBRARIAN)
    assert len(set(librarians.values_list("qualification", flat=True))) >= 2
    assert not librarians.filter(qualification="none").exists()


def test_one_school_moved_last_year_and_two_offices_merged(seeded):
    moved = Unit.objects.schools().filter(
        parent_links__valid_to__isnull=False, parent_links__parent__is_active=True
    )
    assert moved.count() == 1
    school = moved.get()
    closed = school.parent_links.get(valid_to__isnull=False)
    assert closed.valid_to.year == current_school_year() - 1
    assert school.parent_on(closed.valid_to - dt.timedelta(days=1)) == closed.parent
    assert school.parent_on(timezone.localdate()) == school.parent != closed.parent

    merged = Unit.objects.get(kind=UnitKind.OFFICE, is_active=False)
    assert merged.merged_into is not None and merged.merged_into.is_active
    assert not merged.children.filter(is_active=True).exists()
    assert not Membership.objects.current().filter(unit=merged).exists()
    assert Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True).count() >= 3


def test_if_empty_on_a_seeded_database_creates_nothing(seeded):
    before = _counts()
    output = _seed("--if-empty", "--schools", "30")
    assert "nothing was seeded" in output
    assert _counts() == before


def test_seeding_a_non_empty_database_is_refused(seeded):
    before = _counts()
    with pytest.raises(CommandError, match="--if-empty"):
        _seed()
    assert _counts() == before


def test_reset_replaces_the_demo_with_the_same_province(seeded):
    staff = get_user_model().objects.create_user("admin", "admin@example.org", is_staff=True)
    before, history_before = _counts(), Unit.history.count()
    old_ids = set(Unit.objects.values_list("pk", flat=True))
    output = _seed("--reset", "--schools", str(SCHOOLS))
    assert "Deleted" in output
    assert _counts() == before
    assert not old_ids & set(Unit.objects.values_list("pk", flat=True))
    assert get_user_model().objects.filter(pk=staff.pk).exists()
    assert Unit.history.count() == history_before  # the old units' history went with them


def test_demo_logins_lists_every_role_with_the_password(seeded):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    for role, username in demo.DEMO_USERNAMES.items():
        line = next(line for line in lines if f" {username} " in line)
        assert demo.ROLE_LABELS_VI[role] in line
        assert demo.DEMO_PASSWORD in line
        unit = Membership.objects.current().get(user__username=username, role=role).unit
        assert line.endswith(unit.name)


def test_demo_logins_does_not_claim_a_changed_password(seeded):
    user = get_user_model().objects.get(username="thuvien")
    user.set_password("another-password-2026")
    user.save()
    out = StringIO()
    call_command("demo_logins", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if " thuvien " in line)
    assert demo.DEMO_PASSWORD not in line


def test_same_seed_same_province_other_seed_another():
    today = dt.date(2026, 11, 21)
    first = demo.plan_province(24, seed=7, today=today)
    again = demo.plan_province(24, seed=7, today=today)
    other = demo.plan_province(24, seed=8, today=today)
    assert [u.name for u in first.units] == [u.name for u in again.units]
    assert [p.full_name for p in first.people] == [p.full_name for p in again.people]
    assert [u.name for u in first.units] != [u.name for u in other.units]


def test_default_demo_has_a_dozen_offices_after_the_merger():
    plan = demo.plan_province(demo.DEFAULT_SCHOOLS)
    offices = [u for u in plan.units if u.kind == UnitKind.OFFICE]
    assert len(offices) - 1 == 12


def test_a_province_size_plan_keeps_names_codes_and_logins_unique():
    plan = demo.plan_province(2000)
    assert len(plan.schools) == 2000
    names = [u.name for u in plan.units]
    codes = [u.fields["code"] for u in plan.schools]
    usernames = [p.username for p in plan.people]
    assert len(set(names)) == len(names)
    assert len(set(codes)) == len(codes)
    assert len(set(usernames)) == len(usernames)
    assert 100 <= len([u for u in plan.units if u.kind == UnitKind.OFFICE]) <= 181
