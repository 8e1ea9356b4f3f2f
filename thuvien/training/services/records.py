"""Use cases of a person's self-training record: study notes and the report's versions.

The rules are the package's: one typed, atomic function per change, raising `TrainingError`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.training.models import (
    REPORT_TRANSITIONS,
    Enrolment,
    Material,
    ReportStatus,
    ReportVersion,
    StudyNote,
    Topic,
)
from thuvien.training.services import common, reviews
from thuvien.training.services.common import TrainingError

# Autosaves closer together than this are coalesced into the latest autosave (its text is
# replaced), so a long writing session leaves a version every half minute, not one per pause.
AUTOSAVE_WINDOW = dt.timedelta(seconds=30)
EDITABLE = (ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED)
MAX_HOURS = Decimal("24")


@transaction.atomic
def add_study_note(
    enrolment: Enrolment,
    *,
    date: dt.date,
    content: str,
    hours: Decimal,
    material: Material | None = None,
    topic: Topic | None = None,
) -> StudyNote:
    common._check_open(enrolment)
    campaign_id = enrolment.campaign_id
    if any(row is not None and row.campaign_id != campaign_id for row in (material, topic)):
        raise TrainingError(_("Choose a material or topic of this campaign."))
    if not content.strip():
        raise TrainingError(_("Write what you studied."))
    if not Decimal(0) <= hours <= MAX_HOURS:
        raise TrainingError(_("Hours must be between 0 and 24."))
    if date > timezone.localdate():
        raise TrainingError(_("A study note cannot be dated in the future."))
    return StudyNote.objects.create(
        enrolment=enrolment,
        date=date,
        content=content.strip(),
        hours=hours,
        material=material,
        topic=topic,
    )


def _check_editable(enrolment: Enrolment) -> None:
    if enrolment.report_status not in EDITABLE:
        raise TrainingError(
            _("The report is “%(status)s” and cannot be changed now.")
            % {"status": enrolment.get_report_status_display()}
        )


@transaction.atomic
def save_report_version(
    enrolment: Enrolment, *, body: str, autosave: bool = False, at: dt.datetime | None = None
) -> ReportVersion:
    """Keep the text as a new version (the report becomes a draft).

    An autosave of unchanged text adds nothing; an autosave within `AUTOSAVE_WINDOW` of the
    previous autosave (with no saved version between) replaces that autosave's text."""
    common._check_open(enrolment)
    _check_editable(enrolment)
    if not body.strip():
        raise TrainingError(_("The report is empty."))
    now = at or timezone.now()
    latest = enrolment.report_versions.order_by("-created_at", "-pk").first()
    if autosave and latest is not None:
        if latest.body == body:
            return latest
        if latest.autosaved and now - latest.saved_at < AUTOSAVE_WINDOW:
            latest.body, latest.saved_at = body, now
            latest.save(update_fields=["body", "saved_at"])
            return latest
    version = ReportVersion.objects.create(
        enrolment=enrolment, body=body, autosaved=autosave, created_at=now, saved_at=now
    )
    if enrolment.report_status != ReportStatus.DRAFT:
        common._move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.DRAFT)
        enrolment.save(update_fields=["report_status"])
    return version


@transaction.atomic
def submit_report_text(
    enrolment: Enrolment, *, body: str, at: dt.datetime | None = None
) -> Enrolment:
    """Keep the text as the submitted version, then submit the report."""
    common._check_open(enrolment)
    _check_editable(enrolment)
    if not body.strip():
        raise TrainingError(_("Write the report before submitting it."))
    now = at or timezone.now()
    ReportVersion.objects.create(
        enrolment=enrolment, body=body, submitted=True, created_at=now, saved_at=now
    )
    return reviews.submit_report(enrolment, on=now)
