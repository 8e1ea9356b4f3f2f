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
from thuvien.training.dashboard import kept, tree
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
    """The dashboard of `campaign` at `unit` (already checked to be in `scope`). Above a school
    the rolled-up figures are kept in the cache until the campaign's data or the tree change
    (`kept`)."""
    day = day or timezone.localdate()
    if unit.is_school:
        report = _empty(campaign, unit, day)
        _people(report, scope)
        return report.finish()
    cache_key = kept.key(campaign.pk, unit.pk, scope, day)
    found = kept.get(cache_key)
    if found is not None:
        return _from_kept(found, campaign, unit, scope, day)
    report = _empty(campaign, unit, day)
    _below(report, scope)
    report.finish()
    pending = report.pending
    kept.keep(
        cache_key,
        kept.Kept(
            topic_titles=report.topic_titles,
            buckets=report.buckets,
            rows=report.rows,
            totals=report.totals,
            summed=report.summed,
            own=report.own,
            offices=pending.first,
            waiting=pending.count() - len(pending.first),
        ),
    )
    return report


def _empty(campaign: Campaign, unit: Unit, day: dt.date) -> Progress:
    topics: dict[int | str, str] = dict(campaign.topics.values_list("pk", "title"))
    if campaign.allow_own_topic:
        topics[OWN_TOPIC] = _("Own topics")
    return Progress(
        campaign=campaign,
        unit=unit,
        day=day,
        rows=[],
        totals=Figures(),
        own=None,
        pending=PendingList([]),
        buckets=grade_buckets(campaign),
        topic_titles=topics,
    )


def _from_kept(
    found: kept.Kept, campaign: Campaign, unit: Unit, scope: Scope, day: dt.date
) -> Progress:
    report = Progress(
        campaign=campaign,
        unit=unit,
        day=day,
        rows=found.rows,
        totals=found.totals,
        own=found.own,
        pending=PendingList([]),
        buckets=found.buckets,
        topic_titles=found.topic_titles,
        summed=found.summed,
    )
    report.pending = PendingList(found.offices, tree._pending_schools(report, scope), found.waiting)
    return report
