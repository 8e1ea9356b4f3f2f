"""The policy for the JSON API, applied after DRF authenticates.

The scope is resolved on DRF's `Request`, after token or session authentication, so that
`scope_for` sees the authenticated person (Django's own `request.user` is still anonymous for a
token request while middleware runs). Every app's api.py uses these helpers, and fetches rows with
the same `get_scoped_or_404` as the views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request

from thuvien.access.actions import Action
from thuvien.access.scope import Scope, scope_for
from thuvien.core.api_errors import ERROR_RESPONSES

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
__all__ = ["API_PERMISSIONS", "ERROR_RESPONSES", "MEMBERSHIP_HEADER", "ScopeAllows", "api_scope"]
