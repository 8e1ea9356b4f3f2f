"""The standards API under /api/v1/standards/: the frameworks and their criteria, the
self-assessments in scope, one assessment with its values and result, its indicators as the
platform counts them today, and the overview of a unit. Rows are fetched as the pages fetch them
(`get_scoped_or_404`, `visible_to`): out of sight answers 404."""

from __future__ import annotations

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuvien.access import Action, get_scoped_or_404
from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER, api_scope
from thuvien.core import indicators
from thuvien.organisations.models import Unit, UnitKind
from thuvien.standards import results
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentWindow,
    Criterion,
    Framework,
    FrameworkVersion,
)
from thuvien.standards.overview import Line, overview
from thuvien.standards.queries import assessment_in_scope
from thuvien.standards.serializers import (
    AssessmentDetailSerializer,
    AssessmentSerializer,
    FrameworkSerializer,
    FrameworkVersionSerializer,
    IndicatorSerializer,
    OverviewSerializer,
)

TAGS = ["standards"]
VERSION = OpenApiParameter(
    "version", OpenApiTypes.INT, description="A version number (default: the current one)."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="standards_frameworks_list",
        summary="The standards frameworks",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: FrameworkSerializer(many=True), **ERROR_RESPONSES},
        tags=TAGS,
    )
)
class FrameworkList(generics.ListAPIView[Framework]):
    serializer_class = FrameworkSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_STANDARDS
    pagination_class = None

    def get_queryset(self) -> QuerySet[Framework]:
        return Framework.objects.visible_to(api_scope(self.request)).annotate(
            last=Max("versions__number")
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="standards_frameworks_retrieve",
        summary="One framework version with its levels, groups and criteria",
        parameters=[MEMBERSHIP_HEADER, VERSION],
        responses={200: FrameworkVersionSerializer, **ERROR_RESPONSES},
        tags=TAGS,
    )
)
class FrameworkDetail(generics.RetrieveAPIView[FrameworkVersion]):
    serializer_class = FrameworkVersionSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_STANDARDS

    def get_object(self) -> FrameworkVersion:
        scope = api_scope(self.request)
        framework = get_scoped_or_404(
            Framework.objects.all(), scope, pk=self.kwargs["framework_id"]
        )
        versions = FrameworkVersion.objects.filter(framework=framework).prefetch_related(
            "levels",
            "groups",
            Prefetch("criteria", Criterion.objects.select_related("group", "level")),
        )
        number = self.request.query_params.get("version", "")
        if not number.isdigit():
            number = str(versions.aggregate(last=Max("number"))["last"] or 0)
        return get_scoped_or_404(versions, scope, number=int(number))


@extend_schema_view(
    get=extend_schema(
        operation_id="standards_assessments_list",
        summary="The self-assessments in scope",
        description="A school's own; for a supervisor, those of its schools and those sent to it.",
        parameters=[
            MEMBERSHIP_HEADER,
            OpenApiParameter("year", OpenApiTypes.INT, description="A school year's first year."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=AssessmentStatus.values),
        ],
        responses={200: AssessmentSerializer(many=True), **ERROR_RESPONSES},
        tags=TAGS,
    )
)
class AssessmentList(generics.ListAPIView[Assessment]):
    serializer_class = AssessmentSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_STANDARDS

    def get_queryset(self) -> QuerySet[Assessment]:
        rows = (
            Assessment.objects.visible_to(api_scope(self.request))
            .select_related("school", "window__framework_version__framework", "sent_to")
            .select_related("level_claimed")
            .order_by("-window__year", "school__name_folded", "pk")
        )
        year = self.request.query_params.get("year", "")
        if year.isdigit():
            rows = rows.filter(window__year=int(year))
        status = self.request.query_params.get("status", "")
        if status in AssessmentStatus.values:
            rows = rows.filter(status=status)
        return rows


def _assessment(request: Request, assessment_id: int) -> Assessment:
    return assessment_in_scope(api_scope(request), assessment_id)


