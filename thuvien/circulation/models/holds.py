"""Holds (đặt mượn trước): a reader queues for a title at their school. When a copy of it comes
back (or one is taken off the shelf for them) it is set aside for the first in the queue, who
is told (in the app and by e-mail when the reader has an account) and has a few open days to
pick it up; the copy is lent to nobody else meanwhile."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import ScopedQuerySet
from thuvien.circulation.models.readers import CIRCULATION_ROWS, Reader


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    READY = "ready", _("Ready for pickup")
    FULFILLED = "fulfilled", _("Picked up")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not picked up")


ACTIVE = (HoldStatus.WAITING, HoldStatus.READY)


class HoldQuerySet(ScopedQuerySet["Hold"]):
    def active(self) -> HoldQuerySet:
        return self.filter(status__in=ACTIVE)


class Hold(models.Model):
    school = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    record = models.ForeignKey("catalogue.Record", on_delete=models.PROTECT, related_name="+")
    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="holds")
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.WAITING
    )
    copy = models.ForeignKey(
        "catalogue.Copy",
        verbose_name=_("copy set aside"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ready_at = models.DateTimeField(_("set aside at"), null=True, blank=True)
    pickup_by = models.DateField(_("pick up by"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    policy = CIRCULATION_ROWS
    objects = HoldQuerySet.as_manager()
    history = HistoricalRecords(no_db_index=["school", "record", "reader", "copy"])

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "record"],
                condition=Q(status__in=ACTIVE),
                name="one_active_hold_a_title",
            ),
            models.UniqueConstraint(
                fields=["copy"], condition=Q(status=HoldStatus.READY), name="one_hold_a_copy"
            ),
            models.CheckConstraint(
                condition=Q(status__in=HoldStatus.values), name="hold_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=HoldStatus.READY) | Q(copy__isnull=False),
                name="ready_hold_has_its_copy",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "record", "placed_at"],
                condition=Q(status__in=ACTIVE),
                name="hold_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} ⇢ {self.record_id}"
