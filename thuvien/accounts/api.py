"""The accounts API under /api/v1/: who is calling, and in which membership."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from thuvien.access.api import (
    API_PERMISSIONS,
    ERROR_RESPONSES,
    MEMBERSHIP_HEADER,
    api_scope,
)
from thuvien.accounts.serializers import MeSerializer


@extend_schema(
    operation_id="me_retrieve",
    summary="The calling person",
    description="The person, their current memberships, and the one this request acts in.",
    parameters=[MEMBERSHIP_HEADER],
    responses={200: MeSerializer, 400: ERROR_RESPONSES[400], 401: ERROR_RESPONSES[401]},
    tags=["me"],
)
@api_view(["GET"])
@permission_classes(API_PERMISSIONS)
def me(request: Request) -> Response:
    scope = api_scope(request)
    data: dict[str, object] = {
        "user": request.user,
        "memberships": scope.memberships,
        "active_membership_id": scope.membership.pk if scope.membership else None,
    }
    return Response(MeSerializer(data).data)


urlpatterns = [
    path("me/", me, name="api-me"),
]
