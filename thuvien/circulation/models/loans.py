"""Loan rules, the school calendar, and loans.

- `LoanRule`: per school × reader type × collection (or every collection): loan period, maximum
  items, renewals, whether holds are allowed, and a fixed due date for loans that run the whole
  school year (textbooks).
- `Closure` and `DeskSettings`: the days the library is shut (holidays, closures, the weekly
  closed days); a due date that falls on one moves to the next open day.
- `Loan`: one copy lent to one reader. At most one open loan a copy, enforced by the database
  (`one_open_loan_a_copy`); the desk's scan keys make a scan sent twice do nothing twice.
  Every change is kept in its history (audited), and a loan is never deleted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import ScopedQuerySet
from thuvien.circulation.models.readers import CIRCULATION_ROWS, Reader, ReaderKind
from thuvien.organisations.models import Unit


class DeskSettingsQuerySet(ScopedQuerySet["DeskSettings"]):
    pass


class DeskSettings(models.Model):
    """A school's desk: the weekdays the library is shut (0 = Monday … 6 = Sunday)."""

    school = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    closed_weekdays = models.CharField(_("closed weekdays"), max_length=13, default="6")
    hours_per_week = models.DecimalField(
        _("opening hours a week"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    policy = CIRCULATION_ROWS
    objects = DeskSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("desk settings")
        verbose_name_plural = _("desk settings")

    def __str__(self) -> str:
        return str(self.school)

    @property
    def weekdays(self) -> set[int]:
        return {int(day) for day in self.closed_weekdays.split(",") if day.strip().isdigit()}


class LoanRuleQuerySet(ScopedQuerySet["LoanRule"]):
    pass


class LoanRule(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    reader_kind = models.CharField(_("reader type"), max_length=10, choices=ReaderKind.choices)
    collection = models.ForeignKey(
        "catalogue.Collection",
        verbose_name=_("collection"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every collection without a rule of its own."),
    )
    loan_days = models.PositiveSmallIntegerField(_("loan period (days)"), default=14)
    max_items = models.PositiveSmallIntegerField(_("maximum items"), default=3)
    renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=1)
    holds_allowed = models.BooleanField(_("holds allowed"), default=True)
    fixed_due_on = models.DateField(
        _("due on (whole school year)"),
        null=True,
        blank=True,
        help_text=_("For loans that run the whole school year, such as textbooks."),
    )

    policy = CIRCULATION_ROWS
    objects = LoanRuleQuerySet.as_manager()
    history = HistoricalRecords(no_db_index=["school", "collection"])

    class Meta:
        verbose_name = _("loan rule")
        verbose_name_plural = _("loan rules")
        ordering = ["school_id", "reader_kind", "collection_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reader_kind", "collection"],
                name="one_rule_a_kind_and_collection",
            ),
            models.UniqueConstraint(
                fields=["school", "reader_kind"],
                condition=Q(collection__isnull=True),
                name="one_general_rule_a_kind",
            ),
            models.CheckConstraint(
                condition=Q(reader_kind__in=ReaderKind.values), name="rule_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reader_kind_display()} · {self.collection or '*'}"


# The rule a school without rules of its own lends by.
DEFAULT_RULE = LoanRule(loan_days=14, max_items=3, renewals=1, holds_allowed=True)


class ClosureQuerySet(ScopedQuerySet["Closure"]):
    pass


class Closure(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)

    policy = CIRCULATION_ROWS
    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["school_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["school", "ends_on"], name="closure_school_end")]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y} {self.reason}"


class LoanEnd(models.TextChoices):
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost by the reader")
    DAMAGED = "damaged", _("Returned damaged")


class LoanQuerySet(ScopedQuerySet["Loan"]):
    def open(self) -> LoanQuerySet:
        return self.filter(returned_at__isnull=True)

    def overdue(self, today: dt.date | None = None) -> LoanQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Loan(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    copy = models.ForeignKey("catalogue.Copy", on_delete=models.PROTECT, related_name="loans")
    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="loans")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    due_on = models.DateField(_("due on"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The desk's own id of the scan that issued or returned the loan: the same scan sent again
    # (a retry after a time-out, a double scan queued twice) finds it and does nothing twice.
    checkout_key = models.CharField(max_length=64, blank=True, editable=False)
    return_key = models.CharField(max_length=64, blank=True, editable=False)
    # How the loan ended: returned, lost by the reader or returned damaged, with what the
    # reader is asked to pay (the copy's price unless the librarian says otherwise).
    ended = models.CharField(
        _("ended"), max_length=8, choices=LoanEnd.choices, default=LoanEnd.RETURNED
    )
    replacement_vnd = models.PositiveBigIntegerField(
        _("replacement cost (VND)"), null=True, blank=True
    )
    last_notice_on = models.DateField(_("last overdue notice"), null=True, blank=True)

    policy = CIRCULATION_ROWS
    objects = LoanQuerySet.as_manager()
    history = HistoricalRecords(
        no_db_index=["school", "copy", "reader", "issued_by", "returned_by"]
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy"], condition=Q(returned_at__isnull=True), name="one_open_loan_a_copy"
            ),
            models.UniqueConstraint(
                fields=["school", "checkout_key"],
                condition=~Q(checkout_key=""),
                name="one_loan_a_checkout_scan",
            ),
            models.UniqueConstraint(
                fields=["school", "return_key"],
                condition=~Q(return_key=""),
                name="one_loan_a_return_scan",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("issued_at")),
                name="loan_returned_after_issue",
            ),
        ]
        indexes = [
            models.Index(
                fields=["reader"], condition=Q(returned_at__isnull=True), name="loan_open_reader"
            ),
            models.Index(
                fields=["school", "due_on"],
                condition=Q(returned_at__isnull=True),
                name="loan_open_due",
            ),
            models.Index(fields=["school", "issued_at"], name="loan_school_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.copy_id} → {self.reader_id}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())
