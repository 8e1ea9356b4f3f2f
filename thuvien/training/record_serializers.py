"""JSON shapes of the records API: a campaign's self-training records with each one's progress,
and one record with its plan (see `record_api`).

The serializers read rows the API fetched through the policy, with everything they show already
joined or prefetched there (the campaign and its milestones, the person, the school, the topics):
no query per record. Where a milestone stands is `record_queries.stances`, as on the pages."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from thuvien.organisations.serializers import UnitRefSerializer
from thuvien.training.models import Enrolment, ReportStatus
from thuvien.training.record_queries import DONE, stances


class RecordFilterSerializer(serializers.Serializer[dict[str, object]]):
    """Query parameters of the records list."""

    school = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the records of this school."
    )
    state = serializers.ChoiceField(
        choices=ReportStatus.choices, required=False, help_text="Only records in this state."
    )


class RecordPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class RecordStateSerializer(serializers.Serializer[Enrolment]):
    code = serializers.ChoiceField(choices=ReportStatus.choices, source="report_status")
    label = serializers.CharField(source="get_report_status_display")  # type: ignore[assignment]


class RecordGradeSerializer(serializers.Serializer[Enrolment]):
    code = serializers.CharField(
        source="grade", help_text="The grade as stored: a level of the scale, or the mark."
    )
    label = serializers.CharField(source="grade_label")  # type: ignore[assignment]


class RecordTopicSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()


class MilestoneProgressSerializer(serializers.Serializer[dict[str, object]]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due = serializers.DateField(help_text="The milestone's last day.")
    done = serializers.BooleanField(
        help_text="The report is handed in, or every plan entry linked to it is ticked done."
    )


class RecordSerializer(serializers.ModelSerializer[Enrolment]):
    """One person's record in a campaign and where it stands."""

    person = RecordPersonSerializer(source="user")
    school = UnitRefSerializer()
    state = RecordStateSerializer(source="*")
    topics = serializers.SerializerMethodField(help_text="The topics chosen from the list.")
    milestones = serializers.SerializerMethodField()
    deadline = serializers.DateField(
        allow_null=True, help_text="The school's deadline, or the person's extension."
    )
    late = serializers.BooleanField(
        source="is_late", help_text="Handed in after the personal deadline."
    )
    grade = serializers.SerializerMethodField(help_text="Once evaluated; null before.")

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "campaign",
            "person",
            "school",
            "state",
            "topics",
            "own_topic",
            "milestones",
            "deadline",
            "left_on",
            "submitted_at",
            "late",
            "grade",
            "evaluated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecordTopicSerializer(many=True))
    def get_topics(self, record: Enrolment) -> list[dict[str, Any]]:
        return [{"id": topic.pk, "title": topic.title} for topic in record.chosen_topics()]

    @extend_schema_field(MilestoneProgressSerializer(many=True))
    def get_milestones(self, record: Enrolment) -> list[dict[str, Any]]:
        parts = list(record.campaign.milestones.all())  # prefetched, in the campaign's order
        return [
            {"id": s.milestone.pk, "title": s.milestone.name, "due": s.milestone.end,
             "done": s.state == DONE}
            for s in stances(parts, timezone.localdate(), record)
        ]  # fmt: skip

    @extend_schema_field(RecordGradeSerializer(allow_null=True))
    def get_grade(self, record: Enrolment) -> dict[str, Any] | None:
        if record.report_status != ReportStatus.EVALUATED or not record.grade:
            return None
        return dict(RecordGradeSerializer(record).data)


class PlanEntrySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    what = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    milestone = serializers.IntegerField(allow_null=True, help_text="The milestone's id.")
    material = serializers.IntegerField(allow_null=True, help_text="The material's id.")
    topic = serializers.IntegerField(allow_null=True, help_text="The topic's id.")
    done = serializers.BooleanField()


class ReportVersionSerializer(serializers.Serializer[Any]):
    submitted = serializers.BooleanField(help_text="The version handed in; false: a draft.")
    saved_at = serializers.DateTimeField()
    text = serializers.CharField(
        source="body", allow_blank=True, help_text="Sanitised HTML; empty when it is a file."
    )
    file_name = serializers.CharField(allow_blank=True)


class RecordDetailSerializer(RecordSerializer):
    """A record with its plan, how many study notes it has, and its report: the version handed
    in, else the latest draft — as the printed record shows it to those who may read it."""

    plan = PlanEntrySerializer(source="plan_entries", many=True)
    notes_count = serializers.IntegerField()
    report = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "plan", "notes_count", "report"]
        read_only_fields = fields

    @extend_schema_field(ReportVersionSerializer(allow_null=True))
    def get_report(self, record: Enrolment) -> dict[str, Any] | None:
        version = self.context.get("report")
        return None if version is None else dict(ReportVersionSerializer(version).data)
