"""Applying a checked catalogue spreadsheet: its records and copies, all or its valid rows."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from thuvien.catalogue.models import Collection, Copy, Record, Sequence
from thuvien.catalogue.record_data import HoldingData, RecordData
from thuvien.catalogue.services import copies as copy_services
from thuvien.catalogue.services import records
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.catalogue.spreadsheet.rows import preview_sheet
from thuvien.core.import_batches import claimed_preview
from thuvien.core.models import ImportBatch
from thuvien.core.spreadsheets import (
    RowResult,
)
from thuvien.organisations.models import Unit


@transaction.atomic
def apply_sheet(batch: ImportBatch, school: Unit, *, by: Any, valid_only: bool) -> dict[str, int]:
    """Create the records and copies of a batch the worker claimed: all its rows or nothing —
    or, when the librarian chose so, its valid rows only."""
    preview = partial(preview_sheet, valid_only=valid_only)
    locked, checked = claimed_preview(batch, school, by=by, preview=preview)
    rule, local = records.province_rule(school)
    made: dict[int, Record] = {}
    new: list[tuple[Record, list[tuple[str, str]]]] = []
    copies = 0
    for row in checked.rows:
        data: RecordData = row.data["record"]
        record = row.data["match"] or made.get(row.data["same_as"] or 0)
        if record is None:
            record = records.build(data, catalogued_by=school, rule=rule, use_local_class=local)
            record._history_user = by  # type: ignore[attr-defined]
            record.save()
            new.append((record, data.isbns))
        made[row.number] = record
        try:
            copies += _add_copies(record, row, school, by=by)
        except CatalogueError as error:
            raise CatalogueError(
                _("Row %(row)d: %(error)s Nothing was saved.") % {"row": row.number, "error": error}
            ) from error
    records.index([r for r, _i in new], [i for _r, i in new])
    summary = {
        "records_created": len(new),
        "records_matched": sum(1 for row in checked.rows if row.action == "match"),
        "copies_created": copies,
        "rows": len(checked.rows),
        "valid_only": valid_only,
    }
    locked.mark_applied(summary)
    return summary


def _add_copies(record: Record, row: RowResult, school: Unit, *, by: Any) -> int:
    data = row.data
    if not data["count"]:
        return 0
    holding: HoldingData = data["holdings"][0]
    extra = {"source": data["source"], "donor": data["donor"], "notes": data["notes"]}
    collection = _collection(school, data["collection"], record.doc_type)
    if not holding.registration_number:
        made = copy_services.add_copies(
            record, school=school, count=data["count"], by=by, collection=collection,
            price_vnd=holding.price_vnd, location=holding.location, **extra,
        )  # fmt: skip
        if holding.barcode and len(made) == 1:
            copy_services.update_copy(made[0], by=by, barcode=holding.barcode)
        return len(made)
    copy = Copy(
        school=school, record=record, collection=collection, sequence=collection.sequence,
        number=_number_for(collection.sequence, holding.registration_number),
        registration_number=holding.registration_number,
        barcode=holding.barcode or holding.registration_number, location=holding.location,
        price_vnd=holding.price_vnd, registered_on=timezone.localdate(), **extra,
    )  # fmt: skip
    bulk_create_with_history([copy], Copy, default_user=by)
    return 1


def _collection(school: Unit, code: str, doc_type: str) -> Collection:
    """The school's collection of that code (its usual ones are set up on its first import), or
    the usual one for the document type."""
    if not code:
        return copy_services.collection_for(school, doc_type)
    found = Collection.objects.filter(school=school, code__iexact=code).first()
    if found is None:
        copy_services.set_up_collections(school)
        found = Collection.objects.filter(school=school, code__iexact=code).first()
    if found is None:  # checked on the preview: only a collection removed meanwhile
        raise CatalogueError(_("The school has no collection “%(code)s”.") % {"code": code})
    return found


def _number_for(sequence: Sequence, registration: str) -> int:
    """The number in the sequence of a registration number given in the file: its own when it
    is written in the sequence's form ("STK.000123") and free — the sequence then goes on after
    it, never giving it again; else a new number of the sequence."""
    match = re.fullmatch(re.escape(sequence.prefix) + r"0*(\d{1,9})", registration)
    if match:
        locked = Sequence.objects.select_for_update().get(pk=sequence.pk)
        number = int(match[1])
        if not Copy.objects.filter(sequence=locked, number=number).exists():
            if number > locked.last_number:
                locked.last_number = number
                locked.save(update_fields=["last_number"])
            return number
    return copy_services.take_numbers(sequence, 1)[0]
