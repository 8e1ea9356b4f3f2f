"""The standards API's shapes: frameworks with their criteria, a school's assessment with its
values and result, the indicators, the overview."""

from __future__ import annotations

from rest_framework import serializers

from thuvien.standards.models import (
    Assessment,
    Criterion,
    CriterionGroup,
    Framework,
    FrameworkVersion,
    Level,
)


class LevelSerializer(serializers.ModelSerializer[Level]):
    class Meta:
        model = Level
        fields = ["code", "name", "name_en", "order", "rule", "verified", "source"]


class GroupSerializer(serializers.ModelSerializer[CriterionGroup]):
    class Meta:
        model = CriterionGroup
        fields = ["code", "name", "name_en", "order"]


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    group = serializers.CharField(source="group.code")
    level = serializers.CharField(source="level.code", allow_null=True, default=None)
    unit = serializers.CharField(source="unit_label")

    class Meta:
        model = Criterion
        fields = [
            "code", "group", "level", "article", "tiers", "name", "name_en", "judgement",
            "metric", "operator", "threshold", "per", "unit", "verified", "source", "note",
            "note_en",
        ]  # fmt: skip


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    current_version = serializers.IntegerField(
        source="last", read_only=True, allow_null=True, help_text="The current version's number."
    )

    class Meta:
        model = Framework
        fields = ["id", "code", "name", "title", "issued_on", "effective_on", "historical",
                  "current_version"]  # fmt: skip


class FrameworkVersionSerializer(serializers.ModelSerializer[FrameworkVersion]):
    framework = serializers.CharField(source="framework.code")
    levels = LevelSerializer(many=True)
    groups = GroupSerializer(many=True)
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = FrameworkVersion
        fields = ["framework", "number", "created_at", "created_by", "note", "sources",
                  "levels", "groups", "criteria"]  # fmt: skip


class SchoolRefSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    school = SchoolRefSerializer()
    school_year = serializers.CharField(source="window.school_year")
    framework = serializers.CharField(source="window.framework_version.__str__")
    sent_to = serializers.CharField(source="sent_to.name", allow_null=True, default=None)
    level_claimed = serializers.CharField(
        source="level_claimed.code", allow_null=True, default=None
    )

    class Meta:
        model = Assessment
        fields = ["id", "school", "school_year", "framework", "status", "tier", "submitted_at",
                  "approved_at", "sent_to", "level_claimed"]  # fmt: skip


class ValueSerializer(serializers.Serializer[object]):
    criterion = serializers.CharField()
    level = serializers.CharField(allow_null=True)
    entered = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    computed = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    differs = serializers.BooleanField()
    evidence = serializers.IntegerField(help_text="How many evidence files are attached.")


class ResultSerializer(serializers.Serializer[object]):
    reached = serializers.CharField(allow_null=True, help_text="The level the values reach.")
    next_level = serializers.CharField(allow_null=True)
    gaps = serializers.ListField(child=serializers.CharField(), help_text="Criterion codes.")
    incomplete = serializers.ListField(child=serializers.CharField())
    groups = serializers.DictField(
        child=serializers.ListField(child=serializers.BooleanField(allow_null=True)),
        help_text="Group code → met per level, lowest first (null: not judged yet).",
    )


class AssessmentDetailSerializer(serializers.Serializer[object]):
    assessment = AssessmentSerializer()
    result = ResultSerializer()
    values = ValueSerializer(many=True)


class IndicatorSerializer(serializers.Serializer[object]):
    code = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    counted_by = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class OverviewLineSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    title = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer[object]):
    unit = serializers.DictField()
    school_year = serializers.CharField()
    columns = serializers.ListField(child=serializers.DictField())
    totals = OverviewLineSerializer()
    rows = OverviewLineSerializer(many=True)
    tiers = OverviewLineSerializer(many=True)
    years = OverviewLineSerializer(many=True)
