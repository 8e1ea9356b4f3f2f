"""Applying a checked reader list: its new readers and the school's readers it updates, all
its rows or its valid ones, in bulk (a school's two thousand students in a few seconds)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from thuvien.circulation.importing.rows import preview_readers
from thuvien.circulation.models import Reader, ReaderKind
from thuvien.circulation.services.errors import CirculationError
from thuvien.core.folding import fold
from thuvien.core.import_batches import claimed_preview
from thuvien.core.models import ImportBatch
from thuvien.organisations.models import Unit

UPDATED = ["kind", "full_name", "folded_name", "birth_date", "class_name", "grade",
           "school_year", "active", "left_on"]  # fmt: skip
BATCH_SIZE = 500


@transaction.atomic
def apply_readers(
    batch: ImportBatch, school: Unit, *, by: Any, valid_only: bool
) -> dict[str, int | bool]:
    """Add the new readers of a batch the worker claimed and update those the school has (a
    reader who had left is active again): all its rows or nothing — or, when the librarian chose
    so, its valid rows only. One history row each, by the importer."""
    preview = partial(preview_readers, valid_only=valid_only)
    locked, checked = claimed_preview(batch, school, by=by, preview=preview)
    codes = [row.data["code"] for row in checked.rows]
    existing = {
        reader.code: reader
        for reader in Reader.objects.select_for_update().filter(school=school, code__in=codes)
    }
    new: list[Reader] = []
    changed: list[Reader] = []
    for row in checked.rows:
        reader = existing.get(row.data["code"])
        if reader is None:
            reader = Reader(school=school, code=row.data["code"])
            new.append(reader)
        else:
            changed.append(reader)
        _fill(reader, row.data)
    try:
        bulk_create_with_history(new, Reader, batch_size=BATCH_SIZE, default_user=by)
        bulk_update_with_history(changed, Reader, UPDATED, batch_size=BATCH_SIZE, default_user=by)
    except IntegrityError as error:  # a code given to another reader since the check above
        raise CirculationError(
            _("Another reader of the school was given one of the file's codes meanwhile; "
              "nothing was saved. Upload the file again.")
        ) from error  # fmt: skip
    summary: dict[str, int | bool] = {
        "created": len(new),
        "updated": len(changed),
        "rows": len(checked.rows),
        "valid_only": valid_only,
    }
    locked.mark_applied(summary)
    return summary


def _fill(reader: Reader, data: dict[str, Any]) -> None:
    """The row's values on the reader; a cell left empty keeps what the school knew (a date of
    birth, a class). `Reader.save` is not called: its folded name is set here."""
    reader.kind = data["kind"]
    reader.full_name = data["full_name"]
    reader.folded_name = fold(reader.full_name)
    reader.birth_date = data["birth_date"] or reader.birth_date
    reader.class_name = data["class_name"] or reader.class_name
    reader.school_year = data["school_year"]
    if reader.kind != ReaderKind.STUDENT:
        reader.grade = None
    elif data["grade"] is not None:
        reader.grade = data["grade"]
    reader.active, reader.left_on = True, None
