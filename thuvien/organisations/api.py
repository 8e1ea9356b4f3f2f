"""The organisation API under /api/v1/: units in the caller's scope (policy: thuvien.access.api)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import path
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics

from thuvien.access import Action, get_scoped_or_404
from thuvien.access.api import (
    API_PERMISSIONS,
    ERROR_RESPONSES,
    MEMBERSHIP_HEADER,
    api_scope,
)
from thuvien.core.api_errors import ErrorSerializer
from thuvien.organisations import queries
from thuvien.organisations.models import SchoolYearStats, Unit, UnitParentLink
from thuvien.organisations.serializers import (
    UnitDetailSerializer,
    UnitFilterSerializer,
    UnitSerializer,
)


def _without(responses: dict[int, OpenApiResponse], *codes: int) -> dict[int, OpenApiResponse]:
    return {code: response for code, response in responses.items() if code not in codes}


@extend_schema_view(
    get=extend_schema(
        operation_id="units_list",
        summary="Units in scope",
        description="Units the active membership can see, ordered by their place in the tree.",
        parameters=[UnitFilterSerializer, MEMBERSHIP_HEADER],
        responses={
            200: UnitSerializer(many=True),
            **_without(ERROR_RESPONSES, 404),
            404: OpenApiResponse(ErrorSerializer, description="No such page of the list."),
        },
        tags=["units"],
    )
)
class UnitList(generics.ListAPIView[Unit]):
    serializer_class = UnitSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_UNITS

    def get_queryset(self) -> QuerySet[Unit]:
        filters = UnitFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return queries.units_in_scope(api_scope(self.request), filters.validated_data)

    def paginate_queryset(self, queryset: QuerySet[Unit]) -> list[Unit] | None:  # type: ignore[override]
        page = super().paginate_queryset(queryset)
        return None if page is None else queries.count_page(page, api_scope(self.request))


@extend_schema_view(
    get=extend_schema(
        operation_id="units_retrieve",
        summary="One unit in scope",
        description="A unit with its supervision history (newest first) and yearly counts.",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: UnitDetailSerializer, **ERROR_RESPONSES},
        tags=["units"],
    )
)
class UnitDetail(generics.RetrieveAPIView[Unit]):
    serializer_class = UnitDetailSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_UNITS

    def get_object(self) -> Unit:
        scope = api_scope(self.request)
        links = UnitParentLink.objects.select_related("parent").order_by("-valid_from")
        stats = SchoolYearStats.objects.order_by("-year")
        units = (
            queries.with_counts(queries.units_in_scope(scope, {"show_inactive": "yes"}))
            .prefetch_related(Prefetch("parent_links", links))
            .prefetch_related(Prefetch("year_stats", stats))
        )
        return get_scoped_or_404(units, scope, pk=self.kwargs["unit_id"])


urlpatterns = [
    path("units/", UnitList.as_view(), name="api-unit-list"),
    path("units/<int:unit_id>/", UnitDetail.as_view(), name="api-unit-detail"),
]
