"""Reading the audit trail kept by django-simple-history: who changed what, when, before/after.

Domain apps register `HistoricalRecords()` on the records that must never be lost and pass the
historical querysets of one scoped object here to get a readable, newest-first list of changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
HIDDEN_FIELDS = {"name_folded", "path", "depth", "password"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    record_type: str
    record: str
    action: str
    changes: tuple[Change, ...]
    reason: str


def _label(model: Any, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def _show_field(model: Any, field_name: str, value: Any) -> str:
    """A value as a person reads it: a choice's label ("Đại học thư viện", not "university")."""
    try:
        choices = dict(model._meta.get_field(field_name).flatchoices)
    except Exception:
        choices = {}
    return _show(choices.get(value, value))


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    return str(value)


def history_entries(*histories: QuerySet[Any], limit: int = 1000) -> list[AuditEntry]:
    """Audit entries of the given historical querysets, newest first."""
    entries: list[AuditEntry] = []
    for history in histories:
        rows = list(history.select_related("history_user").order_by("history_date")[:limit])
        previous: dict[Any, Any] = {}
        for row in rows:
            key = row.instance_type, getattr(row, "id", None)
            before = previous.get(key)
            changes: tuple[Change, ...] = ()
            model = row.instance_type
            if before is not None:
                delta = row.diff_against(before)
                changes = tuple(
                    Change(
                        _label(model, c.field),
                        _show_field(model, c.field, c.old),
                        _show_field(model, c.field, c.new),
                    )
                    for c in delta.changes
                    if c.field not in HIDDEN_FIELDS
                )
            previous[key] = row
            user = row.history_user
            entries.append(
                AuditEntry(
                    when=row.history_date,
                    who=str(user) if user else str(_("system")),
                    record_type=str(model._meta.verbose_name),
                    record=str(row.instance),
                    action=str(ACTIONS.get(row.history_type, row.history_type)),
                    changes=changes,
                    reason=row.history_change_reason or "",
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
