"""Background work of the catalogue, run by the django-tasks worker (`manage.py db_worker`, its
own process: an import never holds up a page, nor the loan desk's requests).

Each import (MARC, spreadsheet) is an `ImportBatch` confirmed on its preview; `run_batch` owns its
life (running once, all or nothing, failed with its message), these functions apply it in the
scope the librarian confirmed in — the school of that very membership.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from thuvien.access import Action
from thuvien.catalogue import import_progress
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.core.import_batches import BatchError, run_batch
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.organisations.models import Unit
from thuvien.organisations.services import OrganisationError
from thuvien.organisations.tasks import confirmed_scope

ERRORS = (OrganisationError, CatalogueError)


@task()
def apply_marc_batch(batch_id: str, language: str) -> str:
    """Apply a confirmed MARC import: its records and copies, or (unless the librarian chose
    "only the valid records") nothing when one record is rejected."""
    try:
        return run_batch(
            batch_id, kind=ImportKind.CATALOGUE_MARC, language=language, apply=_apply_marc,
            errors=ERRORS,
        )  # fmt: skip
    finally:
        import_progress.clear(batch_id)


@task()
def apply_sheet_batch(batch_id: str, language: str) -> str:
    """Apply a confirmed catalogue spreadsheet import, as its preview showed it."""
    return run_batch(
        batch_id, kind=ImportKind.CATALOGUE_SHEET, language=language, apply=_apply_sheet,
        errors=ERRORS,
    )  # fmt: skip


def school_confirmed(batch: ImportBatch) -> Unit:
    """The school of the membership the import was confirmed in (still allowed to catalogue)."""
    unit = confirmed_scope(batch, Action.CATALOGUE).unit
    if unit is None or not unit.is_school:
        raise CatalogueError(_("Only a school's library imports into its catalogue."))
    return unit


def _apply_sheet(batch: ImportBatch) -> None:
    from thuvien.catalogue.spreadsheet import apply_sheet

    school = school_confirmed(batch)
    apply_sheet(
        batch, school, by=batch.created_by, valid_only=bool(batch.summary.get("valid_only"))
    )


def _apply_marc(batch: ImportBatch) -> None:
    from thuvien.catalogue.marc.importer import import_marc

    school = school_confirmed(batch)
    locked = ImportBatch.objects.owned_by(batch.created_by).lock_running(batch)
    if locked is None:
        raise BatchError(_("This import is not being applied (not confirmed, or already applied)."))
    valid_only = bool(locked.summary.get("valid_only"))
    content = bytes(locked.content)
    report = import_marc(
        content, school=school, by=locked.created_by, dry_run=False, valid_only=valid_only,
        progress=_records_progress(locked, content),
    )  # fmt: skip
    if report.rejected and not valid_only:
        raise CatalogueError(rejected_message(len(report.rejected)))
    locked.mark_applied(report_summary(report, valid_only=valid_only))


def _records_progress(batch: ImportBatch, content: bytes) -> Callable[[int, int], None]:
    """The importer reports the records done (and the file's size): the bar counts records, of
    as many as the preview read (else as many record terminators as the file holds)."""
    preview = batch.summary.get("preview") or {}
    total = int(preview.get("total") or 0) or max(content.count(b"\x1d"), 1)
    write = import_progress.reporter(batch.pk)
    return lambda done, _size: write(min(done, total), total)


def rejected_message(count: int) -> str:
    return ngettext(
        "%(count)d record of the file was rejected; nothing was saved. Check the file again and "
        "choose to import only the valid records, or correct it.",
        "%(count)d records of the file were rejected; nothing was saved. Check the file again "
        "and choose to import only the valid records, or correct it.",
        count,
    ) % {"count": count}


def report_summary(report: Any, *, valid_only: bool = False) -> dict[str, Any]:
    """What an `ImportReport` says, as the batch keeps it (JSON) for the preview and status."""
    return {
        "total": report.total,
        "created": report.created,
        "matched": report.matched,
        "copies_created": report.copies_created,
        "rejected": [[position, str(reason)] for position, reason in report.rejected],
        "warnings": [_warning(w) for w in report.warnings],
        "valid_only": valid_only,
    }  # fmt: skip


def _warning(warning: Any) -> str:
    if isinstance(warning, tuple | list) and len(warning) == 2:
        return f"{warning[0]}: {warning[1]}"
    return str(warning)
