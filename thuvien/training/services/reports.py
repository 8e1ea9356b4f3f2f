"""The aggregate reports: an office's report to the department, and the campaign issuer's own.

A report of the unit that issued the campaign (the department for the province) goes nowhere: it is
finalised. Every other unit's report is sent to its supervisor on the day of sending, and the
supervisor returns it with a comment or accepts it. While a report is a draft its figures are
computed from the schools' packages whenever it is shown (`thuvien.training.figures`); on sending
(or finalising) the PDF, DOCX and XLSX are made once and kept (`sent_pdf`…), so what the
supervisor opens is what was signed, whatever happens to the packages afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.core.form_help import COMMENT_MAX_CHARS, SECTION_MAX_CHARS, too_long
from thuvien.organisations.models import Signer, Unit
from thuvien.organisations.services import supervisor_on
from thuvien.training.models import (
    UNIT_REPORT_TRANSITIONS,
    Campaign,
    CampaignStatus,
    PackageStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)
from thuvien.training.services import notices, sending
from thuvien.training.services.common import TrainingError, _audit, _lock, _move, _now

EDITABLE = (UnitReportStatus.DRAFT, UnitReportStatus.RETURNED)
RECEIVED = (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)


def _check_reach(campaign: Campaign, unit: Unit) -> None:
    if not unit.is_supervising:
        raise TrainingError(_("Only an office or the department writes an aggregate report."))
    if campaign.status == CampaignStatus.DRAFT:
        raise TrainingError(_("The campaign is not published yet."))
    target = campaign.target.path
    if not (unit.path.startswith(target) or target.startswith(unit.path)):
        raise TrainingError(_("The campaign does not reach “%(unit)s”.") % {"unit": unit.name})


def _check_editable(report: UnitReport) -> None:
    if report.status not in EDITABLE:
        raise TrainingError(
            _("The report is “%(status)s” and can no longer be changed.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def prepare_unit_report(
    campaign: Campaign,
    unit: Unit,
    *,
    by: Any,
    number: int | None = None,
    symbol: str = "",
    place: str = "",
    results: str = "",
    limitations: str = "",
    proposals: str = "",
    signatory: Signer | None = None,
) -> UnitReport:
    """The unit's report as a draft (or returned), with its number, narrative and signer (one of
    the unit's signers; none: its head) saved."""
    _check_reach(campaign, unit)
    if signatory is not None and signatory.unit_id != unit.pk:
        raise TrainingError(
            _("%(name)s is not a signer of %(unit)s.")
            % {"name": signatory.full_name, "unit": unit.name}
        )
    if number is not None and number < 1:
        raise TrainingError(_("A document number starts at 1."))
    if symbol.strip() and not symbol.strip().startswith("BC-"):
        raise TrainingError(_("The symbol of a report starts with “BC-”, e.g. “BC-PGDĐT”."))
    report, _created = UnitReport.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit
    )
    _check_editable(report)
    sections = {
        _("The results"): results,
        _("The limitations"): limitations,
        _("The proposals"): proposals,
    }
    for what, text in sections.items():
        if message := too_long(SECTION_MAX_CHARS, len(text.strip()), what):
            raise TrainingError(message)
    report.number, report.symbol, report.place = number, symbol.strip(), place.strip()
    report.results, report.limitations = results.strip(), limitations.strip()
    report.proposals, report.signer = proposals.strip(), signatory
    _audit(report, by)
    report.save()
    return report


