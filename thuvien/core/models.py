"""Domain-free records: an uploaded spreadsheet kept between its preview and its confirmation."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    UNITS = "units", _("Units")
    STAFF = "staff", _("Staff")


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def owned_by(self, user: Any) -> ImportBatchQuerySet:
        """A batch belongs to the person who uploaded it; nobody else may see or apply it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(created_by=user)

    def pending(self) -> ImportBatchQuerySet:
        return self.filter(applied_at__isnull=True)

    def lock_pending(self, batch: ImportBatch) -> ImportBatch | None:
        """The batch, locked for applying; None when it was applied meanwhile."""
        return self.select_for_update().pending().filter(pk=batch.pk).first()


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
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="import_batch_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.filename}"

    def mark_applied(self, summary: dict[str, Any]) -> None:
        self.applied_at = timezone.now()
        self.summary = summary
        self.save(update_fields=["applied_at", "summary"])
