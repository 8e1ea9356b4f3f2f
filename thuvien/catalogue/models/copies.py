"""A school's copies (bản sách) and how they are numbered.

- `Sequence`: a running registration number (số đăng ký cá biệt) with its prefix ("SGK.",
  "TK."). A school numbers its copies per collection (each collection its own sequence) or per
  school (every collection on one sequence): the scheme is which sequence each collection uses.
  A number is taken once, under a row lock, and never given again, even if its copy is deleted.
- `Collection`: a kho of the school (SGK, SGV/SNV, STK, STN, periodicals…).
- `Copy`: one physical item: its registration number (never edited once registered), barcode
  (Code 128; the registration number unless the school uses another), place, price, source,
  acquisition batch and status. Withdrawn copies stay in the register, marked "đã thanh lọc".
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, Holds, OwnedBy, Policy, ScopedQuerySet
from thuvien.catalogue.models.records import DocType, Record
from thuvien.organisations.models import Unit

SCHOOL_ROWS = Policy(see=OwnedBy("school") & Holds(Action.VIEW_CATALOGUE))


class Sequence(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(_("prefix"), max_length=12, blank=True)  # "SGK." "TK." ""
    digits = models.PositiveSmallIntegerField(_("digits"), default=6)  # SGK.000123
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    policy = SCHOOL_ROWS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("numbering sequence")
        verbose_name_plural = _("numbering sequences")
        constraints = [
            models.UniqueConstraint(fields=["school", "prefix"], name="one_sequence_a_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{'0' * self.digits}"

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.digits}d}"


class Collection(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=20)  # "SGK", "STK"
    name = models.CharField(_("name"), max_length=200)
    # The document types it usually holds: which register its copies go to (SGK register for
    # textbooks and teachers' books, the individual register for the others).
    doc_type = models.CharField(
        _("usual document type"), max_length=12, choices=DocType.choices, blank=True
    )
    sequence = models.ForeignKey(
        Sequence, verbose_name=_("numbering"), on_delete=models.PROTECT, related_name="+"
    )
    # A classroom collection the school keeps out of the public catalogue.
    public = models.BooleanField(_("shown in the public catalogue"), default=True)

    policy = SCHOOL_ROWS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["school_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="one_collection_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class CopyStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_LOAN = "on_loan", _("On loan")
    LOST = "lost", _("Lost")
    DAMAGED = "damaged", _("Damaged")
    IN_REPAIR = "in_repair", _("In repair")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    ALLOCATION = "allocation", _("Allocation")
    DONATION = "donation", _("Donation (xã hội hóa)")


class CopyQuerySet(ScopedQuerySet["Copy"]):
    def in_stock(self) -> CopyQuerySet:
        return self.exclude(status=CopyStatus.WITHDRAWN)

    def scanned(self, code: str) -> Copy | None:
        """The copy a scanned or typed code names: its barcode, else its registration number
        (what a label shows when the school's barcodes are other numbers)."""
        code = code.strip()
        if not code:
            return None
        return self.filter(barcode=code).first() or self.filter(registration_number=code).first()


class Copy(models.Model):
    # No index of its own: the unique constraints below begin with the school.
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="copies")
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="copies")
    registration_number = models.CharField(_("registration number"), max_length=30, editable=False)
    # Sort order of the register: the sequence and the number in it.
    sequence = models.ForeignKey(  # indexed by one_number_a_sequence
        Sequence, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    number = models.PositiveIntegerField(editable=False)
    barcode = models.CharField(_("barcode"), max_length=40)
    location = models.CharField(_("shelf location"), max_length=100, blank=True)
    price_vnd = models.PositiveBigIntegerField(_("price (VND)"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.PURCHASE
    )
    donor = models.CharField(_("donor"), max_length=300, blank=True)
    batch = models.ForeignKey(
        "catalogue.AcquisitionBatch",
        verbose_name=_("acquisition batch"),
        on_delete=models.PROTECT,
        related_name="copies",
        null=True,
        blank=True,
        db_index=False,  # indexed where set (copy_batch)
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CopyStatus.choices, default=CopyStatus.AVAILABLE
    )
    notes = models.TextField(_("notes"), blank=True)
    registered_on = models.DateField(_("registered on"))
    withdrawal = models.ForeignKey(
        "catalogue.Withdrawal",
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,  # indexed where set (copy_withdrawal)
    )
    created_at = models.DateTimeField(auto_now_add=True)

    policy = SCHOOL_ROWS
    objects = CopyQuerySet.as_manager()
    # Read by copy (`id`) and date only: the model's own indexes are not copied (see Record).
    history = HistoricalRecords(
        no_db_index=["school", "record", "collection", "sequence", "batch", "withdrawal"]
    )

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        ordering = ["school_id", "sequence_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "registration_number"], name="one_registration_number"
            ),
            models.UniqueConstraint(fields=["school", "barcode"], name="one_barcode_a_school"),
            models.UniqueConstraint(fields=["sequence", "number"], name="one_number_a_sequence"),
            models.CheckConstraint(
                condition=Q(status__in=CopyStatus.values), name="copy_status_valid"
            ),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="copy_source_valid"),
            models.CheckConstraint(
                condition=~Q(status=CopyStatus.WITHDRAWN) | Q(withdrawal__isnull=False),
                name="withdrawn_copy_has_its_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "record"], name="copy_school_record"),
            models.Index(fields=["barcode"], name="copy_barcode"),
            # Most copies come from no batch and none is withdrawn: only the others are indexed.
            models.Index(fields=["batch"], condition=Q(batch__isnull=False), name="copy_batch"),
            models.Index(
                fields=["withdrawal"],
                condition=Q(withdrawal__isnull=False),
                name="copy_withdrawal",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number
