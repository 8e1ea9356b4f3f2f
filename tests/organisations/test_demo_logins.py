"""`demo_logins`: one login per role, a THPT school directly under the Sở and the trainer who
organises the demo's event, after the site's address and where the e-mail goes; `--save` writes
what is printed. One small province with the events' part of the demo, seeded once for the module
and rolled back after it (each test in a savepoint)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from thuvien.core import demo as demo_parts
from thuvien.events.models import Event
from thuvien.organisations import demo
from thuvien.organisations.models import Membership, Role, Unit, UnitKind

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@pytest.fixture(scope="module")
def province(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[None]:
    """The smallest province with its events (the training part is not needed here)."""
    test_settings = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=FAST_HASHERS
    )
    events_only = demo_parts.only("events")
    with test_settings, events_only, django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--schools", str(demo.MIN_SCHOOLS), stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(province: None, db: None) -> None:
    return None


def logins(*args: str) -> list[str]:
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("demo_logins", *args, stdout=out)
    return out.getvalue().splitlines()


def row(lines: list[str], username: str) -> str:
    return next(line for line in lines if f"  {username}  " in line)


def cells(line: str) -> list[str]:
    """A row's label, username, password and unit (columns are two spaces apart or more)."""
    return re.split(r"\s{2,}", line.strip())


def membership(username: str, role: str) -> Membership:
    return (
        Membership.objects.current()
        .select_related("unit__parent")
        .get(user__username=username, role=role)
    )


def test_every_role_has_a_row_with_the_demo_password_and_its_unit(seeded):
    lines = logins()
    for role, username in demo.DEMO_USERNAMES.items():
        if role == Role.TRAINER:
            continue  # the event's trainer: below
        line = row(lines, username)
        assert line.strip().startswith(demo.ROLE_LABELS_VI[role])
        assert demo.DEMO_PASSWORD in line
        assert line.endswith(membership(username, role).unit.name)
    roles = {demo.ROLE_LABELS_VI[r] for r in Role.values if r != Role.TRAINER}
    assert all(any(line.strip().startswith(label) for line in lines) for label in roles)


def test_the_thpt_logins_are_a_thpt_school_directly_under_the_department(seeded):
    lines = logins()
    for role, username in demo.THPT_USERNAMES.items():
        line = row(lines, username)
        school = membership(username, role).unit
        assert school.parent is not None and school.parent.kind == UnitKind.DEPARTMENT
        assert school.name.startswith("Trường THPT ") and school.has_upper_secondary
        assert "THPT trực thuộc Sở" in line and line.endswith(school.name)
        assert demo.DEMO_PASSWORD in line
    principal = membership(demo.THPT_USERNAMES[Role.PRINCIPAL], Role.PRINCIPAL)
    librarian = membership(demo.THPT_USERNAMES[Role.LIBRARIAN], Role.LIBRARIAN)
    assert principal.unit == librarian.unit


def test_the_trainer_is_the_one_who_organises_the_demo_event(seeded):
    lines = logins()
    trainers = [line for line in lines if "Giảng viên" in line]
    assert len(trainers) == 1
    _label, username, _password, _unit = cells(trainers[0])
    organiser = membership(username, Role.TRAINER).unit
    assert organiser.kind == UnitKind.PARTNER
    assert Event.objects.filter(organiser=organiser).exists()
    assert trainers[0].endswith(organiser.name)
    # The province's own partner organises nothing: its trainer is not the one shown.
    assert f"  {demo.DEMO_USERNAMES[Role.TRAINER]}  " not in trainers[0]


def test_without_the_organisers_trainer_the_row_is_the_roles_first_member(seeded):
    organisers = Event.objects.values("organiser")
    shown = Membership.objects.current().filter(role=Role.TRAINER, unit__in=organisers)
    shown.update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    line = row(logins(), demo.DEMO_USERNAMES[Role.TRAINER])
    assert line.strip().startswith(demo.ROLE_LABELS_VI[Role.TRAINER])


def test_an_inactive_account_is_not_offered(seeded):
    get_user_model().objects.filter(username=demo.THPT_USERNAMES[Role.PRINCIPAL]).update(
        is_active=False
    )
    lines = logins()
    assert not any(f"  {demo.THPT_USERNAMES[Role.PRINCIPAL]}  " in line for line in lines)
    other = next(line for line in lines if line.strip().startswith("Hiệu trưởng trường THPT"))
    username = cells(other)[1]
    school = membership(username, Role.PRINCIPAL).unit
    assert school.parent == Unit.objects.get(kind=UnitKind.DEPARTMENT)
    assert school.has_upper_secondary


def test_the_header_names_the_site_and_the_mail_folder_and_the_table_comes_last(seeded, tmp_path):
    site = "http://127.0.0.1:8766"
    with override_settings(SITE_URL=site, EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=tmp_path):
        lines = logins()
    assert f"{site}/" in lines[0]
    assert f"{tmp_path.resolve()}/" in lines[1] and f"{site}/" in lines[1]
    table = lines[lines.index(next(x for x in lines if x.strip().startswith("Vai trò"))) + 1 :]
    assert len(table) == len(demo.demo_logins()) >= len(Role.values) + 2
    assert all(demo.DEMO_PASSWORD in line for line in table)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"):
        assert "console" in logins()[1]


def test_save_writes_exactly_what_is_printed(seeded, tmp_path):
    target = tmp_path / "var" / "demo-logins.txt"
    printed = logins("--save", str(target))
    assert Path(target).read_text(encoding="utf-8").splitlines() == printed
