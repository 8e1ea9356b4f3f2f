"""JSON shapes of the campaign API (list and detail)."""

from __future__ import annotations

from rest_framework import serializers

from thuvien.training.models import Campaign


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "subject",
            "status",
            "school_year",
            "issuer",
            "target",
            "number",
            "symbol",
            "issued_on",
            "school_deadline",
            "office_deadline",
        ]
        read_only_fields = fields
