"""Acquisitions and withdrawals: the two halves of the general register (Sổ đăng ký tổng quát).

- `AcquisitionBatch`: one receiving document (chứng từ): date, source, supplier or donor,
  invoice, total value. Its running number per school is the line of part I of the general
  register, carried onto each copy it brought.
- `Withdrawal` (thanh lý, xuất kho): a list of copies with reasons, proposed by the library, then
  approved by the principal with the minutes (biên bản) number and date and the decision number:
  its copies are withdrawn and the individual register marks them "đã thanh lọc". Its running
  number per school is the line of part II.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, OwnedBy, Policy, ScopedQuerySet
from thuvien.catalogue.models.copies import SCHOOL_ROWS, Copy, Source
from thuvien.organisations.models import Unit


class AcquisitionBatch(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("general register number"), editable=False)
    received_on = models.DateField(_("received on"))
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.PURCHASE
    )
    supplier = models.CharField(_("supplier or donor"), max_length=300, blank=True)
    invoice_number = models.CharField(_("document or invoice number"), max_length=60, blank=True)
    total_vnd = models.PositiveBigIntegerField(_("total value (VND)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    policy = SCHOOL_ROWS
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acquisition batch")
        verbose_name_plural = _("acquisition batches")
        ordering = ["school_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="one_batch_number"),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="batch_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.received_on:%d/%m/%Y})"


class WithdrawalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved, copies withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class Withdrawal(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("general register number"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.PROPOSED,
    )
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    minutes_number = models.CharField(_("minutes number"), max_length=60, blank=True)
    minutes_date = models.DateField(_("minutes date"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    policy = Policy(
        see=SCHOOL_ROWS.see,
        actions={
            Action.APPROVE_WITHDRAWALS: OwnedBy("school").because(
                _("Only the school's principal approves its withdrawals.")
            )
        },
    )
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["school_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="one_withdrawal_number"),
            models.CheckConstraint(
                condition=Q(status__in=WithdrawalStatus.values), name="withdrawal_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=WithdrawalStatus.APPROVED)
                | (
                    ~Q(minutes_number="")
                    & Q(minutes_date__isnull=False)
                    & Q(withdrawn_on__isnull=False)
                ),
                name="approved_withdrawal_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class WithdrawalLine(models.Model):
    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="lines")
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    policy = SCHOOL_ROWS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["withdrawal", "copy"], name="copy_once_a_withdrawal"),
        ]

    def __str__(self) -> str:
        return f"{self.withdrawal} {self.copy_id}"