class AssessmentDetail(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_STANDARDS

    @extend_schema(
        operation_id="standards_assessments_retrieve",
        summary="One self-assessment: its values, and the result they reach",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: AssessmentDetailSerializer, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request: Request, assessment_id: int) -> Response:
        assessment = _assessment(request, assessment_id)
        result = results.result_of(assessment)
        level_codes = {level.pk: level.code for level in result.levels}
        values = [
            {
                "criterion": row.criterion.code,
                "level": level_codes.get(row.criterion.level_id or 0),
                "entered": row.entered,
                "computed": row.computed,
                "met": row.met,
                "differs": row.differs,
                "evidence": len(row.value.evidence.all()) if row.value else 0,
            }
            for row in result.criteria
        ]
        data = {
            "assessment": assessment,
            "result": {
                "reached": result.reached.code if result.reached else None,
                "next_level": result.next_level.code if result.next_level else None,
                "gaps": [gap.criterion.code for gap in result.gaps],
                "incomplete": [level.code for level in result.incomplete],
                "groups": {group.group.code: group.met for group in result.groups},
            },
            "values": values,
        }
        return Response(AssessmentDetailSerializer(data).data)


class AssessmentIndicators(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_STANDARDS

    @extend_schema(
        operation_id="standards_assessments_indicators",
        summary="The indicators the platform counts for the school and year, today",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: IndicatorSerializer(many=True), **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request: Request, assessment_id: int) -> Response:
        assessment = _assessment(request, assessment_id)
        school, year = assessment.school_id, assessment.window.year
        rows = [
            {
                "code": indicator.code,
                "title": str(indicator.label),
                "unit": str(indicator.unit),
                "counted_by": str(indicator.source),
                "value": indicators.values(indicator.code, [school], year).get(school),
            }
            for indicator in indicators.registered()
        ]
        return Response(IndicatorSerializer(rows, many=True).data)


def _line(line: Line) -> dict[str, object]:
    return {
        "key": str(line.key),
        "title": line.label,
        "counts": dict(line.counts),
        "total": line.total,
    }


class Overview(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.RECOGNISE_LIBRARIES

    @extend_schema(
        operation_id="standards_overview",
        summary="Libraries by level at a unit: by child unit, by tier, over the years",
        parameters=[
            MEMBERSHIP_HEADER,
            OpenApiParameter("unit", OpenApiTypes.INT, description="Default: the scope's unit."),
            OpenApiParameter("window", OpenApiTypes.INT, description="Default: the latest."),
        ],
        responses={200: OverviewSerializer, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        scope = api_scope(request)
        if scope.unit is None:
            raise Http404
        units = Unit.objects.filter(kind__in=(UnitKind.DEPARTMENT, UnitKind.OFFICE))
        unit_id = request.query_params.get("unit", "")
        unit = get_scoped_or_404(
            units, scope, pk=int(unit_id) if unit_id.isdigit() else scope.unit.pk
        )
        windows = AssessmentWindow.objects.select_related("framework_version", "target")
        chosen = request.query_params.get("window", "")
        found: AssessmentWindow | None
        if chosen.isdigit():
            found = get_scoped_or_404(windows, scope, pk=int(chosen))
        else:
            found = windows.visible_to(scope).order_by("-year", "-opens_on").first()
        if found is None:
            raise Http404
        report = overview(scope, unit, found)
        data = {
            "unit": {"id": unit.pk, "name": unit.name},
            "school_year": found.school_year,
            "columns": [{"code": c.code, "label": c.label} for c in report.columns],
            "totals": _line(report.totals),
            "rows": [_line(line) for line in report.rows],
            "tiers": [_line(line) for line in report.tiers],
            "years": [_line(line) for line in report.years],
        }
        return Response(OverviewSerializer(data).data)


urlpatterns = [
    path("standards/frameworks/", FrameworkList.as_view(), name="api-standards-frameworks"),
    path(
        "standards/frameworks/<int:framework_id>/",
        FrameworkDetail.as_view(),
        name="api-standards-framework",
    ),
    path("standards/assessments/", AssessmentList.as_view(), name="api-standards-assessments"),
    path(
        "standards/assessments/<int:assessment_id>/",
        AssessmentDetail.as_view(),
        name="api-standards-assessment",
    ),
    path(
        "standards/assessments/<int:assessment_id>/indicators/",
        AssessmentIndicators.as_view(),
        name="api-standards-assessment-indicators",
    ),
    path("standards/overview/", Overview.as_view(), name="api-standards-overview"),
]
