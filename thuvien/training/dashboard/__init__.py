"""The province dashboard of a campaign: for a unit in the viewer's scope, one row per child unit
the campaign reaches (at the department its offices and the schools directly under it, at an office
its schools, at a school its people), with totals, grades, topics and who has not submitted yet.

The cost does not grow with the tree: one grouped query counts the records per school (and per
topic and grade), the units, packages and reports are read once each, and the schools' figures are
rolled up to the child rows in Python through the materialised `Unit.path`. A school counts where
it sits today; a package keeps the unit it was sent to.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.access import Action, Scope, get_scoped_or_404
from thuvien.organisations.models import Unit, UnitKind
from thuvien.training.dashboard import tree
from thuvien.training.dashboard.people import _people
from thuvien.training.dashboard.rows import (
    OWN_TOPIC,
    Figures,
    Pending,
    PendingGroups,
    PendingList,
    Progress,
    Row,
    Submission,
    grade_buckets,
    pending_groups,
)
from thuvien.training.dashboard.tree import _below
from thuvien.training.models import Campaign, CampaignStatus

__all__ = [
    "Figures",
    "Pending",
    "PendingGroups",
    "PendingList",
    "Progress",
    "Row",
    "Submission",
    "pending_groups",
    "progress",
    "progress_in_scope",
    "tree",
]


def progress_in_scope(scope: Scope, campaign_id: int, unit_id: int | None) -> Progress:
    """The dashboard of a published or closed campaign at a unit in scope (default: the scope's
    own unit), today. Out of scope → 404; a role that does not follow campaigns → 403 (the
    campaign's policy for FOLLOW_PROGRESS)."""
    campaigns = Campaign.objects.exclude(status=CampaignStatus.DRAFT).select_related("issuer")
    campaign = get_scoped_or_404(campaigns, scope, Action.FOLLOW_PROGRESS, pk=campaign_id)
    assert scope.unit is not None  # a scope that sees a campaign has a unit
    units = Unit.objects.exclude(kind=UnitKind.PARTNER)
    unit = get_scoped_or_404(units, scope, pk=scope.unit.pk if unit_id is None else unit_id)
    return progress(campaign, unit, scope, timezone.localdate())


def progress(campaign: Campaign, unit: Unit, scope: Scope, day: dt.date | None = None) -> Progress:
    """The dashboard of `campaign` at `unit` (already checked to be in `scope`)."""
    topics: dict[int | str, str] = dict(campaign.topics.values_list("pk", "title"))
    if campaign.allow_own_topic:
        topics[OWN_TOPIC] = _("Own topics")
    report = Progress(
        campaign=campaign,
        unit=unit,
        day=day or timezone.localdate(),
        rows=[],
        totals=Figures(),
        own=None,
        pending=PendingList([]),
        buckets=grade_buckets(campaign),
        topic_titles=topics,
    )
    if unit.is_school:
        _people(report, scope)
    else:
        _below(report, scope)
    return report.finish()
