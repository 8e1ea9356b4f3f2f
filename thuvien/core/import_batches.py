"""An import batch after its preview: confirmed, applied by the task worker, done or failed.

Domain-free: each importer (units, staff) hands over its own task and its own apply function;
this module owns the life of the batch around them (see `ImportStatus`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import Task

from thuvien.core.models import ImportBatch, ImportStatus
from thuvien.core.spreadsheets import Preview, SpreadsheetError

S = TypeVar("S")  # the importer's scope, whatever the access policy makes it


class BatchError(Exception):
    """The batch is not in a state for this; the message says why and what to do."""


def _refusal(batch: ImportBatch) -> str:
    if batch.status == ImportStatus.DONE:
        return _("This import was already applied; nothing more was changed.")
    if batch.status == ImportStatus.FAILED:
        return _("This import failed; nothing more was changed. Upload the file again.")
    return _("This import is already confirmed; nothing more was changed.")


def queue_batch(batch: ImportBatch, *, membership_id: int, task: Task[[str, str], Any]) -> None:
    """Confirm the batch: remember the role the importer acts in now and hand it to the worker."""
    with transaction.atomic():
        if not batch.mark_queued(membership_id=membership_id):
            raise BatchError(_refusal(batch))
        # Enqueued inside this transaction: the database backend stores the task with the status
        # change, so a batch is never queued without its task, nor the reverse.
        task.enqueue(str(batch.pk), translation.get_language() or "")


def run_batch(
    batch_id: str,
    *,
    kind: str,
    language: str,
    apply: Callable[[ImportBatch], Any],
    errors: tuple[type[Exception], ...],
) -> str:
    """Apply a queued batch (in the worker): all or nothing, the outcome kept on the batch.

    `apply` marks the batch applied (`ImportBatch.mark_applied`) in its transaction; an error of
    `errors` (or a `SpreadsheetError`, or the `BatchError` of `claimed_preview`) ends the batch as
    failed with its message, in the language the importer confirmed in. Returns the final
    status."""
    batch = ImportBatch.objects.filter(pk=batch_id, kind=kind).first()
    if batch is None:
        return "missing"  # deleted meanwhile (see prune_import_batches)
    if not batch.mark_running():
        return batch.status  # already run: a task delivered twice changes nothing
    expected: tuple[type[Exception], ...] = (SpreadsheetError, BatchError, *errors)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                apply(batch)
                batch.refresh_from_db(fields=["status"])
                if batch.status != ImportStatus.DONE:
                    raise RuntimeError(f"{apply!r} did not mark batch {batch_id} applied")
        except expected as error:
            batch.mark_failed(str(error))
        except Exception:
            batch.mark_failed(
                _(
                    "The import stopped on an unexpected error; nothing was saved. Try again "
                    "later, and tell the administrator if it happens again."
                )
            )
            raise  # the worker logs it with its traceback and records the task as failed
    return batch.status


def claimed_preview(
    batch: ImportBatch,
    scope: S,
    *,
    by: Any,
    preview: Callable[[ImportBatch, S], Preview],
) -> tuple[ImportBatch, Preview]:
    """Lock a batch the worker claimed and check it again against today's data (run inside the
    applying transaction, at the start of every importer's apply function): nothing that changed
    since the dry run slips through."""
    locked = ImportBatch.objects.owned_by(by).lock_running(batch)
    if locked is None:
        raise BatchError(_("This import is not being applied (not confirmed, or already applied)."))
    checked = preview(locked, scope)
    if not checked.is_valid:
        raise BatchError(
            _(
                "The file no longer passes the checks (the data changed since the preview); "
                "nothing was saved. Upload it again to see what to fix."
            )
        )
    return locked, checked


@dataclass(frozen=True)
class Pruned:
    deleted: int
    emptied: int
    stuck: int = 0


def prune_batches(
    *,
    unconfirmed_days: int = 7,
    finished_days: int = 30,
    stuck_hours: int = 6,
    dry_run: bool = False,
) -> Pruned:
    """Delete batches never confirmed, drop the file of batches finished long ago (the row, its
    outcome and summary stay), and end as failed the batches still "importing" hours after they
    were confirmed: their worker died, and as the apply is one transaction, nothing was saved."""
    now = timezone.now()
    stuck = ImportBatch.objects.filter(
        status=ImportStatus.RUNNING, queued_at__lt=now - dt.timedelta(hours=stuck_hours)
    )
    stale = ImportBatch.objects.filter(
        status=ImportStatus.PENDING, created_at__lt=now - dt.timedelta(days=unconfirmed_days)
    )
    finished = ImportBatch.objects.filter(
        status__in=(ImportStatus.DONE, ImportStatus.FAILED),
        finished_at__lt=now - dt.timedelta(days=finished_days),
    ).exclude(content=b"")
    if dry_run:
        return Pruned(deleted=stale.count(), emptied=finished.count(), stuck=stuck.count())
    message = _(
        "The import stopped before it finished (the background worker was interrupted); "
        "nothing was saved. Upload the file again."
    )
    with transaction.atomic():
        deleted, _by_model = stale.delete()
        emptied = finished.update(content=b"")
        failed = stuck.update(status=ImportStatus.FAILED, error=message, finished_at=now)
    return Pruned(deleted=deleted, emptied=emptied, stuck=failed)
