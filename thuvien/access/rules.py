"""The rule kinds a model declares its visibility (and its per-action limits) with.

A rule turns a scope into a `Q` on the model's rows; rules compose with `|` (seen from either
side) and `&` (both must hold). Every rule takes a `prefix` so that one model's rule can be
applied to a related row (`Via`), and a model so that it can find its way along relations.
The kinds, in the words of the policy:

- `OwnedBy("school")`      the unit at this field is inside the scope (a school's own row; for
                           supervisors, any school of their subtree); `OwnedBy("")`: a unit row.
- `ByUnit("issuer")`       the unit at this field is the scope's own unit, not one below it
                           (who issued, who wrote, to whom it was sent: the one who acts on it).
- `SentTo("submitted_to")` sent to a unit inside the scope (a package or report seen by its
                           recipient, even after the sender moved away).
- `ReachesDown("target")`  addressed from above: the target is the scope's unit or one above it
                           (or, for supervisors, inside their subtree); `tiers=` narrows a school
                           scope to rows aimed at one of its school tiers.
- `Person("user")`         the row belongs to the person making the request.
- `Via("event")`           seen where the related row is seen (or by the rule given for it).
- `Through("registrations", rule)`  some related row (a reverse relation) satisfies `rule`.
- `Public("shown")`        a flag on the row makes it public.
- `Where(...)`/`WhereNot(...)`  a condition on the row itself (not a draft…), used with `&`.
- `Holds(action)`          the scope's role may do `action` (no condition on the row).
- `Supervising()`          the scope is a supervisor's (department or office: a subtree).

`rule.because(message)` attaches the message a refusal says (403) when the rule limits an action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from thuvien.access.actions import Action

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from thuvien.access.scope import Scope

ModelType = type[models.Model]


def nothing(prefix: str = "") -> Q:
    return Q(**{f"{prefix}pk__in": []})


def everything(prefix: str = "") -> Q:
    return Q(**{f"{prefix}pk__isnull": False})


def model_at(model: ModelType, path: str) -> ModelType:
    """The model reached from `model` by the lookup `path` ("event__organiser")."""
    for name in [part for part in path.split("__") if part]:
        related = model._meta.get_field(name).related_model
        if related is None or isinstance(related, str):
            raise TypeError(f"{model.__name__}.{name} is not a relation")
        model = related
    return model


def _join(prefix: str, name: str) -> str:
    """The lookup of field `name` under `prefix`; "" is the row itself."""
    return f"{prefix}{name}" if name else prefix.removesuffix("__")


class Rule:
    """One rule kind; subclasses implement `q`."""

    message: str | Promise | None = None

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        raise NotImplementedError

    def __or__(self, other: Rule) -> Rule:
        return AnyOf((self, other))

    def __and__(self, other: Rule) -> Rule:
        return AllOf((self, other))

    def because(self, message: str | Promise) -> Rule:
        return Explained(self, message)

    def describe(self) -> str:
        return repr(self)


@dataclass(frozen=True)
class AnyOf(Rule):
    rules: tuple[Rule, ...]

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        result = self.rules[0].q(scope, model, prefix)
        for rule in self.rules[1:]:
            result |= rule.q(scope, model, prefix)
        return result

    def __or__(self, other: Rule) -> Rule:
        return AnyOf((*self.rules, other))

    def describe(self) -> str:
        return " | ".join(rule.describe() for rule in self.rules)


@dataclass(frozen=True)
class AllOf(Rule):
    rules: tuple[Rule, ...]

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        result = self.rules[0].q(scope, model, prefix)
        for rule in self.rules[1:]:
            result &= rule.q(scope, model, prefix)
        return result

    def __and__(self, other: Rule) -> Rule:
        return AllOf((*self.rules, other))

    def describe(self) -> str:
        return " & ".join(f"({rule.describe()})" for rule in self.rules)


@dataclass(frozen=True)
class Explained(Rule):
    rule: Rule
    message: str | Promise | None = None

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        return self.rule.q(scope, model, prefix)

    def describe(self) -> str:
        return self.rule.describe()


@dataclass(frozen=True)
class OwnedBy(Rule):
    """The unit at `field` is inside the scope."""

    field: str

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        unit = scope.unit
        if unit is None:
            return nothing(prefix)
        at = _join(prefix, self.field)
        if scope.is_subtree:
            return Q(**{f"{at}__path__startswith" if at else "path__startswith": unit.path})
        return Q(**{at or "pk": unit.pk})

    def describe(self) -> str:
        return f"OwnedBy({self.field!r})"


@dataclass(frozen=True)
class SentTo(OwnedBy):
    """Sent to a unit inside the scope (the recipient's side of what is sent up the tree)."""

    def describe(self) -> str:
        return f"SentTo({self.field!r})"


@dataclass(frozen=True)
class ByUnit(Rule):
    """The unit at `field` is the scope's own unit (not one below it)."""

    field: str

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        unit = scope.unit
        if unit is None:
            return nothing(prefix)
        return Q(**{_join(prefix, self.field) or "pk": unit.pk})

    def describe(self) -> str:
        return f"ByUnit({self.field!r})"


@dataclass(frozen=True)
class ReachesDown(Rule):
    """Addressed from above: the target is the scope's unit or one of its ancestors; for
    supervisors also any unit inside their subtree. With `tiers` (school flag → row flag), a
    school sees only rows aimed at every tier (no flag set) or at one of its own."""

    field: str
    tiers: Mapping[str, str] = dataclass_field(default_factory=dict)

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        unit = scope.unit
        if unit is None:
            return nothing(prefix)
        at = _join(prefix, self.field)
        reached = Q(**{f"{at}_id__in" if at else "pk__in": [*unit.ancestor_ids(), unit.pk]})
        if scope.is_subtree:
            reached |= Q(**{f"{at}__path__startswith": unit.path})
        if self.tiers and unit.is_school:
            aimed = Q(**{f"{prefix}{flag}": False for flag in self.tiers.values()})
            for unit_flag, row_flag in self.tiers.items():
                if getattr(unit, unit_flag):
                    aimed |= Q(**{f"{prefix}{row_flag}": True})
            reached &= aimed
        return reached

    def describe(self) -> str:
        return f"ReachesDown({self.field!r}{', tiers' if self.tiers else ''})"


@dataclass(frozen=True)
class Person(Rule):
    """The row (at `field`) belongs to the person making the request."""

    field: str = "user"

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        if scope.user_id is None:
            return nothing(prefix)
        return Q(**{f"{prefix}{self.field}": scope.user_id})

    def describe(self) -> str:
        return f"Person({self.field!r})"


@dataclass(frozen=True)
class Via(Rule):
    """Seen where the related row at `field` is seen: by that model's declared visibility, or
    by `rule` (applied to the related model), or by its rule for `action`."""

    field: str
    rule: Rule | None = None
    action: Action | None = None

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        from thuvien.access.policy import policy_of

        related = model_at(model, self.field)
        rule = self.rule
        if rule is None:
            policy = policy_of(related)
            rule = policy.see if self.action is None else policy.rule_for(self.action)
        return rule.q(scope, related, f"{prefix}{self.field}__")

    def describe(self) -> str:
        inner = f", {self.rule.describe()}" if self.rule else ""
        return f"Via({self.field!r}{inner})"


@dataclass(frozen=True)
class Through(Rule):
    """Some row reached by `lookup` (a reverse or many-to-many relation) satisfies `rule`;
    one subquery, so a row with many such related rows is still counted once."""

    lookup: str
    rule: Rule

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        related = model_at(model, self.lookup)
        inner = self.rule.q(scope, related, f"{self.lookup}__")
        rows = model._base_manager.filter(inner).values("pk")
        return Q(**{f"{prefix}pk__in": rows})

    def describe(self) -> str:
        return f"Through({self.lookup!r}, {self.rule.describe()})"


@dataclass(frozen=True)
class Public(Rule):
    """A flag on the row makes it visible to everyone (anonymous visitors included)."""

    flag: str

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        return Q(**{f"{prefix}{self.flag}": True})

    def describe(self) -> str:
        return f"Public({self.flag!r})"


class Where(Rule):
    """A condition on the row itself: `Where(status="open")`."""

    negate = False

    def __init__(self, **lookups: Any) -> None:
        self.lookups = lookups

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        condition = Q(**{f"{prefix}{name}": value for name, value in self.lookups.items()})
        return ~condition if self.negate else condition

    def describe(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in self.lookups.items())
        return f"{type(self).__name__}({inner})"


class WhereNot(Where):
    """The row does not meet a condition: `WhereNot(status="draft")`."""

    negate = True


@dataclass(frozen=True)
class Holds(Rule):
    """The scope's role may do `action`: a condition on the person, none on the row."""

    action: Action

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        return everything(prefix) if scope.can(self.action) else nothing(prefix)

    def describe(self) -> str:
        return f"Holds({self.action.name})"


@dataclass(frozen=True)
class Supervising(Rule):
    """The scope is a supervisor's (department or office): a whole subtree."""

    def q(self, scope: Scope, model: ModelType, prefix: str = "") -> Q:
        return everything(prefix) if scope.is_subtree else nothing(prefix)

    def describe(self) -> str:
        return "Supervising()"
