"""A request's scope: the person's active membership (unit + role), resolved once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest

from thuvien.access.actions import ROLE_ACTIONS, SUBTREE_ROLES, Action

if TYPE_CHECKING:
    from thuvien.organisations.models import Membership, Unit

SESSION_KEY = "thuvien_active_membership"


@dataclass(frozen=True)
class Scope:
    """What one request may reach: the active membership (or none), and the person."""

    membership: Membership | None
    memberships: tuple[Membership, ...] = field(default=())
    # The person, even without a membership: rules "owned by a person" need only this.
    user_id: int | None = None

    @property
    def unit(self) -> Unit | None:
        return self.membership.unit if self.membership else None

    @property
    def school(self) -> Unit | None:
        """The unit when it is a school (a school's own desk, stocktake, numbering…), else None."""
        unit = self.unit
        return unit if unit is not None and unit.is_school else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_subtree(self) -> bool:
        return self.role in SUBTREE_ROLES

    def can(self, action: Action) -> bool:
        return self.role is not None and action in ROLE_ACTIONS.get(self.role, frozenset())


NO_SCOPE = Scope(membership=None)


def memberships_of(user: Any) -> tuple[Membership, ...]:
    """The current memberships of a person, best first (department before school, etc.)."""
    from thuvien.organisations.models import Membership, Role

    if not getattr(user, "is_authenticated", False):
        return ()
    order = {value: index for index, value in enumerate(Role.values)}
    rows = Membership.objects.current().filter(user=user).select_related("unit")
    return tuple(sorted(rows, key=lambda m: (order.get(m.role, 99), m.unit.path, m.pk)))


def resolve_scope(user: Any, chosen_membership_id: int | None) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    memberships = memberships_of(user)
    if not memberships:
        return Scope(membership=None, user_id=user.pk)
    active = next((m for m in memberships if m.pk == chosen_membership_id), memberships[0])
    return Scope(membership=active, memberships=memberships, user_id=user.pk)


def scope_for(request: HttpRequest) -> Scope:
    """The request's scope, resolved once per request and user.

    Cached with the user it was resolved for: the API authenticates (by token) after the
    middleware ran, so a scope resolved earlier for the anonymous user must not be reused."""
    user = request.user
    cached = getattr(request, "_thuvien_scope", None)
    if cached is not None and cached[0] is user:
        return cast(Scope, cached[1])
    chosen = None
    if hasattr(request, "session"):
        chosen = request.session.get(SESSION_KEY)
    header = request.headers.get("X-Membership")
    if header and header.isdigit():
        chosen = int(header)
    scope = resolve_scope(user, chosen)
    request._thuvien_scope = (user, scope)  # type: ignore[attr-defined]
    return scope
