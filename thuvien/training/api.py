"""The training API under /api/v1/: a campaign's progress at a unit in the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuvien.access import Action, get_scoped_or_404
from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER, api_scope
from thuvien.training import dashboard
from thuvien.training.campaign_serializers import CampaignSerializer
from thuvien.training.models import Campaign
from thuvien.training.serializers import (
    PendingSerializer,
    ProgressFilterSerializer,
    ProgressSerializer,
    UnitFilterSerializer,
)


def _figures(progress: dashboard.Progress, figures: dashboard.Figures) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(figures, name) for name in figures.COUNTS}
    data["grades"] = [
        {"code": b.code, "label": b.label, "count": figures.grades[b.code]}
        for b in progress.buckets
    ]
    data["topics"] = [
        {"topic_id": key if isinstance(key, int) else None, "title": title, "count": n}
        for key, title in progress.topic_titles.items()
        if (n := figures.topics[key]) or isinstance(key, int)
    ]
    return data


def _submission(sent: dashboard.Submission | None) -> dict[str, Any] | None:
    if sent is None:
        return None
    at = timezone.localtime(sent.submitted_at) if sent.submitted_at else None
    keys = ("status", "label", "late", "submitted_to")
    return {**{key: getattr(sent, key) for key in keys}, "submitted_at": at}


def progress_data(
    progress: dashboard.Progress, rows: list[dashboard.Row] | None = None
) -> dict[str, Any]:
    """The dashboard as the API's plain data (shaped by `ProgressSerializer`): `rows`, a page of
    its rows (default: all of them); the view adds the page's links."""
    campaign, unit = progress.campaign, progress.unit
    page = [
        {
            "kind": row.kind,
            "id": row.id,
            "name": row.name,
            "figures": _figures(progress, row.figures),
            "submission": _submission(row.submission),
            "report_status": row.status,
            "deadline": row.deadline,
            "grade": row.grade,
            "topic": row.topic,
        }
        for row in (progress.rows if rows is None else rows)
    ]
    return {
        "campaign": {
            "id": campaign.pk,
            "subject": campaign.subject,
            "status": campaign.status,
            "school_deadline": campaign.school_deadline,
            "office_deadline": campaign.office_deadline,
        },
        "unit": {"id": unit.pk, "name": unit.name, "kind": unit.kind},
        "day": progress.day,
        "totals": _figures(progress, progress.totals),
        "own": _submission(progress.own),
        "count": len(progress.rows),
        "next": None,
        "previous": None,
        "rows": page,
        "not_submitted_count": progress.pending.count(),
    }


class ProgressPagination(PageNumberPagination):
    """The rows of a progress answer, 50 a page (`page_size` up to 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CampaignProgress(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_TRAINING

    @extend_schema(
        operation_id="campaigns_progress_retrieve",
        summary="A campaign's progress at a unit",
        description="For a published or closed self-training campaign: one row per child unit "
        "it reaches (at the department its offices and the schools directly under it, at an "
        "office its schools, at a school its people), with expected / submitted / on time / "
        "late / missing / evaluated / passed, grades and topics, 50 rows a page (`page`, "
        "`page_size` up to 500; `count`, `next`, `previous` as in every list); the totals of "
        "all rows; and how many units have not sent their package or report yet (listed by "
        "`…/progress/not-submitted/`). Supervisors and principals only; a unit or campaign "
        "outside the caller's scope answers 404, a page beyond the last 404.",
        parameters=[ProgressFilterSerializer, MEMBERSHIP_HEADER],
        responses={200: ProgressSerializer, **ERROR_RESPONSES},
        tags=["training"],
    )
    def get(self, request: Request, campaign_id: int) -> Response:
        filters = ProgressFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        scope = api_scope(request)
        progress = dashboard.progress_in_scope(
            scope, campaign_id, filters.validated_data.get("unit")
        )
        paginator = ProgressPagination()
        rows = paginator.paginate_queryset(progress.rows, request, view=self)
        # The data is already plain: passing rows through DRF's nested serializers would cost
        # more than building them (ProgressSerializer documents the same shape; a test checks
        # that both agree).
        data = progress_data(progress, rows)
        data["next"], data["previous"] = paginator.get_next_link(), paginator.get_previous_link()
        return Response(data)


@extend_schema_view(
    get=extend_schema(
        operation_id="campaigns_progress_not_submitted_list",
        summary="The units that have not submitted, at a unit",
        description="For a published or closed self-training campaign, at a unit in the "
        "caller's scope (default: the unit of the active membership): the offices below it "
        "without their aggregate report sent, then the schools without their package sent "
        "(those returned for revision first), each by name; paginated. The same list as the "
        "dashboard's and its XLSX.",
        parameters=[UnitFilterSerializer, MEMBERSHIP_HEADER],
        responses={200: PendingSerializer(many=True), **ERROR_RESPONSES},
        tags=["training"],
    )
)
class CampaignNotSubmitted(generics.ListAPIView[Any]):  # its rows are `dashboard.Pending`
    serializer_class = PendingSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_TRAINING

    def get_queryset(self) -> Any:
        filters = UnitFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        scope = api_scope(self.request)
        unit = filters.validated_data.get("unit")
        return dashboard.progress_in_scope(scope, self.kwargs["campaign_id"], unit).pending


@extend_schema_view(
    get=extend_schema(
        operation_id="campaigns_list",
        summary="Self-training campaigns in scope",
        description="Campaigns the active membership can see, newest first.",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: CampaignSerializer(many=True), **ERROR_RESPONSES},
        tags=["training"],
    )
)
class CampaignList(generics.ListAPIView[Campaign]):
    serializer_class = CampaignSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_TRAINING

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(api_scope(self.request)).order_by("-pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="campaigns_retrieve",
        summary="One self-training campaign in scope",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: CampaignSerializer, **ERROR_RESPONSES},
        tags=["training"],
    )
)
class CampaignDetail(generics.RetrieveAPIView[Campaign]):
    serializer_class = CampaignSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_TRAINING

    def get_object(self) -> Campaign:
        scope = api_scope(self.request)
        return get_scoped_or_404(Campaign.objects.all(), scope, pk=self.kwargs["campaign_id"])


urlpatterns = [
    path("campaigns/", CampaignList.as_view(), name="api-campaign-list"),
    path("campaigns/<int:campaign_id>/", CampaignDetail.as_view(), name="api-campaign-detail"),
    path(
        "campaigns/<int:campaign_id>/progress/",
        CampaignProgress.as_view(),
        name="api-campaign-progress",
    ),
    path(
        "campaigns/<int:campaign_id>/progress/not-submitted/",
        CampaignNotSubmitted.as_view(),
        name="api-campaign-not-submitted",
    ),
]
