"""Who may see and do what: the whole access policy of ThuVien, on one screen.

- A request's **scope** is the person's active membership (unit + role), resolved once per request
  and user by `scope_for` (views, the context processor and the API all call it).
- **Supervising roles** (department, office) see their unit and its whole subtree; **school roles**
  see their own school; a **trainer** sees their partner unit; nobody else sees anything scoped.
- Every school-owned model's queryset derives from `ScopedQuerySet` and names the path to its
  owning unit; `visible_to(scope)` filters by it. Views fetch single rows with `get_scoped_or_404`.
- Out of scope answers 404 (we do not confirm that a row exists); in scope but lacking the action
  answers 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, ParamSpec, Self, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from thuvien.organisations.models import Membership, Unit

_M = TypeVar("_M", bound=models.Model)
_P = ParamSpec("_P")

SESSION_KEY = "thuvien_active_membership"


class Action(StrEnum):
    VIEW_UNITS = "view_units"
    MANAGE_UNITS = "manage_units"
    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    VIEW_HISTORY = "view_history"
    VIEW_TRAINING = "view_training"  # campaigns that reach the scope, and their progress
    MANAGE_CAMPAIGNS = "manage_campaigns"  # draft, publish, close the unit's own campaigns
    TAKE_TRAINING = "take_training"  # keep one's own self-training record
    EVALUATE_TRAINING = "evaluate_training"  # return, evaluate, extend; send the school package
    REVIEW_PACKAGES = "review_packages"  # open, return, accept the packages sent to the unit
    VIEW_EVENTS = "view_events"  # training events that reach the scope, and their reports
    MANAGE_EVENTS = "manage_events"  # organise events: programme, audience, attendance, photos
    ATTEND_EVENTS = "attend_events"  # register oneself, check in, give feedback, certificate
    NOMINATE_ATTENDEES = "nominate_attendees"  # register the school's staff for an event


_SUPERVISOR_READ = frozenset({Action.VIEW_UNITS, Action.VIEW_STAFF, Action.VIEW_HISTORY})

# role → actions. A role not listed here can do nothing scoped.
_SUPERVISE_TRAINING = frozenset(
    {Action.VIEW_TRAINING, Action.MANAGE_CAMPAIGNS, Action.REVIEW_PACKAGES}
)
_LIBRARY_STAFF = frozenset(
    {Action.VIEW_UNITS, Action.VIEW_STAFF, Action.VIEW_TRAINING, Action.TAKE_TRAINING}
    | {Action.VIEW_EVENTS, Action.ATTEND_EVENTS}
)
_ORGANISE_EVENTS = frozenset({Action.VIEW_EVENTS, Action.MANAGE_EVENTS})
# What a person does for their own training, never an administrator's.
_OWN_TRAINING = frozenset(
    {Action.TAKE_TRAINING, Action.EVALUATE_TRAINING, Action.ATTEND_EVENTS}
    | {Action.NOMINATE_ATTENDEES}
)

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # Everything but the school-level training actions: an administrator keeps no record of
    # their own, evaluates nobody's and attends no event as a participant.
    "department_admin": frozenset(Action) - _OWN_TRAINING,
    "department_officer": _SUPERVISOR_READ | _SUPERVISE_TRAINING | _ORGANISE_EVENTS,
    "office_officer": _SUPERVISOR_READ | _SUPERVISE_TRAINING | {Action.VIEW_EVENTS},
    "principal": _SUPERVISOR_READ
    | {Action.VIEW_TRAINING, Action.EVALUATE_TRAINING, Action.VIEW_EVENTS}
    | {Action.ATTEND_EVENTS, Action.NOMINATE_ATTENDEES},
    "librarian": _LIBRARY_STAFF,
    "teacher_librarian": _LIBRARY_STAFF,
    "trainer": frozenset({Action.VIEW_UNITS}) | _ORGANISE_EVENTS,
    "reader": frozenset(),
}

# Roles whose scope is their unit's whole subtree; every other role sees its own unit only.
SUBTREE_ROLES = frozenset({"department_admin", "department_officer", "office_officer"})


@dataclass(frozen=True)
class Scope:
    """What one request may reach: the active membership, or nothing."""

    membership: Membership | None
    memberships: tuple[Membership, ...] = field(default=())

    @property
    def unit(self) -> Unit | None:
        return self.membership.unit if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_subtree(self) -> bool:
        return self.role in SUBTREE_ROLES

    def can(self, action: Action) -> bool:
        return self.role is not None and action in ROLE_ACTIONS.get(self.role, frozenset())

    def covers(self, unit: Unit) -> bool:
        """Is `unit` inside this scope?"""
        own = self.unit
        if own is None:
            return False
        if self.is_subtree:
            return unit.path.startswith(own.path)
        return unit.pk == own.pk


NO_SCOPE = Scope(membership=None)


class ScopedQuerySet(models.QuerySet[_M]):
    """Base of every school-owned queryset. `scope_path` leads from the row to its owning Unit:
    "" for Unit itself, "school__" for a row with a `school` foreign key, and so on."""

    scope_path: ClassVar[str]

    def visible_to(self, scope: Scope) -> Self:
        unit = scope.unit
        if unit is None:
            return self.none()
        if scope.is_subtree:
            return self.filter(**{f"{self.scope_path}path__startswith": unit.path})
        return self.filter(**{f"{self.scope_path}id": unit.pk})


def visible_to(queryset: models.QuerySet[_M], scope: Scope) -> models.QuerySet[_M]:
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not scoped: derive from ScopedQuerySet")
    return queryset.visible_to(scope)


def get_scoped_or_404(queryset: models.QuerySet[_M], scope: Scope, **lookup: Any) -> _M:
    """The one way a view fetches a single scoped row: 404 when it is not in scope."""
    try:
        return visible_to(queryset, scope).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as error:
        raise Http404 from error


def require_action(scope: Scope, action: Action) -> None:
    if not scope.can(action):
        raise PermissionDenied


def memberships_of(user: Any) -> tuple[Membership, ...]:
    """The current memberships of a person, best first (department before school, etc.)."""
    from thuvien.organisations.models import Membership, Role

    if not getattr(user, "is_authenticated", False):
        return ()
    order = {value: index for index, value in enumerate(Role.values)}
    rows = Membership.objects.current().filter(user=user).select_related("unit")
    return tuple(sorted(rows, key=lambda m: (order.get(m.role, 99), m.unit.path, m.pk)))


def resolve_scope(user: Any, chosen_membership_id: int | None) -> Scope:
    memberships = memberships_of(user)
    if not memberships:
        return NO_SCOPE
    active = next((m for m in memberships if m.pk == chosen_membership_id), memberships[0])
    return Scope(membership=active, memberships=memberships)


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


def requires(
    *actions: Action,
) -> Callable[
    [Callable[Concatenate[HttpRequest, _P], HttpResponse]],
    Callable[Concatenate[HttpRequest, _P], HttpResponse],
]:
    """View decorator: anonymous → login page; missing an action → 403.

    With no actions it only requires a logged-in person."""

    def decorator(
        view: Callable[Concatenate[HttpRequest, _P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, _P], HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            scope = scope_for(request)
            for action in actions:
                require_action(scope, action)
            return view(request, *args, **kwargs)

        wrapped.required_actions = actions  # type: ignore[attr-defined]
        return cast(Callable[Concatenate[HttpRequest, _P], HttpResponse], wrapped)

    return decorator
