"""Import of units from a spreadsheet: a dry-run preview, then an all-or-nothing apply.

A row whose Ministry code names a unit in the importer's scope updates that unit (its own data, not
its place in the tree: moving has its own screen); every other row creates a unit under a
supervising unit in scope, or under a unit created on an earlier row of the same file. Applying
re-checks the whole file first (the database may have changed since the preview) and then goes
through the ordinary services, so the rules of the tree hold exactly as on the forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.access import Scope
from thuvien.core.import_batches import claimed_preview
from thuvien.core.import_lookup import index_named, lookup_keys
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.core.spreadsheets import (
    Column,
    Preview,
    RowResult,
    build_template,
    choice,
    parse_count,
    parse_school_year,
    read_table,
)
from thuvien.organisations import services
from thuvien.organisations.models import (
    ALLOWED_PARENT_KINDS,
    SchoolTier,
    Unit,
    UnitKind,
    current_school_year,
)
from thuvien.organisations.services import OrganisationError

_COUNT_HELP = gettext_lazy(
    "Schools only: a whole number of 0 or more. Give both counts or neither."
)
COLUMNS = (
    Column("name", "Tên đơn vị", gettext_lazy("The full name."), required=True, width=40),
    Column(
        "kind",
        "Loại",
        gettext_lazy("Trường, Phòng, Sở or Đối tác (or school, office, department, partner)."),
        required=True,
        width=12,
    ),
    Column(
        "code",
        "Mã đơn vị (Bộ GD&ĐT)",
        gettext_lazy("A row whose code names a unit you manage updates that unit."),
        aliases=("Mã đơn vị", "Mã"),
    ),
    Column(
        "parent",
        "Đơn vị quản lý (mã hoặc tên)",
        gettext_lazy(
            "Code or exact name of a unit you manage, or of a unit on an earlier row of this "
            "file. Required for a new unit."
        ),
        aliases=("Đơn vị quản lý",),
        width=40,
    ),
    Column(
        "tiers", "Cấp học", gettext_lazy("Schools: Mầm non, Tiểu học, THCS, THPT, with commas.")
    ),
    Column("address", "Địa chỉ", width=40),
    Column("phone", "Điện thoại", width=16),
    Column("email", "Email", aliases=("E-mail", "Thư điện tử"), width=28),
    Column("students", "Số học sinh", _COUNT_HELP, width=14),
    Column("teachers", "Số giáo viên", _COUNT_HELP, width=14),
    Column("year", "Năm học", gettext_lazy("e.g. 2025-2026; empty: the current school year.")),
    Column(
        "governing_body",
        "Cơ quan chủ quản",
        gettext_lazy(
            "Printed above the unit's name on its documents, e.g. UBND xã Mẫu. Empty: told "
            "from the names in the tree."
        ),
        width=30,
    ),
)

KIND_WORDS = {kind.value: kind.value for kind in UnitKind} | {
    "truong": UnitKind.SCHOOL,
    "truong hoc": UnitKind.SCHOOL,
    "phong": UnitKind.OFFICE,
    "so": UnitKind.DEPARTMENT,
    "doi tac": UnitKind.PARTNER,
}
TIER_WORDS = {tier.value: tier.value for tier in SchoolTier} | {
    "mam non": SchoolTier.PRESCHOOL,
    "tieu hoc": SchoolTier.PRIMARY,
    "thcs": SchoolTier.LOWER_SECONDARY,
    "trung hoc co so": SchoolTier.LOWER_SECONDARY,
    "thpt": SchoolTier.UPPER_SECONDARY,
    "trung hoc pho thong": SchoolTier.UPPER_SECONDARY,
}
_LIMITS = {
    "name": 255,
    "code": 32,
    "address": 500,
    "phone": 32,
    "email": 254,
    "governing_body": 255,
}


@dataclass
class _Context:
    """What rows are checked against: the units in scope, codes in use, earlier rows of the file."""

    visible: list[Unit]
    by_code: dict[str, Unit]  # every unit with a code, in scope or not, by upper-cased code
    later: dict[str, int] = field(default_factory=dict)  # code/folded name → first row defining it
    earlier: dict[str, list[RowResult]] = field(default_factory=dict)
    codes_in_file: dict[str, int] = field(default_factory=dict)
    visible_by_key: dict[str, list[Unit]] = field(default_factory=dict)
    visible_ids: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.visible_by_key = index_named(self.visible)
        self.visible_ids = {unit.pk for unit in self.visible}


@transaction.atomic
def preview_unit_import(batch: ImportBatch, scope: Scope) -> Preview:
    """Check every row of the file against the database and the scope; change nothing."""
    if batch.kind != ImportKind.UNITS:
        raise OrganisationError(_("This import is not an import of units."))
    rows = read_table(bytes(batch.content), COLUMNS)
    codes = {str(values["code"]).strip().upper() for _n, values in rows} - {""}
    with_codes = Unit.objects.annotate(code_upper=Upper("code")).filter(code_upper__in=codes)
    context = _Context(
        visible=list(Unit.objects.visible_to(scope)),
        by_code={unit.code.upper(): unit for unit in with_codes if unit.code},
    )
    for number, values in reversed(rows):
        for key in lookup_keys(values["code"], values["name"]):
            context.later[key] = number
    results = [_check_row(number, values, context) for number, values in rows]
    columns = [_("Name"), _("Kind"), _("Code"), _("Supervising unit")]
    return Preview(columns=[str(c) for c in columns], rows=results)


def _check_row(number: int, values: dict[str, Any], context: _Context) -> RowResult:
    text = {key: str(value).strip() for key, value in values.items()}
    row = RowResult(number, cells=[text["name"], text["kind"], text["code"], text["parent"]])
    for key, limit in _LIMITS.items():
        row.check_length(text[key], limit)
    if not text["name"]:
        row.error("name_required", _("The unit name is missing."))
    kind = choice(text["kind"], KIND_WORDS)
    if kind is None:
        row.error(
            "kind_invalid",
            _("Unknown kind “%(value)s”: write Trường, Phòng, Sở or Đối tác.")
            % {"value": text["kind"]},
        )
    fields: dict[str, Any] = {
        key: text[key]
        for key in ("name", "address", "phone", "email", "governing_body")
        if text[key]
    }
    row.check_email(text["email"])
    existing = _check_code(row, text["code"], kind, context)
    row.action = "create" if existing is None else "update"
    _check_tiers(row, text["tiers"], kind, fields)
    if existing is None:
        fields["code"] = text["code"] or None
        parent = _check_parent(row, text["parent"], kind, context, required=True)
    else:
        parent = _check_parent(row, text["parent"], kind, context, required=False)
        if isinstance(parent, RowResult) or (parent and parent.pk != existing.parent_id):
            row.error(
                "move_not_supported",
                _("To move this unit under “%(parent)s”, use its Move page.")
                % {"parent": text["parent"]},
            )
    stats = _check_stats(row, text, kind)
    row.data = {"kind": kind, "unit": existing, "parent": parent, "fields": fields, "stats": stats}
    for key in lookup_keys(text["code"], text["name"]):
        context.earlier.setdefault(key, []).append(row)
    return row


def _check_tiers(row: RowResult, raw: str, kind: str | None, fields: dict[str, Any]) -> None:
    words = [word for word in re.split(r"[,;/+]", raw) if word.strip()]
    tiers = {choice(word, TIER_WORDS) for word in words}
    if None in tiers:
        row.error(
            "tier_invalid",
            _("Unknown tier in “%(value)s”: write Mầm non, Tiểu học, THCS or THPT.")
            % {"value": raw},
        )
    elif kind not in (None, UnitKind.SCHOOL) and tiers:
        row.error("tier_not_school", _("Only schools have tiers; leave “Cấp học” empty."))
    elif kind == UnitKind.SCHOOL and tiers:
        fields.update({field: tier in tiers for tier, field in Unit.TIER_FIELDS.items()})
    elif kind == UnitKind.SCHOOL and row.action != "update":
        row.error("tier_required", _("A school needs at least one tier (Cấp học)."))


def _check_code(row: RowResult, code: str, kind: str | None, context: _Context) -> Unit | None:
    """The unit this row updates, if its code names one in scope."""
    if not code:
        return None
    first = context.codes_in_file.setdefault(code.upper(), row.number)
    if first != row.number:
        row.error(
            "code_repeated",
            _("The code %(code)s is already on row %(row)d of this file.")
            % {"code": code, "row": first},
        )
    existing = context.by_code.get(code.upper())
    if existing is None:
        return None
    if existing.pk not in context.visible_ids:
        row.error(
            "code_taken",
            _("The Ministry code %(code)s is already used by another unit.") % {"code": code},
        )
        return None
    if kind is not None and kind != existing.kind:
        row.error(
            "kind_mismatch",
            _("The unit with code %(code)s is of kind “%(kind)s”.")
            % {"code": code, "kind": existing.get_kind_display()},
        )
    if not existing.is_active:
        row.error("unit_inactive", _("“%(unit)s” is no longer active.") % {"unit": existing.name})
    return existing


def _check_parent(
    row: RowResult, raw: str, kind: str | None, context: _Context, *, required: bool
) -> Unit | RowResult | None:
    """The supervising unit: a unit in scope, or an earlier row of the file (RowResult)."""
    if not raw:
        if required:
            row.error(
                "parent_required", _("The supervising unit is missing: give its code or name.")
            )
        return None
    found = _find_parent(raw, context)
    if not found:
        later = next(
            (context.later[key] for key in lookup_keys(raw, raw) if key in context.later), None
        )
        if later is not None and later > row.number:
            row.error(
                "parent_later",
                _("The supervising unit “%(value)s” is on row %(row)d; move it above this row.")
                % {"value": raw, "row": later},
            )
        else:
            row.error(
                "parent_not_found",
                _("No unit you manage has the code or name “%(value)s”.") % {"value": raw},
            )
        return None
    if len(found) > 1:
        row.error(
            "parent_ambiguous",
            _("Several units are named “%(value)s”: give the code.") % {"value": raw},
        )
        return None
    parent = found[0]
    parent_kind = parent.data["kind"] if isinstance(parent, RowResult) else parent.kind
    if isinstance(parent, RowResult) and parent.errors:
        row.error(
            "parent_row_invalid",
            _("The supervising unit on row %(row)d has errors.") % {"row": parent.number},
        )
    elif isinstance(parent, Unit) and not parent.is_active:
        row.error(
            "parent_inactive",
            _("“%(parent)s” is no longer active; choose another supervising unit.")
            % {"parent": parent.name},
        )
    elif kind is not None and parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        row.error(
            "parent_kind",
            _("A unit of kind “%(kind)s” cannot be placed under “%(parent)s”.")
            % {"kind": UnitKind(kind).label, "parent": raw},
        )
    return parent


def _find_parent(raw: str, context: _Context) -> list[Unit | RowResult]:
    """Units in scope, then earlier rows, matching `raw` by code, else by folded name."""
    found: list[Unit | RowResult] = []
    for key in lookup_keys(raw, raw):
        found = list(context.visible_by_key.get(key, []))
        for row in context.earlier.get(key, []):
            target = row.data["unit"] or row
            if target not in found:
                found.append(target)
        if found:
            break
    return found


def _check_stats(row: RowResult, text: dict[str, str], kind: str | None) -> dict[str, int] | None:
    if kind is None or not (text["students"] or text["teachers"] or text["year"]):
        return None
    if kind != UnitKind.SCHOOL:
        row.error("stats_not_school", _("Student and teacher counts belong to schools only."))
        return None
    students, teachers = parse_count(text["students"]), parse_count(text["teachers"])
    for value, count in ((text["students"], students), (text["teachers"], teachers)):
        if count is None:
            row.error(
                "count_invalid",
                _("“%(value)s” is not a whole number of 0 or more.") % {"value": value},
            )
    year = parse_school_year(text["year"]) if text["year"] else current_school_year()
    if year is None:
        row.error(
            "year_invalid",
            _("“%(value)s” is not a school year such as 2025-2026.") % {"value": text["year"]},
        )
    if students is None or teachers is None or year is None:
        return None
    return {"year": year, "students": students, "teachers": teachers}


@transaction.atomic
def apply_unit_import(batch: ImportBatch, scope: Scope, *, by: Any) -> dict[str, int]:
    """Create and update every unit of a batch the worker claimed, or nothing at all."""
    locked, preview = claimed_preview(batch, scope, by=by, preview=preview_unit_import)
    created: dict[int, Unit] = {}
    for row in preview.rows:
        try:
            created[row.number] = _apply_row(row, created, by=by)
        except OrganisationError as error:
            raise OrganisationError(
                _("Row %(row)d: %(error)s Nothing was saved.") % {"row": row.number, "error": error}
            ) from error
    summary = {"created": preview.count("create"), "updated": preview.count("update")}
    locked.mark_applied(summary)
    return summary


def _apply_row(row: RowResult, created: dict[int, Unit], *, by: Any) -> Unit:
    data = row.data
    unit: Unit | None = data["unit"]
    if unit is None:
        parent = data["parent"]
        if isinstance(parent, RowResult):  # a unit created on an earlier row
            parent = created[parent.number]
        unit = services.create_unit(kind=data["kind"], parent=parent, by=by, **data["fields"])
    else:
        unit = services.update_unit(unit, by=by, **data["fields"])
    if data["stats"] is not None:
        services.set_year_stats(unit, **data["stats"])
    return unit


def unit_template(scope: Scope) -> bytes:
    """The template, with two example rows that import cleanly for the person downloading it."""
    own = scope.unit
    parent = (own.code or own.name) if own is not None else ""
    year = current_school_year()
    office = "Phòng Văn hóa – Xã hội xã Mẫu"
    examples: list[list[Any]] = [
        [office, "Phòng", "", parent, "", "Xã Mẫu", "", "", "", "", "", "UBND xã Mẫu"],
        [
            "Trường Tiểu học Mẫu",
            "Trường",
            "",
            office,
            "Tiểu học, THCS",
            "Ấp 1, xã Mẫu",
            "0275 3822 000",
            "thmau@example.edu.vn",
            450,
            22,
            f"{year}-{year + 1}",
            "",
        ],
    ]
    return build_template(COLUMNS, examples, "Đơn vị")