@transaction.atomic
def submit_unit_report(
    report: UnitReport,
    *,
    by: Any,
    on: dt.datetime | None = None,
    not_sent: Collection[int] | None = None,
) -> UnitReport:
    """Send the report to the unit's supervisor on the day (late after the office deadline);
    the schools that have not sent their package are named and must be among `not_sent` (the
    ids the sender confirmed: `sending.check_schools_confirmed`)."""
    _lock(report)
    campaign, unit = report.campaign, report.unit
    if unit.pk == campaign.issuer_id:
        raise TrainingError(_("This is the campaign's own report: finalise it instead."))
    if report.status in (UnitReportStatus.SUBMITTED, UnitReportStatus.ACCEPTED):
        raise TrainingError(
            _("The report was already sent to %(unit)s on %(date)s.")
            % {"unit": report.submitted_to, "date": _day(report.submitted_at)}
        )
    if campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("The campaign is not open."))
    received = SchoolPackage.objects.filter(
        campaign=campaign, submitted_to=unit, status__in=RECEIVED
    )
    if not received.exists():
        raise TrainingError(
            _("No school package has been received yet: there is nothing to report.")
        )
    sent_at = _now(on)
    if not_sent is not None:
        unsent = sending.schools_not_sent(campaign, unit, timezone.localdate(sent_at))
        sending.check_schools_confirmed(unsent, not_sent)
    supervisor = supervisor_on(unit, timezone.localdate(sent_at))
    if supervisor is None:
        raise TrainingError(_("The unit had no supervising unit on that date."))
    _move(report, "status", UNIT_REPORT_TRANSITIONS, UnitReportStatus.SUBMITTED)
    report.submitted_at, report.submitted_by, report.submitted_to = sent_at, by, supervisor
    report.return_comment = ""
    _keep_sent_copies(report)
    _audit(report, by)
    report.save()
    notices.unit_report_arrived(report)
    return report


def _day(at: dt.datetime | None) -> str:
    return timezone.localdate(at).strftime("%d/%m/%Y") if at else "…"


@transaction.atomic
def return_unit_report(report: UnitReport, *, by: Any, comment: str) -> UnitReport:
    _lock(report)
    if not comment.strip():
        raise TrainingError(
            _("Say what the unit should revise when returning its aggregate report.")
        )
    if message := too_long(COMMENT_MAX_CHARS, len(comment.strip()), _("The comment")):
        raise TrainingError(message)
    _move(report, "status", UNIT_REPORT_TRANSITIONS, UnitReportStatus.RETURNED)
    report.return_comment = comment.strip()
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    _audit(report, by)
    report.save(update_fields=["status", "return_comment", "reviewed_by", "reviewed_at"])
    notices.unit_report_reviewed(report, accepted=False)
    return report


@transaction.atomic
def accept_unit_report(report: UnitReport, *, by: Any) -> UnitReport:
    _lock(report)
    _move(report, "status", UNIT_REPORT_TRANSITIONS, UnitReportStatus.ACCEPTED)
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    _audit(report, by)
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    notices.unit_report_reviewed(report, accepted=True)
    return report


@transaction.atomic
def finalise_province_report(
    report: UnitReport,
    *,
    by: Any,
    on: dt.datetime | None = None,
    not_sent: Collection[int] | None = None,
) -> UnitReport:
    """The issuer's own report (the province's, for a department campaign) is signed off; the
    offices and schools whose work has not reached it are named and must be among `not_sent`
    (the ids the issuer confirmed: `sending.check_final_confirmed`)."""
    _lock(report)
    if report.unit_id != report.campaign.issuer_id:
        raise TrainingError(
            _("Only the unit that issued the campaign finalises its report; send yours instead.")
        )
    if report.status == UnitReportStatus.FINAL:
        raise TrainingError(_("The report is already final."))
    if not_sent is not None:
        day = timezone.localdate(_now(on))
        missing = sending.final_not_sent(report.campaign, report.unit, day)
        sending.check_final_confirmed(missing, not_sent)
    _move(report, "status", UNIT_REPORT_TRANSITIONS, UnitReportStatus.FINAL)
    report.submitted_at, report.submitted_by = _now(on), by
    _keep_sent_copies(report)
    _audit(report, by)
    report.save()
    return report


def _keep_sent_copies(report: UnitReport) -> None:
    """Make the report's documents as of its sending and keep them with the report (saved with
    it by the caller; replaced when a returned report is sent again)."""
    from thuvien.documents import official_filename, render_docx, render_pdf
    from thuvien.training import report_documents
    from thuvien.training.figures import unit_figures

    day = timezone.localdate(report.submitted_at) if report.submitted_at else None
    figures = unit_figures(report.campaign, report.unit, today=day)
    signer = report_documents.signer_name(report, report.submitted_by)
    document = report_documents.unit_report_document(
        report, figures, signer=signer, signatory=report.signer
    )
    copies = {
        "sent_pdf": render_pdf(document),
        "sent_docx": render_docx(document),
        "sent_xlsx": report_documents.workbook(figures),
    }
    for field, content in copies.items():
        name = official_filename(document, field.removeprefix("sent_"))
        getattr(report, field).save(name, ContentFile(content), save=False)
