"""A stocktake and its scans and outcome lines.

- `Stocktake`: of a school, for the whole school, one collection or one shelf (a location);
  open → closed (its outcome computed once, as lines) → applied (the principal approved: the
  missing copies marked lost, the lost or withdrawn-but-found ones back on the shelf).
- `StocktakeScan`: one copy scanned (the barcode as read, the copy it is, where it was found);
  a copy counts once (`one_scan_a_copy`), the desk's scan key makes a resent scan do nothing.
- `StocktakeLine`: the outcome for one copy or one unknown barcode.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, Holds, OwnedBy, Policy, ScopedQuerySet
from thuvien.organisations.models import Unit

ROWS = Policy(see=OwnedBy("school") & Holds(Action.VIEW_CATALOGUE))


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("Open: scanning")
    CLOSED = "closed", _("Closed: awaiting approval")
    APPLIED = "applied", _("Applied")


class StocktakeQuerySet(ScopedQuerySet["Stocktake"]):
    pass


class Stocktake(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    collection = models.ForeignKey(
        "catalogue.Collection",
        verbose_name=_("collection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every collection."),
    )
    location = models.CharField(
        _("shelf"),
        max_length=100,
        blank=True,
        help_text=_("Empty: every shelf. A shelf counts only the copies placed on it."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    policy = Policy(
        see=ROWS.see,
        actions={Action.APPROVE_WITHDRAWALS: Holds(Action.APPROVE_WITHDRAWALS)},
    )
    objects = StocktakeQuerySet.as_manager()
    history = HistoricalRecords(no_db_index=["school", "collection", "opened_by", "approved_by"])

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StocktakeStatus.values), name="stocktake_status_valid"
            )
        ]
        indexes = [models.Index(fields=["school", "opened_at"], name="stocktake_school")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.opened_at:%d/%m/%Y}"

    @property
    def is_partial(self) -> bool:
        return self.collection_id is not None or bool(self.location)


class ScanQuerySet(ScopedQuerySet["StocktakeScan"]):
    pass


class StocktakeScan(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="scans")
    barcode = models.CharField(max_length=40)
    copy = models.ForeignKey(
        "catalogue.Copy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    found_at = models.CharField(_("found at"), max_length=100, blank=True)
    key = models.CharField(max_length=64, blank=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scanned_at = models.DateTimeField(default=timezone.now)

    policy = ROWS
    objects = ScanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "copy"],
                condition=Q(copy__isnull=False),
                name="one_scan_a_copy",
            ),
            models.UniqueConstraint(
                fields=["stocktake", "barcode"],
                condition=Q(copy__isnull=True),
                name="one_scan_an_unknown_code",
            ),
            models.UniqueConstraint(
                fields=["stocktake", "key"], condition=~Q(key=""), name="one_scan_a_key"
            ),
        ]

    def __str__(self) -> str:
        return self.barcode


class Outcome(models.TextChoices):
    MISSING = "missing", _("Missing from the shelf")
    MISPLACED = "misplaced", _("Found in another place")
    ON_LOAN = "on_loan", _("On loan")
    FOUND_LOST = "found_lost", _("Marked lost, found")
    FOUND_WITHDRAWN = "found_withdrawn", _("Withdrawn, found")
    SCANNED_ON_LOAN = "scanned_on_loan", _("On loan, yet on the shelf")
    OTHER_SCHOOL = "other_school", _("Not this school's copy")
    UNKNOWN = "unknown", _("Unknown barcode")


class LineQuerySet(ScopedQuerySet["StocktakeLine"]):
    pass


class StocktakeLine(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    copy = models.ForeignKey(
        "catalogue.Copy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    barcode = models.CharField(max_length=40)
    expected_at = models.CharField(max_length=100, blank=True)
    found_at = models.CharField(max_length=100, blank=True)

    policy = ROWS
    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "barcode"]
        indexes = [models.Index(fields=["stocktake", "outcome"], name="stocktake_line_outcome")]

    def __str__(self) -> str:
        return f"{self.outcome} {self.barcode}"
