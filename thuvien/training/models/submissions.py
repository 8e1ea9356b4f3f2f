"""What a unit sends up the tree: a school's package and an office's or the department's report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, ByUnit, OwnedBy, Policy, ScopedQuerySet, SentTo
from thuvien.organisations.models import Signer, Unit
from thuvien.training.models.campaigns import Campaign


class PackageStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


PACKAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    PackageStatus.DRAFT: frozenset({PackageStatus.SUBMITTED}),
    PackageStatus.SUBMITTED: frozenset({PackageStatus.RETURNED, PackageStatus.ACCEPTED}),
    PackageStatus.RETURNED: frozenset({PackageStatus.SUBMITTED}),
    PackageStatus.ACCEPTED: frozenset(),
}


class SchoolPackageQuerySet(ScopedQuerySet["SchoolPackage"]):
    pass


# What is sent up the tree is reviewed (returned, accepted) only by the unit it was sent to;
# others who see it (the department above an office, the school's new office) only read it.
REVIEWED_BY_RECIPIENT = ByUnit("submitted_to").because(
    _("Only the unit it was sent to can review it.")
)


class Sent(models.Model):
    """What a unit sends up the tree: when, by whom, to which unit (kept as sent, even if the
    sender moves later), and the supervisor's review (a return with its comment, or acceptance)."""

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_to = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("comment for revision"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class SchoolPackage(Sent):
    """A school's evaluations and summary, sent to its supervisor of the day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="packages")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("school summary"), blank=True)
    status = models.CharField(
        max_length=16, choices=PackageStatus.choices, default=PackageStatus.DRAFT
    )

    history = HistoricalRecords()
    policy = Policy(
        see=OwnedBy("school") | SentTo("submitted_to"),
        actions={Action.REVIEW_PACKAGES: REVIEWED_BY_RECIPIENT},
    )
    objects = SchoolPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("school package")
        verbose_name_plural = _("school packages")
        ordering = ["campaign_id", "school__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="one_package_per_school"),
            models.CheckConstraint(
                condition=Q(status__in=PackageStatus.values), name="package_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PackageStatus.DRAFT) | Q(submitted_to__isnull=False),
                name="sent_package_has_route",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.campaign}"

    @property
    def is_late(self) -> bool:
        deadline = self.campaign.school_deadline
        if self.submitted_at is None or deadline is None:
            return False
        return timezone.localdate(self.submitted_at) > deadline


class UnitReportStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")
    # The department's own report goes nowhere: it is final once signed off.
    FINAL = "final", _("Final")


UNIT_REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    UnitReportStatus.DRAFT: frozenset({UnitReportStatus.SUBMITTED, UnitReportStatus.FINAL}),
    UnitReportStatus.SUBMITTED: frozenset({UnitReportStatus.RETURNED, UnitReportStatus.ACCEPTED}),
    UnitReportStatus.RETURNED: frozenset({UnitReportStatus.SUBMITTED}),
    UnitReportStatus.ACCEPTED: frozenset(),
    UnitReportStatus.FINAL: frozenset(),
}


class UnitReportQuerySet(ScopedQuerySet["UnitReport"]):
    pass


class UnitReport(Sent):
    """An office's aggregate report to the department (Báo cáo tổng hợp), or the department's
    own final report on the campaign: the figures are computed from the schools' packages when
    the document is made; the narrative is written here."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="unit_reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=64, blank=True)
    place = models.CharField(
        _("place of issue"),
        max_length=128,
        blank=True,
        help_text=_("Empty: the locality in the unit's name."),
    )
    results = models.TextField(_("results"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # Who signs it, among the unit's signers (checked by the service); empty: the unit's head.
    signer = models.ForeignKey(
        Signer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    status = models.CharField(
        max_length=16, choices=UnitReportStatus.choices, default=UnitReportStatus.DRAFT
    )
    # The documents as sent (or finalised): what the supervisor opens is what was signed, not
    # today's figures. Served only through the scoped report views.
    sent_pdf = models.FileField(upload_to="training/unit-reports/%Y/", blank=True)
    sent_docx = models.FileField(upload_to="training/unit-reports/%Y/", blank=True)
    sent_xlsx = models.FileField(upload_to="training/unit-reports/%Y/", blank=True)

    history = HistoricalRecords()
    policy = Policy(
        see=OwnedBy("unit") | SentTo("submitted_to"),
        actions={
            Action.REVIEW_PACKAGES: REVIEWED_BY_RECIPIENT,
            Action.WRITE_REPORTS: ByUnit("unit").because(
                _("Only the unit that writes a report sends it.")
            ),
        },
    )
    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("aggregate report")
        verbose_name_plural = _("aggregate reports")
        ordering = ["campaign_id", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_report_per_unit"),
            models.CheckConstraint(
                condition=Q(status__in=UnitReportStatus.values), name="unit_report_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "returned", "accepted"])
                | Q(submitted_to__isnull=False),
                name="sent_unit_report_has_route",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign}"

    @property
    def is_late(self) -> bool:
        deadline = self.campaign.office_deadline
        if self.submitted_at is None or deadline is None:
            return False
        return timezone.localdate(self.submitted_at) > deadline
