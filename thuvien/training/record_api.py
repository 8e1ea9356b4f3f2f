"""The records API under /api/v1/: a campaign's self-training records in the caller's scope, each
with its progress, and one record with its plan.

Which records: those whose content the caller may read (the record's policy for READ_RECORDS, as
the record's PDF and files): the person their own, a principal every record of the school, the
office and the Sở every record in their subtree; a colleague never another's record. Anything
else answers 404, whether it exists or not. The report's text is shown only from these rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from thuvien.access import Action, Scope, get_scoped_or_404
from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER, api_scope
from thuvien.training import record_queries
from thuvien.training.models import Campaign, CampaignStatus, Enrolment, Milestone
from thuvien.training.record_serializers import (
    RecordDetailSerializer,
    RecordFilterSerializer,
    RecordSerializer,
)


def _records(scope: Scope) -> QuerySet[Enrolment]:
    """The records the scope may read, with what the serializers show: no query per record."""
    milestones = Milestone.objects.order_by("order", "start", "pk")
    rows = record_queries.readable_records(scope)  # person, school, campaign and topic joined
    return rows.prefetch_related(Prefetch("campaign__milestones", milestones), "extra_topics")


@extend_schema_view(
    get=extend_schema(
        operation_id="campaigns_records_list",
        summary="A campaign's self-training records in scope, with their progress",
        description="For a published or closed campaign: the records the active membership may "
        "read — a librarian their own, a principal those of the school, an office or the "
        "department those of every school below it — by school and name, each with its state, "
        "topics, milestones (done or not), deadline, submission and grade. A campaign outside "
        "the caller's scope answers 404.",
        parameters=[RecordFilterSerializer, MEMBERSHIP_HEADER],
        responses={200: RecordSerializer(many=True), **ERROR_RESPONSES},
        tags=["training"],
    )
)
class CampaignRecordList(generics.ListAPIView[Enrolment]):
    serializer_class = RecordSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_TRAINING

    def get_queryset(self) -> QuerySet[Enrolment]:
        filters = RecordFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        scope = api_scope(self.request)
        campaigns = Campaign.objects.exclude(status=CampaignStatus.DRAFT)
        campaign = get_scoped_or_404(campaigns, scope, pk=self.kwargs["campaign_id"])
        rows = _records(scope).filter(campaign=campaign)
        wanted: dict[str, Any] = filters.validated_data
        if "school" in wanted:
            rows = rows.filter(school_id=wanted["school"])
        if "state" in wanted:
            rows = rows.filter(report_status=wanted["state"])
        return rows.order_by("school__path", "user__full_name", "pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="records_retrieve",
        summary="One self-training record in scope, with its plan",
        description="A record the active membership may read (its person, the principal of its "
        "school, the office or department above it), with its progress, its plan, how many "
        "study notes it has and its report (the version handed in, else the latest draft). "
        "Any other record answers 404.",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: RecordDetailSerializer, **ERROR_RESPONSES},
        tags=["training"],
    )
)
class RecordDetail(generics.RetrieveAPIView[Enrolment]):
    serializer_class = RecordDetailSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_TRAINING

    def get_object(self) -> Enrolment:
        scope = api_scope(self.request)
        rows = _records(scope).annotate(notes_count=Count("notes"))
        return get_scoped_or_404(rows, scope, pk=self.kwargs["enrolment_id"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        # The row was fetched for READ_RECORDS (above): the caller may read its report.
        report = record_queries.latest_version(
            record, submitted=True
        ) or record_queries.latest_version(record)
        context = {**self.get_serializer_context(), "report": report}
        return Response(self.get_serializer(record, context=context).data)


urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/records/",
        CampaignRecordList.as_view(),
        name="api-campaign-records",
    ),
    path("records/<int:enrolment_id>/", RecordDetail.as_view(), name="api-record-detail"),
]
