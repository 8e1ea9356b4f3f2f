"""The policy a model declares, and the only code that applies it.

A model says who sees its rows and, for some actions, which of those rows the action may touch:

    class Enrolment(models.Model):
        ...
        policy = Policy(
            see=OwnedBy("school"),
            actions={Action.TAKE_TRAINING: Person("user").because(_("Only …"))},
        )
        objects = EnrolmentQuerySet.as_manager()   # a ScopedQuerySet

`ScopedQuerySet.visible_to(scope)` is written here once (subclasses may not override it);
`get_scoped_or_404(rows, scope, action, pk=…)` answers both questions for one row: out of sight →
404, in sight but the action not allowed on it → 403 (with the rule's message).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from thuvien.access.actions import Action
from thuvien.access.rules import Rule

if TYPE_CHECKING:
    from thuvien.access.scope import Scope

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Policy:
    """Who sees a model's rows (`see`), and which of them each action may touch (`actions`:
    an action not listed may be done on every row the scope sees, if the role holds it)."""

    see: Rule
    actions: Mapping[Action, Rule] = field(default_factory=dict)

    def rule_for(self, action: Action) -> Rule:
        limit = self.actions.get(action)
        return self.see if limit is None else self.see & limit

    def refusal(self, action: Action) -> Any:
        limit = self.actions.get(action)
        return getattr(limit, "message", None)


def policy_of(model: type[models.Model]) -> Policy:
    policy = getattr(model, "policy", None)
    if not isinstance(policy, Policy):
        raise TypeError(f"{model.__name__} declares no access policy (a `policy = Policy(…)`)")
    return policy


class ScopedQuerySet(models.QuerySet[_M]):
    """Base of the queryset of every model whose rows belong to a unit or a person. The rows a
    scope sees are the model's declared `policy.see`; no subclass writes its own."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("visible_to", "allowed_to"):
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}: declare the model's `policy` instead"
                )

    def visible_to(self, scope: Scope) -> Self:
        policy = policy_of(self.model)
        return self.filter(policy.see.q(scope, self.model))

    def allowed_to(self, scope: Scope, action: Action) -> Self:
        """The rows on which the scope may do `action`."""
        if not scope.can(action):
            return self.none()
        policy = policy_of(self.model)
        return self.filter(policy.rule_for(action).q(scope, self.model))


def visible_to(queryset: models.QuerySet[_M], scope: Scope) -> models.QuerySet[_M]:
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not scoped: derive from ScopedQuerySet")
    return queryset.visible_to(scope)


def allows(scope: Scope, action: Action, row: models.Model) -> bool:
    """May the scope do `action` on this row? (The role holds it and the row is one of those the
    model's policy allows it on.)"""
    if not scope.can(action):
        return False
    model = type(row)
    rule = policy_of(model).rule_for(action)
    return model._base_manager.filter(pk=row.pk).filter(rule.q(scope, model)).exists()


def authorize(scope: Scope, action: Action, row: models.Model) -> None:
    """Raise 403 unless the scope may do `action` on `row` (which the caller already sees)."""
    if not allows(scope, action, row):
        raise PermissionDenied(policy_of(type(row)).refusal(action) or "")


def get_scoped_or_404(
    queryset: models.QuerySet[_M], scope: Scope, action: Action | None = None, **lookup: Any
) -> _M:
    """The one way a view or an API function fetches a single row: 404 when it is out of the
    scope's sight; with `action`, 403 when the action may not be done on it."""
    try:
        row = visible_to(queryset, scope).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as error:
        raise Http404 from error
    if action is not None:
        authorize(scope, action, row)
    return row


def allowed_ids(queryset: models.QuerySet[_M], scope: Scope, action: Action) -> set[Any]:
    """The primary keys among `queryset` on which the scope may do `action`, in one query (for a
    list showing a button per row)."""
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not scoped: derive from ScopedQuerySet")
    return set(queryset.allowed_to(scope, action).values_list("pk", flat=True))
