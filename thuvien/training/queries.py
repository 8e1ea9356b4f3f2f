"""Read-side queries of the campaign screens: a scope in, querysets and small dicts out.

Counts are correlated subqueries, so a list costs the same number of queries for 3 campaigns or 300.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from thuvien.access import Action, Scope
from thuvien.core.folding import fold
from thuvien.training.models import Campaign, Enrolment, Scale


def _enrolled() -> Coalesce:
    """How many are enrolled in the (policed) outer campaign: a fact of the campaign, counted
    with one correlated subquery."""
    counted = (
        Enrolment.objects.filter(campaign=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values(grouper=Value(1))
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _search(query: str) -> Q:
    """Subject without diacritics ("tu boi duong" finds "Tự bồi dưỡng"), symbol, number, or the
    reference as written ("2458/SGDĐT")."""
    match = Q(subject_folded__contains=fold(query)) | Q(symbol__icontains=query)
    if query.isdigit():
        match |= Q(number=int(query))
    number, slash, symbol = query.partition("/")
    if slash and number.strip().isdigit():
        match |= Q(number=int(number), symbol__icontains=symbol.strip())
    return match


def campaigns_in_scope(scope: Scope, filters: dict[str, Any]) -> QuerySet[Campaign]:
    """Campaigns that reach the scope, filtered by q (subject, symbol, number), school year, status
    and issuer, newest school year first."""
    campaigns = Campaign.objects.visible_to(scope).select_related("issuer", "target")
    query = (filters.get("q") or "").strip()
    if query:
        campaigns = campaigns.filter(_search(query))
    for name in ("school_year", "status", "issuer"):
        if filters.get(name):
            campaigns = campaigns.filter(**{name: filters[name]})
    return campaigns.annotate(enrolled=_enrolled()).order_by("-school_year", "-created_at", "-pk")


def issuers(scope: Scope) -> list[tuple[int, str]]:
    """The units that issued a campaign reaching the scope, as filter choices."""
    issued = Campaign.objects.visible_to(scope).order_by("issuer__path")
    return list(issued.values_list("issuer_id", "issuer__name").distinct())


def school_years(scope: Scope) -> list[int]:
    years = Campaign.objects.visible_to(scope).order_by("-school_year").values_list("school_year")
    return [year for (year,) in years.distinct()]


def campaign_page(campaign: Campaign, scope: Scope) -> dict[str, Any]:
    """What the campaign page shows besides the campaign itself."""
    own = Enrolment.objects.allowed_to(scope, Action.TAKE_TRAINING).filter(campaign=campaign)
    return {
        "own_record": own.first(),
        # Levels left from an earlier custom scale do not describe a preset one.
        "scale_levels": list(campaign.scale_levels.all()) if campaign.scale == Scale.CUSTOM else [],
        "topics": list(campaign.topics.all()),
        "materials": list(campaign.materials.all()),
        "milestones": list(campaign.milestones.all()),
        "enrolled": campaign.enrolments.current().count(),
    }
