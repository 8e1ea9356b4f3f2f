"""Who may see and do what: the whole access policy of ThuVien.

- `actions`  the roles → actions table (`Action`, `ROLE_ACTIONS`, `SUBTREE_ROLES`).
- `scope`    a request's scope: the active membership, resolved once per request (`scope_for`).
- `rules`    the rule kinds a model declares its visibility with (`OwnedBy`, `SentTo`,
             `ReachesDown`, `Person`, `Via`, `Through`, `Public`, `Where`, `Holds`, …).
- `policy`   `Policy` (declared on each model), `ScopedQuerySet.visible_to` (written once),
             `get_scoped_or_404` / `allows` / `authorize`: the instance question, for views and API.
- `http`     `@requires(Action…)` for views and `scoped_file` / `file_response`: every download.
- `api`      the same for DRF: `api_scope`, `ScopeAllows`, `API_PERMISSIONS`.

Out of sight answers 404 (we never confirm a row exists); in sight but not allowed answers 403.
"""

from thuvien.access.actions import ROLE_ACTIONS, SUBTREE_ROLES, Action
from thuvien.access.http import file_response, require_action, requires, scoped_file
from thuvien.access.policy import (
    Policy,
    ScopedQuerySet,
    allowed_ids,
    allows,
    authorize,
    get_scoped_or_404,
    policy_of,
    visible_to,
)
from thuvien.access.rules import (
    ByUnit,
    Holds,
    OwnedBy,
    Person,
    Public,
    ReachesDown,
    Rule,
    SentTo,
    Supervising,
    Through,
    Via,
    Where,
    WhereNot,
)
from thuvien.access.scope import (
    NO_SCOPE,
    SESSION_KEY,
    Scope,
    memberships_of,
    resolve_scope,
    scope_for,
)

__all__ = [
    "NO_SCOPE",
    "ROLE_ACTIONS",
    "SESSION_KEY",
    "SUBTREE_ROLES",
    "Action",
    "ByUnit",
    "Holds",
    "OwnedBy",
    "Person",
    "Policy",
    "Public",
    "ReachesDown",
    "Rule",
    "Scope",
    "ScopedQuerySet",
    "SentTo",
    "Supervising",
    "Through",
    "Via",
    "Where",
    "WhereNot",
    "allowed_ids",
    "allows",
    "authorize",
    "file_response",
    "get_scoped_or_404",
    "memberships_of",
    "policy_of",
    "require_action",
    "requires",
    "resolve_scope",
    "scope_for",
    "scoped_file",
    "visible_to",
]
