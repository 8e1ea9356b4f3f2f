"""The data version (`thuvien.core.versions`) of a campaign: what its dashboard counts, bumped by
every write to it (`training.dashboard.kept` keeps the dashboard under it)."""

from __future__ import annotations

from typing import Any

from thuvien.core import versions


def campaign_version(campaign_id: int) -> str:
    """The data version key of everything a campaign's dashboard counts."""
    return f"training.campaign.{campaign_id}"


def track_campaign_data() -> None:
    """Bump the campaign's version on every save and delete of the rows its dashboard counts."""
    from thuvien.training.models import (
        Campaign,
        ChosenTopic,
        Enrolment,
        ScaleLevel,
        SchoolPackage,
        Topic,
        UnitReport,
    )

    versions.track(Campaign, lambda campaign: [campaign_version(campaign.pk)])
    for model in (Topic, ScaleLevel, Enrolment, SchoolPackage, UnitReport):
        versions.track(model, lambda row: [campaign_version(row.campaign_id)])

    def of_chosen_topic(chosen: Any) -> list[str]:
        # Through the record's id: when a record is deleted its chosen topics go first, and
        # the record itself bumps the version then.
        ids = Enrolment.objects.filter(pk=chosen.enrolment_id).values_list("campaign_id", flat=True)
        return [campaign_version(campaign_id) for campaign_id in ids]

    versions.track(ChosenTopic, of_chosen_topic)
