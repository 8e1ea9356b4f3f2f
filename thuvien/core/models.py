"""Domain-free records: an uploaded spreadsheet kept between its preview and its application.

An import batch is a small state machine (`ImportStatus`, `IMPORT_TRANSITIONS`): previewed
(pending) → confirmed (queued for the task worker) → running → done or failed. Each move is one
conditional UPDATE, so two clicks or two workers can never both win.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuvien.access import Person, Policy, ScopedQuerySet


class ImportKind(models.TextChoices):
    UNITS = "units", _("Units")
    STAFF = "staff", _("Staff")
    CATALOGUE_MARC = "catalogue_marc", _("Catalogue (MARC)")
    CATALOGUE_SHEET = "catalogue_sheet", _("Catalogue (spreadsheet)")
    READERS = "readers", _("Readers")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Not confirmed")
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.PENDING: frozenset({ImportStatus.QUEUED}),
    ImportStatus.QUEUED: frozenset({ImportStatus.RUNNING}),
    ImportStatus.RUNNING: frozenset({ImportStatus.DONE, ImportStatus.FAILED}),
    ImportStatus.DONE: frozenset(),
    ImportStatus.FAILED: frozenset(),
}


class ImportBatchQuerySet(ScopedQuerySet["ImportBatch"]):
    def owned_by(self, user: Any) -> ImportBatchQuerySet:
        """A batch belongs to the person who uploaded it; nobody else may see or apply it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(created_by=user)

    def lock_running(self, batch: ImportBatch) -> ImportBatch | None:
        """The batch, locked for applying; None unless a worker has claimed it (see
        `ImportBatch.mark_running`) and it is not applied yet."""
        return self.select_for_update().filter(pk=batch.pk, status=ImportStatus.RUNNING).first()


class ImportBatch(models.Model):
    """One uploaded file: previewed (dry run), then applied at most once, all or nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    # The membership the importer acted in when confirming: the worker applies the file in that
    # scope, or not at all. A plain id, as core knows nothing of organisations.
    scope_membership_id = models.PositiveBigIntegerField(null=True, blank=True)
    queued_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    summary = models.JSONField(default=dict, blank=True)

    policy = Policy(see=Person("created_by"))
    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="import_batch_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ImportStatus.DONE, applied_at__isnull=False)
                | (~Q(status=ImportStatus.DONE) & Q(applied_at__isnull=True)),
                name="import_batch_applied_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.filename}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    def _move(self, to: str, **changes: Any) -> bool:
        """Move to state `to` if the current state (in the database) allows it."""
        sources = [state for state, targets in IMPORT_TRANSITIONS.items() if to in targets]
        moved = ImportBatch.objects.filter(pk=self.pk, status__in=sources).update(
            status=to, **changes
        )
        self.refresh_from_db(fields=["status", *changes])
        return bool(moved)

    def mark_queued(self, *, membership_id: int) -> bool:
        return self._move(
            ImportStatus.QUEUED, scope_membership_id=membership_id, queued_at=timezone.now()
        )

    def mark_running(self) -> bool:
        return self._move(ImportStatus.RUNNING)

    def mark_applied(self, summary: dict[str, Any]) -> bool:
        now = timezone.now()
        return self._move(ImportStatus.DONE, applied_at=now, finished_at=now, summary=summary)

    def mark_failed(self, error: str) -> bool:
        return self._move(ImportStatus.FAILED, error=error, finished_at=timezone.now())


class DataVersion(models.Model):
    """A token that changes whenever the data it names changes (`thuvien.core.versions`): what is
    computed from that data can be kept under the token and is never shown once it is stale."""

    key = models.CharField(max_length=100, unique=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"
