"""Import of staff from a spreadsheet: accounts and their roles, dry run first, then all or nothing.

A row gives a person a role in a unit in the importer's scope. The person is an existing account
when the e-mail or the username names one (never a second account for the same person), else a
new account with no usable password: once the whole file is saved, each new account with an
e-mail is sent an invitation to choose its password (`tasks.send_invitations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.accounts.models import Qualification, User
from thuvien.accounts.tasks import send_invitations
from thuvien.core.folding import fold
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.core.spreadsheets import (
    Column,
    Preview,
    RowResult,
    build_template,
    choice,
    parse_date,
    read_table,
)
from thuvien.organisations import services
from thuvien.organisations.access import Scope
from thuvien.organisations.importing import claimed_preview, find_units, index_units
from thuvien.organisations.models import (
    ROLE_UNIT_KIND,
    Membership,
    ReaderCategory,
    Role,
    Unit,
    UnitKind,
)
from thuvien.organisations.services import OrganisationError

COLUMNS = (
    Column("full_name", "Họ và tên", required=True, width=28),
    Column(
        "username",
        "Tên đăng nhập",
        gettext_lazy("May be empty: it is then made from the e-mail or the name."),
    ),
    Column(
        "email",
        "Email",
        gettext_lazy(
            "An account that already has this e-mail (or username) is reused. A new account "
            "with an e-mail is sent an invitation to choose its password. To give one person "
            "two roles, repeat the row with the same e-mail."
        ),
        aliases=("E-mail", "Thư điện tử"),
        width=30,
    ),
    Column("phone", "Điện thoại", width=16),
    Column(
        "unit",
        "Mã đơn vị",
        gettext_lazy("Ministry code or exact name of a unit you manage."),
        required=True,
        aliases=("Đơn vị", "Đơn vị (mã hoặc tên)"),
        width=28,
    ),
    Column(
        "role",
        "Vai trò",
        gettext_lazy(
            "Quản trị Sở, Cán bộ Sở, Cán bộ phòng, Hiệu trưởng, Nhân viên thư viện, Giáo viên "
            "kiêm nhiệm, Giảng viên or Bạn đọc. The role must suit the kind of unit."
        ),
        required=True,
        width=24,
    ),
    Column(
        "reader_category",
        "Loại bạn đọc",
        gettext_lazy(
            "Readers only, and required for them: Học sinh or Giáo viên (student, teacher). "
            "Leave it empty for every other role."
        ),
        width=16,
    ),
    Column(
        "qualification",
        "Trình độ thư viện",
        gettext_lazy("Không, Chứng chỉ, Trung cấp, Cao đẳng or Đại học (new accounts only)."),
        width=18,
    ),
    Column("valid_from", "Từ ngày", gettext_lazy("dd/mm/yyyy; empty: today."), width=14),
)

ROLE_WORDS = {role.value: role.value for role in Role} | {
    "quan tri so": Role.DEPARTMENT_ADMIN,
    "can bo so": Role.DEPARTMENT_OFFICER,
    "can bo phong": Role.OFFICE_OFFICER,
    "hieu truong": Role.PRINCIPAL,
    "nhan vien thu vien": Role.LIBRARIAN,
    "thu thu": Role.LIBRARIAN,
    "giao vien kiem nhiem": Role.TEACHER_LIBRARIAN,
    "giao vien thu vien kiem nhiem": Role.TEACHER_LIBRARIAN,
    "giang vien": Role.TRAINER,
    "ban doc": Role.READER,
}
QUALIFICATION_WORDS = {q.value: q.value for q in Qualification} | {
    "khong": Qualification.NONE,
    "chung chi": Qualification.CERTIFICATE,
    "trung cap": Qualification.INTERMEDIATE,
    "cao dang": Qualification.COLLEGE,
    "dai hoc": Qualification.UNIVERSITY,
}
READER_CATEGORY_WORDS = {category.value: category.value for category in ReaderCategory} | {
    "hoc sinh": ReaderCategory.STUDENT,
    "giao vien": ReaderCategory.TEACHER,
}
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
        units=index_units(list(Unit.objects.visible_to(scope))),
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
    units = find_units(context.units, raw) if raw else []
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


@transaction.atomic
def apply_staff_import(batch: ImportBatch, scope: Scope, *, by: Any) -> dict[str, int]:
    """Create the accounts and give the roles of a batch the worker claimed, or nothing at all;
    then invite the new accounts (once the transaction is committed)."""
    locked, preview = claimed_preview(batch, scope, by=by, preview=preview_staff_import)
    created: dict[str, User] = {}
    for row in preview.rows:
        try:
            _apply_row(row, created)
        except OrganisationError as error:
            raise OrganisationError(
                _("Row %(row)d: %(error)s Nothing was saved.") % {"row": row.number, "error": error}
            ) from error
    invited = [user.pk for user in created.values() if user.email]
    if invited:
        transaction.on_commit(partial(send_invitations.enqueue, invited))
    summary = {"users_created": len(created), "memberships": len(preview.rows)}
    locked.mark_applied(summary)
    return summary


def _apply_row(row: RowResult, created: dict[str, User]) -> None:
    data = row.data
    account = data["account"]
    user = data["user"] or created.get(account["username"].lower())
    if user is None:
        user = User.objects.create_user(password=None, **account)
        created[account["username"].lower()] = user
    services.add_membership(
        user,
        data["unit"],
        data["role"],
        valid_from=data["valid_from"],
        reader_category=data["reader_category"],
    )


_EXAMPLE_ROLE: dict[str, str] = {
    UnitKind.SCHOOL: "Nhân viên thư viện",
    UnitKind.OFFICE: "Cán bộ phòng",
    UnitKind.DEPARTMENT: "Cán bộ Sở",
    UnitKind.PARTNER: "Giảng viên",
}


def staff_template(scope: Scope) -> bytes:
    """The template, with example rows that import cleanly for the person downloading it."""
    visible = Unit.objects.visible_to(scope).active().order_by("path")
    unit = visible.schools().first() or visible.first()
    examples: list[list[Any]] = []
    if unit is not None:
        name, today = unit.code or unit.name, timezone.localdate()
        examples.append(
            [
                "Nguyễn Thị Mẫu",
                "",
                "nguyenthimau@example.edu.vn",
                "0912 345 678",
                name,
                _EXAMPLE_ROLE[unit.kind],
                "",
                "Trung cấp",
                today,
            ]
        )
        if unit.kind == UnitKind.SCHOOL:
            examples.append(["Trần Văn Đọc", "", "", "", name, "Bạn đọc", "Học sinh", "", today])
    return build_template(COLUMNS, examples, "Nhân sự")
