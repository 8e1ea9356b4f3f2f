"""JSON shapes of the training API: a campaign's progress at a unit (see `dashboard`).

The views hand these serializers plain dicts built from a `dashboard.Progress`; the serializers
only shape and document them (no queries of their own)."""

from __future__ import annotations

from rest_framework import serializers

from thuvien.organisations.models import UnitKind
from thuvien.training.models import CampaignStatus

ROW_KINDS = [(UnitKind.OFFICE.value, "office"), (UnitKind.SCHOOL.value, "school")]
ROW_KINDS.append(("person", "person"))
PENDING_KINDS = ROW_KINDS[:2]  # units that have not sent: offices and schools


class UnitFilterSerializer(serializers.Serializer[dict[str, object]]):
    """Query parameters of the not-submitted list (its page is the list's own)."""

    unit = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Drill down to this unit (an office, a school) in the caller's scope; "
        "default: the unit of the active membership.",
    )


class ProgressFilterSerializer(UnitFilterSerializer):
    """Query parameters of the progress endpoint."""

    page = serializers.IntegerField(required=False, min_value=1, help_text="A page of rows.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=500, help_text="Rows a page (default 50)."
    )


class GradeCountSerializer(serializers.Serializer[dict[str, object]]):
    code = serializers.CharField(help_text="Grade code of the campaign's scale, or a mark bucket.")
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    count = serializers.IntegerField()


class TopicCountSerializer(serializers.Serializer[dict[str, object]]):
    topic_id = serializers.IntegerField(
        allow_null=True, help_text="null: the people's own topics, counted together."
    )
    title = serializers.CharField()
    count = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer[dict[str, object]]):
    expected = serializers.IntegerField(help_text="Current enrolments (people who left excepted).")
    submitted = serializers.IntegerField(help_text="Reports submitted or evaluated.")
    on_time = serializers.IntegerField(help_text="Submitted by the personal deadline.")
    late = serializers.IntegerField(help_text="Submitted after the personal deadline.")
    missing = serializers.IntegerField(help_text="Not submitted and past the personal deadline.")
    evaluated = serializers.IntegerField()
    passed = serializers.IntegerField()
    grades = GradeCountSerializer(many=True, help_text="Evaluated people per grade, best first.")
    topics = TopicCountSerializer(many=True, help_text="People per chosen topic.")


class SubmissionSerializer(serializers.Serializer[dict[str, object]]):
    """A school's package or an office's aggregate report."""

    status = serializers.ChoiceField(
        choices=["not_sent", "submitted", "returned", "accepted", "final"]
    )
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    late = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_to = serializers.CharField(
        allow_blank=True, help_text="The unit it was sent to, as sent (even if the school moved)."
    )


class ProgressRowSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.ChoiceField(choices=ROW_KINDS)
    id = serializers.IntegerField(help_text="The unit's id, or for a person their record's id.")
    name = serializers.CharField()
    figures = FiguresSerializer()
    submission = SubmissionSerializer(allow_null=True)
    report_status = serializers.CharField(
        allow_blank=True, help_text="A person's report status; empty for a unit."
    )
    deadline = serializers.DateField(allow_null=True, help_text="A person's deadline.")
    grade = serializers.CharField(allow_blank=True)
    topic = serializers.CharField(allow_blank=True)


class PendingSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.ChoiceField(choices=PENDING_KINDS)
    id = serializers.IntegerField()
    name = serializers.CharField()
    status_label = serializers.CharField()


class CampaignRefSerializer(serializers.Serializer[dict[str, object]]):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    school_deadline = serializers.DateField(allow_null=True)
    office_deadline = serializers.DateField(allow_null=True)


class UnitBriefSerializer(serializers.Serializer[dict[str, object]]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)


class ProgressSerializer(serializers.Serializer[dict[str, object]]):
    """A campaign's progress at a unit: a page of its rows, one per child unit it reaches (at a
    school, per person), the totals of all rows, the unit's own package or report, and how many
    units have not submitted yet."""

    campaign = CampaignRefSerializer()
    unit = UnitBriefSerializer()
    day = serializers.DateField(help_text="The figures are as on this day.")
    totals = FiguresSerializer()
    own = SubmissionSerializer(allow_null=True)
    count = serializers.IntegerField(help_text="Rows on every page together.")
    next = serializers.URLField(allow_null=True, help_text="The next page of rows.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page of rows.")
    rows = ProgressRowSerializer(many=True, help_text="This page's rows.")
    not_submitted_count = serializers.IntegerField(
        help_text="Units that have not sent their package or report (listed by "
        "…/progress/not-submitted/)."
    )
