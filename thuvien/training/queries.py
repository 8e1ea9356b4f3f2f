"""Read-side queries of the campaign screens: a scope in, querysets and small dicts out.

Counts are correlated subqueries, so a list costs the same number of queries for 3 campaigns or 300.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from thuvien.organisations.access import Scope
from thuvien.training.models import Campaign, Enrolment


def _enrolled(campaign_ref: Any) -> Coalesce:
    counted = (
        Enrolment.objects.filter(campaign=campaign_ref, left_on__isnull=True)
        .order_by()
        .values(grouper=Value(1))
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def campaigns_in_scope(scope: Scope, filters: dict[str, Any]) -> QuerySet[Campaign]:
    """Campaigns that reach the scope, filtered by q (subject, symbol, number), year and status."""
    campaigns = Campaign.objects.visible_to(scope).select_related("issuer", "target")
    query = (filters.get("q") or "").strip()
    if query:
        match = Q(subject__icontains=query) | Q(symbol__icontains=query)
        if query.isdigit():
            match |= Q(number=int(query))
        campaigns = campaigns.filter(match)
    if filters.get("school_year"):
        campaigns = campaigns.filter(school_year=filters["school_year"])
    if filters.get("status"):
        campaigns = campaigns.filter(status=filters["status"])
    return campaigns.annotate(enrolled=_enrolled(OuterRef("pk")))


def school_years(scope: Scope) -> list[int]:
    years = Campaign.objects.visible_to(scope).order_by("-school_year").values_list("school_year")
    return [year for (year,) in years.distinct()]


def campaign_page(campaign: Campaign) -> dict[str, Any]:
    """What the campaign page shows besides the campaign itself."""
    return {
        "topics": list(campaign.topics.all()),
        "materials": list(campaign.materials.all()),
        "milestones": list(campaign.milestones.all()),
        "enrolled": campaign.enrolments.current().count(),
    }
