"""The organisation API under /api/v1/: units in the caller's scope, and the API's access helpers.

The scope is resolved on DRF's `Request`, after token or session authentication, so that
`scope_for` sees the authenticated person (Django's own `request.user` is still anonymous for a
token request while middleware runs).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request

from thuvien.organisations import queries
from thuvien.organisations.access import Action, Scope, get_scoped_or_404, scope_for
from thuvien.organisations.models import SchoolYearStats, Unit, UnitParentLink
from thuvien.organisations.serializers import (
    ErrorSerializer,
    UnitDetailSerializer,
    UnitFilterSerializer,
    UnitSerializer,
)

MEMBERSHIP_HEADER = OpenApiParameter(
    name="X-Membership",
    type=OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Id of one of the caller's current memberships to act in (see `GET /api/v1/me/`). "
        "Without it the caller acts in their first membership. An id that is not one of the "
        "caller's current memberships is refused with 400."
    ),
)
ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Invalid query parameter or `X-Membership` header: a list of messages "
        "per parameter name.",
    ),
    401: OpenApiResponse(ErrorSerializer, description="No valid token or session."),
    403: OpenApiResponse(ErrorSerializer, description="The active membership may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such unit in the caller's scope."),
}


def api_scope(request: Request) -> Scope:
    """The scope of an API request. An explicit `X-Membership` that does not resolve is refused:
    an API client must not silently act in another (possibly wider) membership than it asked."""
    scope = scope_for(request)  # DRF's Request proxies the HttpRequest's session and headers
    header = request.headers.get("X-Membership")
    if header is not None and (scope.membership is None or header != str(scope.membership.pk)):
        raise ValidationError({"X-Membership": [_("This is not one of your current memberships.")]})
    return scope


class ScopeAllows(BasePermission):
    """The active membership may do the view's `required_action` (None: any logged-in person)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        action: Action | None = getattr(view, "required_action", None)
        return action is None or api_scope(request).can(action)


API_PERMISSIONS = [IsAuthenticated, ScopeAllows]


def _without(responses: dict[int, OpenApiResponse], *codes: int) -> dict[int, OpenApiResponse]:
    return {code: response for code, response in responses.items() if code not in codes}


@extend_schema_view(
    get=extend_schema(
        operation_id="units_list",
        summary="Units in scope",
        description="Units the active membership can see, ordered by their place in the tree.",
        parameters=[UnitFilterSerializer, MEMBERSHIP_HEADER],
        responses={200: UnitSerializer(many=True), **_without(ERROR_RESPONSES, 404)},
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
        units = queries.units_with_counts(api_scope(self.request), filters.validated_data)
        return units


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
            queries.units_with_counts(scope, {"show_inactive": "yes"})
            .prefetch_related(Prefetch("parent_links", links))
            .prefetch_related(Prefetch("year_stats", stats))
        )
        return get_scoped_or_404(units, scope, pk=self.kwargs["unit_id"])


urlpatterns = [
    path("units/", UnitList.as_view(), name="api-unit-list"),
    path("units/<int:unit_id>/", UnitDetail.as_view(), name="api-unit-detail"),
]
