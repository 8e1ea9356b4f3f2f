"""What the department (Sở) chooses for its province's catalogue: the call-number rule and the
external SRU targets its librarians may copy records from; and copying one record found there
into the union catalogue, matched with the record already in it when it is a duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from thuvien.catalogue.models import CallNumberRule, CatalogueSettings, Record, SruTarget
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import records
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.organisations.models import Unit, UnitKind

SRU_VERSIONS = ("2.0", "1.2", "1.1")


def province_of(unit: Unit | None) -> int | None:
    """The id of the department at the root of `unit`'s tree (None without a unit)."""
    if unit is None:
        return None
    return (unit.ancestor_ids() or [unit.pk])[0]


def _department(unit: Unit) -> None:
    if unit.kind != UnitKind.DEPARTMENT:
        raise CatalogueError(_("Only the department keeps the province's catalogue settings."))


@transaction.atomic
def save_settings(
    department: Unit, *, call_number_rule: str, use_local_class: bool
) -> CatalogueSettings:
    """The province's call-number rule, for the records catalogued from now on."""
    _department(department)
    if call_number_rule not in CallNumberRule.values:
        raise CatalogueError(_("Choose a call-number rule from the list."))
    settings, _created = CatalogueSettings.objects.select_for_update().get_or_create(
        department=department
    )
    settings.call_number_rule = call_number_rule
    settings.use_local_class = use_local_class
    settings.save()
    return settings


@transaction.atomic
def save_target(
    department: Unit,
    *,
    name: str,
    url: str,
    record_schema: str = "marcxml",
    version: str = "2.0",
    enabled: bool = True,
    target: SruTarget | None = None,
) -> SruTarget:
    """Add an SRU target of the province, or change one (`target`)."""
    _department(department)
    name, url, record_schema = name.strip(), url.strip(), record_schema.strip() or "marcxml"
    if not name:
        raise CatalogueError(_("Enter the target's name."))
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise CatalogueError(
            _("Enter the SRU address starting with http:// or https://, e.g. %(example)s.")
            % {"example": "https://thuvien.example.vn/sru"}
        )
    if version not in SRU_VERSIONS:
        raise CatalogueError(_("Choose SRU version 2.0, 1.2 or 1.1."))
    if target is not None and target.department_id != department.pk:
        raise CatalogueError(_("Only the department keeps the province's catalogue settings."))
    target = target or SruTarget(department=department)
    target.name, target.url, target.record_schema = name, url, record_schema
    target.version, target.enabled = version, enabled
    target.save()
    return target


def matches_of(found: Sequence[RecordData], *, school: Unit | None) -> list[Record | None]:
    """For each record found on a target, the record of the union catalogue it duplicates."""
    candidates = [records.build(data, catalogued_by=school) for data in found]
    return records.duplicates_of(candidates, [data.isbns for data in found])


@transaction.atomic
def import_found(data: RecordData, *, school: Unit | None, by: Any) -> tuple[Record, bool]:
    """Copy a record found on a target into the union catalogue: (the record, made now?). A
    duplicate of a record already there is not made again: that record is the answer."""
    match = matches_of([data], school=school)[0]
    if match is not None:
        return match, False
    return records.create_record(data, school=school, by=by), True
