"""The dry run of a staff import: every row read, checked and matched to a person; nothing changed.

`preview_staff_import` reads the file against `columns.COLUMNS`, loads in a few queries what the
rows may refer to (the units in the importer's scope, the accounts named by e-mail or username,
their open roles) and checks each row: lengths, e-mail, role, unit (in scope, active, of the kind
the role needs), reader category, qualification and start date, and a role the person already
holds. It also decides who each row is about — an existing account, a person met on an earlier
row of the file, or a new account whose username it makes up when none is given — and leaves in
each row's `data` what `apply` needs to save it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.access import Scope
from thuvien.accounts.importing.columns import (
    COLUMNS,
    QUALIFICATION_WORDS,
    READER_CATEGORY_WORDS,
    ROLE_WORDS,
)
from thuvien.accounts.models import Qualification, User
from thuvien.core.folding import fold
from thuvien.core.import_lookup import find_named, index_named
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.core.spreadsheets import Preview, RowResult, choice, parse_date, read_table
from thuvien.organisations.models import ROLE_UNIT_KIND, Membership, Role, Unit, UnitKind
from thuvien.organisations.services import OrganisationError

_LIMITS = {"full_name": 150, "username": 150, "email": 254, "phone": 32}


@dataclass
class _Context:
    units: dict[str, list[Unit]]
    by_email: dict[str, User]
    by_username: dict[str, User]
    open_roles: set[tuple[Any, int, str]]  # (person, unit id, role) of current open memberships
    new_people: dict[str, dict[str, str]] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)  # usernames given to new accounts of the file


@transaction.atomic
def preview_staff_import(batch: ImportBatch, scope: Scope) -> Preview:
    """Check every row of the file against the database and the scope; change nothing."""
    if batch.kind != ImportKind.STAFF:
        raise OrganisationError(_("This import is not an import of staff."))
    rows = read_table(bytes(batch.content), COLUMNS)
    emails = {str(values["email"]).strip().lower() for _n, values in rows} - {""}
    usernames = {str(values["username"]).strip().lower() for _n, values in rows} - {""}
    users = User.objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
    known = list(users.filter(email_lower__in=emails) | users.filter(username_lower__in=usernames))
    memberships = Membership.objects.filter(user__in=known, valid_to__isnull=True)
    context = _Context(
        units=index_named(Unit.objects.visible_to(scope)),
        by_email={user.email.lower(): user for user in known if user.email},
        by_username={user.username.lower(): user for user in known},
        open_roles={(m.user_id, m.unit_id, m.role) for m in memberships},
    )
    results = [_check_row(number, values, context) for number, values in rows]
    columns = [
        _("Full name"),
        _("Username"),
        _("E-mail"),
        _("Unit"),
        _("Role"),
        _("Reader category"),
    ]
    return Preview(columns=[str(c) for c in columns], rows=results)


def _check_row(number: int, values: dict[str, Any], context: _Context) -> RowResult:
    text = {key: str(value).strip() for key, value in values.items()}
    row = RowResult(number, cells=[])
    for key, limit in _LIMITS.items():
        row.check_length(text[key], limit)
    if not text["full_name"]:
        row.error("full_name_required", _("The full name is missing."))
    row.check_email(text["email"])
    role = choice(text["role"], ROLE_WORDS)
    if role is None:
        row.error("role_invalid", _("Unknown role “%(value)s”.") % {"value": text["role"]})
    unit = _check_unit(row, text["unit"], role, context)
    reader_category = _check_reader_category(row, text["reader_category"], role)
    qualification = choice(text["qualification"], QUALIFICATION_WORDS)
    if text["qualification"] and qualification is None:
        row.error(
            "qualification_invalid",
            _("Unknown qualification “%(value)s”.") % {"value": text["qualification"]},
        )
    valid_from = parse_date(values["valid_from"]) if text["valid_from"] else timezone.localdate()
    if valid_from is None:
        row.error(
            "date_invalid",
            _("“%(value)s” is not a date such as 01/09/2025.") % {"value": text["valid_from"]},
        )
    user, username = _check_person(row, text, context)
    person = user.pk if user is not None else f"new:{username.lower()}"
    if unit is not None and role is not None:
        if (person, unit.pk, role) in context.open_roles:
            row.error(
                "role_held",
                _("%(person)s already holds the role “%(role)s” in “%(unit)s”.")
                % {"person": user or username, "role": Role(role).label, "unit": unit.name},
            )
        context.open_roles.add((person, unit.pk, role))
    row.action = "new_account" if user is None else "add_role"
    row.cells = [
        text["full_name"],
        username,
        text["email"],
        text["unit"],
        text["role"],
        text["reader_category"],
    ]
    row.data = {
        "user": user,
        "account": {
            "username": username,
            "email": text["email"],
            "full_name": text["full_name"],
            "phone": text["phone"],
            "qualification": qualification or Qualification.NONE,
        },
        "unit": unit,
        "role": role,
        "reader_category": reader_category,
        "valid_from": valid_from,
    }
    return row


def _check_reader_category(row: RowResult, raw: str, role: str | None) -> str:
    """A reader is a student or a teacher; nobody else has a reader category."""
    category = choice(raw, READER_CATEGORY_WORDS)
    if raw and category is None:
        row.error(
            "reader_category_invalid",
            _("Unknown reader category “%(value)s”: write Học sinh or Giáo viên.") % {"value": raw},
        )
    elif role == Role.READER and not raw:
        row.error(
            "reader_category_required",
            _("A reader needs a reader category (Loại bạn đọc): Học sinh or Giáo viên."),
        )
    elif role not in (None, Role.READER) and raw:
        row.error(
            "reader_category_not_reader",
            _("Only readers have a reader category; leave “Loại bạn đọc” empty."),
        )
    return category or ""


def _check_unit(row: RowResult, raw: str, role: str | None, context: _Context) -> Unit | None:
    units = find_named(context.units, raw) if raw else []
    if len(units) != 1:
        if not raw:
            message = _("The unit is missing: give its Ministry code or name.")
        elif units:
            message = _("Several units are named “%(value)s”: give the code.") % {"value": raw}
        else:
            message = _("No unit you manage has the code or name “%(value)s”.") % {"value": raw}
        row.error("unit_not_found", message)
        return None
    unit = units[0]
    if not unit.is_active:
        row.error("unit_inactive", _("“%(unit)s” is no longer active.") % {"unit": unit.name})
    if role is not None and ROLE_UNIT_KIND[role] != unit.kind:
        row.error(
            "role_unit_kind",
            _("The role “%(role)s” is held in a unit of kind “%(kind)s”, not in “%(unit)s”.")
            % {
                "role": Role(role).label,
                "kind": UnitKind(ROLE_UNIT_KIND[role]).label,
                "unit": unit.name,
            },
        )
    return unit


def _check_person(row: RowResult, text: dict[str, str], context: _Context) -> tuple[Any, str]:
    """The existing account the row names (or None) and the username of the person."""
    email, username = text["email"].lower(), text["username"]
    by_email = context.by_email.get(email) if email else None
    by_username = context.by_username.get(username.lower()) if username else None
    if by_email and by_username and by_email != by_username:
        row.error(
            "accounts_differ",
            _("The e-mail and the username belong to two different accounts."),
        )
    if by_username and not by_email and email and by_username.email:
        row.error(
            "username_taken",
            _("The username %(username)s belongs to an account with another e-mail.")
            % {"username": username},
        )
    user = by_email or by_username
    if user is not None:
        return user, user.username
    return None, _new_username(row, email, username, text["full_name"], context)


def _new_username(
    row: RowResult, email: str, username: str, full_name: str, context: _Context
) -> str:
    """The username of a new account: as given, or made from the e-mail or the name."""
    keys = _person_keys(email, username)
    known = next((context.new_people[key] for key in keys if key in context.new_people), None)
    if known is not None:  # a person already met on an earlier row of the file
        if username and username.lower() != known["username"].lower():
            row.error(
                "username_mismatch",
                _("An earlier row gives this person the username %(username)s.")
                % {"username": known["username"]},
            )
        elif email and known["email"] and email != known["email"]:
            row.error(
                "username_repeated",
                _("The username %(username)s is given to another person of this file.")
                % {"username": username},
            )
        return known["username"]
    if username:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            row.error(
                "username_invalid",
                _("The username may hold only letters, digits and the signs @ . + - _."),
            )
    else:
        username = _free_username(_username_base(email, full_name), context)
    context.taken.add(username.lower())
    person = {"username": username, "email": email}
    for key in _person_keys(email, username):
        context.new_people[key] = person
    return username


def _person_keys(email: str, username: str) -> list[str]:
    """How later rows of the file recognise a new person: by e-mail or by username."""
    return [f"email:{email}"] * bool(email) + [f"username:{username.lower()}"] * bool(username)


def _username_base(email: str, full_name: str) -> str:
    local = re.sub(r"[^a-z0-9._-]", "", fold(email.split("@")[0])) if email else ""
    return (local or re.sub(r"[^a-z0-9]", "", fold(full_name)) or "user")[:30]


def _free_username(base: str, context: _Context) -> str:
    in_use = User.objects.filter(username__istartswith=base).values_list("username", flat=True)
    taken = {name.lower() for name in in_use} | context.taken
    suffix = 1
    candidate = base
    while candidate.lower() in taken:
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate
