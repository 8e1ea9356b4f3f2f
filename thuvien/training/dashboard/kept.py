"""A supervising unit's dashboard kept in the cache between requests, and thrown away by the first
write that changes it.

Rolling 2,000 schools' records up takes a grouped count over every record of the campaign; the
result changes only when someone writes. It is kept under a key made of what it depends on:

- the campaign's data version (`thuvien.core.versions`), bumped by every save and delete of the
  campaign, its topics and scale levels, its records and chosen topics, its packages and reports
  (`training.versions.track_campaign_data`, connected in `TrainingConfig.ready`), and by the
  bulk writes that send no signal (enrolling people, replacing a scale's levels);
- the organisation tree's data version (`organisations.models.TREE_VERSION`);
- the viewer (role, unit and person: nothing computed under one scope is shown to another), the
  day (who is late depends on it) and the language (the labels).

Reading both versions is one small query; a stale entry cannot be read, since its key names
versions that no longer exist. Entries also expire after `KEEP_SECONDS`, for the memory's sake.
The list of schools that have not sent stays a query read a page at a time (`PendingList`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from thuvien.access import Scope
from thuvien.core import versions
from thuvien.organisations.models import TREE_VERSION
from thuvien.training.dashboard.rows import Bucket, Figures, Pending, Row, Submission
from thuvien.training.versions import campaign_version

KEEP_SECONDS = 15 * 60


@dataclass(frozen=True)
class Kept:
    """What `tree._below` and `Progress.finish` computed, without the campaign and unit rows
    (read again by each request, to check the scope) or the pending schools' query."""

    topic_titles: dict[int | str, str]
    buckets: list[Bucket]
    rows: list[Row]
    totals: Figures
    summed: bool
    own: Submission | None
    offices: list[Pending]
    waiting: int


def key(campaign_id: int, unit_id: int, scope: Scope, day: dt.date) -> str:
    """The cache key of a dashboard, with the current versions of its data (one query)."""
    campaign, tree = versions.tokens(campaign_version(campaign_id), TREE_VERSION)
    viewer = f"{scope.role}:{scope.unit.pk if scope.unit else ''}:{scope.user_id}"
    return (
        f"training.progress:{campaign_id}:{unit_id}:{viewer}:{day.isoformat()}:"
        f"{get_language()}:{campaign}:{tree}"
    )


def get(cache_key: str) -> Kept | None:
    kept = cache.get(cache_key)
    return kept if isinstance(kept, Kept) else None


def keep(cache_key: str, kept: Kept) -> None:
    cache.set(cache_key, kept, KEEP_SECONDS)
