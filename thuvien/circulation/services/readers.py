"""Readers: one added or changed by hand, and the start of a school year (everyone promoted to
the next grade, the leavers deactivated) in one action."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.circulation.models import Reader, ReaderKind
from thuvien.circulation.services.errors import CirculationError
from thuvien.organisations.models import Unit

_CODE = re.compile(r"^[0-9A-Za-z._-]{1,30}$")
_FIELDS = ("kind", "code", "full_name", "birth_date", "class_name", "grade", "school_year")


def save_reader(school: Unit, *, reader: Reader | None = None, **data: Any) -> Reader:
    code = str(data.get("code", "")).strip()
    if not _CODE.match(code):
        raise CirculationError(
            _("A reader code is 1–30 letters, digits, dots, dashes or underscores: %(code)s.")
            % {"code": code or "—"}
        )
    data["code"] = code
    data["full_name"] = " ".join(str(data.get("full_name", "")).split())
    if not data["full_name"]:
        raise CirculationError(_("Give the reader's full name."))
    row = reader or Reader(school=school)
    for name in _FIELDS:
        if name in data:
            setattr(row, name, data[name])
    if row.kind != ReaderKind.STUDENT:
        row.grade = None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise CirculationError(
            _("Another reader of the school has the code %(code)s.") % {"code": code}
        ) from error
    return row


def _next_class(name: str, grade: int) -> str:
    """ "6A1" in grade 6 becomes "7A1": the class keeps its letter, its number follows the grade."""
    if name.startswith(str(grade)):
        return f"{grade + 1}{name[len(str(grade)) :]}"
    return name


@transaction.atomic
def start_school_year(
    school: Unit, *, year: int, last_grade: int, today: dt.date | None = None
) -> tuple[int, int]:
    """Every active student of the school is promoted to the next grade (and class: 6A1 → 7A1);
    those in `last_grade` leave (deactivated, their loans kept). Run once a year: students already
    counted in `year` are left alone, so a second run changes nothing. Returns (promoted, left)."""
    today = today or timezone.localdate()
    students = (
        Reader.objects.select_for_update()
        .filter(school=school, kind=ReaderKind.STUDENT, active=True, grade__isnull=False)
        .exclude(school_year=year)
    )
    promoted = left = 0
    changed: list[Reader] = []
    for reader in students:
        grade = reader.grade or 0
        if grade >= last_grade:
            reader.active, reader.left_on = False, today
            left += 1
        else:
            reader.class_name = _next_class(reader.class_name, grade)
            reader.grade = grade + 1
            promoted += 1
        reader.school_year = year
        changed.append(reader)
    for reader in changed:
        reader.save()  # one history row each: who moved whom, and when
    return promoted, left


def new_pin(reader: Reader) -> str:
    """A fresh six-digit PIN for the public catalogue (kept hashed; returned to show once)."""
    pin = f"{secrets.randbelow(1_000_000):06d}"
    reader.set_pin(pin)
    reader.save(update_fields=["pin_hash"])
    return pin
