"""JSON shapes of the organisation API: units, their supervision and counts, memberships.

Serializers only shape rows the views have already fetched in scope; they run no queries of their
own beyond what the view prefetched. Help texts document the API for developers, in English.
"""

from __future__ import annotations

from rest_framework import serializers

from thuvien.core.api_errors import ErrorSerializer  # noqa: F401  (moved; kept while imports move)
from thuvien.organisations.models import (
    Membership,
    SchoolTier,
    SchoolYearStats,
    Unit,
    UnitKind,
    UnitParentLink,
)


class UnitRefSerializer(serializers.ModelSerializer[Unit]):
    """A unit named from elsewhere (a membership, a parent link)."""

    class Meta:
        model = Unit
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "role_label", "unit", "valid_from", "valid_to"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer[Unit]):
    """A unit with its latest counts."""

    # Reads the annotations of `queries.with_counts`.

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = UnitRefSerializer(read_only=True, allow_null=True)
    tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=SchoolTier.choices), read_only=True
    )
    schools_below = serializers.IntegerField(
        read_only=True, help_text="Active schools anywhere below this unit."
    )
    staff_count = serializers.IntegerField(
        read_only=True, help_text="People holding a current role here, readers excepted."
    )
    stats_year = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Starting year of the latest school year with counts; null if none.",
    )
    students = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Students in `stats_year`."
    )
    teachers = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Teachers in `stats_year`."
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "code",
            "parent",
            "tiers",
            "address",
            "is_active",
            "schools_below",
            "staff_count",
            "stats_year",
            "students",
            "teachers",
        ]
        read_only_fields = fields


class ParentLinkSerializer(serializers.ModelSerializer[UnitParentLink]):
    parent = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = UnitParentLink
        fields = ["parent", "valid_from", "valid_to", "reason"]
        read_only_fields = fields


class YearStatsSerializer(serializers.ModelSerializer[SchoolYearStats]):
    school_year = serializers.CharField(read_only=True)

    class Meta:
        model = SchoolYearStats
        fields = ["year", "school_year", "students", "teachers", "classes"]
        read_only_fields = fields


class UnitDetailSerializer(UnitSerializer):
    """One unit with its supervision history (newest first) and its yearly counts."""

    parent_links = ParentLinkSerializer(many=True, read_only=True)
    year_stats = YearStatsSerializer(many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "parent_links", "year_stats"]
        read_only_fields = fields


class UnitFilterSerializer(serializers.Serializer[dict[str, object]]):
    """Query parameters of the unit list."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Name or Ministry code; accents and case are ignored.",
    )
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    tier = serializers.ChoiceField(choices=SchoolTier.choices, required=False)
    show_inactive = serializers.BooleanField(
        required=False, default=False, help_text="Include closed and merged units."
    )
