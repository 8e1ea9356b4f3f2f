"""What every training use case shares: the error, the audit name, row locks and state moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.organisations.models import Role
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    Enrolment,
    PackageStatus,
    SchoolPackage,
)


class TrainingError(Exception):
    """A rule of self-training campaigns was broken; the message says what to fix."""


TARGETABLE_ROLES = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN, Role.PRINCIPAL)
MAX_TOPICS_PER_PERSON = 10
CAMPAIGN_FIELDS = frozenset(
    {
        "target",
        "roles",
        "number",
        "symbol",
        "issued_on",
        "place",
        "subject",
        "basis",
        "recipients",
        "copies_to",
        "purpose",
        "requirements",
        "school_year",
        *Campaign.TIER_FIELDS.values(),
        "topics_per_person",
        "allow_own_topic",
        "report_guidance",
        "school_deadline",
        "office_deadline",
        "scale",
        "reminder_days",
    }
)


def _audit(row: models.Model, by: Any) -> None:
    """Name the acting person in the row's history (simple-history reads `_history_user`)."""
    row._history_user = by  # type: ignore[attr-defined]


def _lock(row: models.Model) -> None:
    """Lock the row and reload the caller's object, so checks read what the database holds."""
    type(row)._default_manager.select_for_update().filter(pk=row.pk).exists()
    row.refresh_from_db()


def _move(row: models.Model, field: str, table: dict[str, frozenset[str]], new: str) -> None:
    current = getattr(row, field)
    if new not in table[current]:
        raise TrainingError(
            _("Something that is “%(current)s” cannot become “%(new)s”.")
            % {"current": getattr(row, f"get_{field}_display")(), "new": getattr(new, "label", new)}
        )
    setattr(row, field, new)


def _now(on: dt.datetime | None) -> dt.datetime:
    return on or timezone.now()


def _check_open(enrolment: Enrolment) -> None:
    _lock(enrolment)
    enrolment.campaign.refresh_from_db()
    if enrolment.campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("The campaign is not open."))
    if enrolment.left_on is not None:
        raise TrainingError(_("This person no longer takes part in the campaign."))


def _sent_packages(campaign_id: int) -> QuerySet[SchoolPackage]:
    """The campaign's school packages that have left their school (submitted or accepted)."""
    return SchoolPackage.objects.filter(
        campaign=campaign_id, status__in=(PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)
    )
