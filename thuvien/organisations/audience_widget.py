"""Choosing an audience's unit among thousands: by searching (Vietnamese without diacritics) and by
the tree (expand an office to its schools; choosing the office means all its schools).

`AudiencePicker` is a drop-in widget for the `target` ModelChoiceField of a campaign or an event:
the real input stays a plain <select> of the field's own choices (indented by depth), which is all
a browser without JavaScript shows. With JavaScript (thuvien/static/thuvien/app.js) the select is
hidden and the search box and the tree appear; choosing a unit sets the select's value, so the
form, its validation and its queryset are untouched.

`find_units` is the search and the tree's branches behind `audience_views.audience_search`: only
units the scope sees (`Unit.objects.visible_to`), active, not partners, in three queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from thuvien.access import Scope
from thuvien.core.folding import fold
from thuvien.organisations.models import Unit, UnitKind

SEARCH_LIMIT = 30
BRANCH_LIMIT = 300
MIN_QUERY = 2
INDENT = "\u00a0\u00a0\u00a0"
SELECTED = mark_safe(" selected")


@dataclass(frozen=True)
class UnitRow:
    """One unit as the picker lists it."""

    pk: int
    name: str
    kind: str
    kind_label: str
    code: str
    parent_name: str
    children: int  # units below it the person may also choose (0: nothing to expand)

    @property
    def is_supervising(self) -> bool:
        return self.kind in (UnitKind.DEPARTMENT, UnitKind.OFFICE)


@dataclass(frozen=True)
class Found:
    rows: list[UnitRow]
    more: bool  # the limit cut the list: type more of the name
    too_short: bool = False
    asked: bool = True  # False: an empty search box, nothing to say


def _candidates(scope: Scope) -> Any:
    return Unit.objects.visible_to(scope).active().exclude(kind=UnitKind.PARTNER)


def find_units(scope: Scope, *, query: str = "", parent: int | None = None) -> Found:
    """Units in the scope whose name (diacritics ignored) or Ministry code matches `query`,
    supervising units first; or, with `parent`, the scope's units directly below that unit."""
    candidates = _candidates(scope)
    if parent is not None:
        units, limit = (
            candidates.filter(parent_id=parent).order_by("kind", "name_folded"),
            BRANCH_LIMIT,
        )
    else:
        if len(fold(query)) < MIN_QUERY and not query.strip().isdigit():
            asked = bool(query.strip())
            return Found(rows=[], more=False, too_short=asked, asked=asked)
        units, limit = candidates.search(query).order_by("kind", "name_folded"), SEARCH_LIMIT
    found = list(units.only("pk", "name", "kind", "code", "parent_id")[: limit + 1])
    rows = _rows(scope, found[:limit], candidates, name_parents=parent is None)
    return Found(rows=rows, more=len(found) > limit)


def _rows(scope: Scope, found: list[Unit], candidates: Any, *, name_parents: bool) -> list[UnitRow]:
    """The found units as rows, with how many choosable units sit below each (one query) and,
    for search results, their parent's name (there are many "Trường THCS Nguyễn Du"): only a
    parent the person may see too (one query)."""
    below = dict(
        candidates.filter(parent_id__in=[unit.pk for unit in found])
        .values("parent_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("parent_id", "n")
    )
    parent_ids = {unit.parent_id for unit in found if unit.parent_id and name_parents}
    parents = dict(
        Unit.objects.visible_to(scope).filter(pk__in=parent_ids).values_list("pk", "name")
        if parent_ids
        else []
    )
    return [
        UnitRow(
            pk=unit.pk,
            name=unit.name,
            kind=unit.kind,
            kind_label=unit.get_kind_display(),
            code=unit.code or "",
            parent_name=parents.get(unit.parent_id or 0, ""),
            children=below.get(unit.pk, 0),
        )
        for unit in found
    ]


class AudiencePicker(forms.Select):
    """A <select> of the field's choices plus a search box and a tree (see the module's text).

    Use: `widgets = {"target": AudiencePicker()}` in a ModelForm's Meta, or
    `field.widget = AudiencePicker()`; the field's queryset (ordered by path) stays the truth."""

    template_name = "organisations/audience/widget.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = {str(v) for v in context["widget"]["value"]}
        # value, " selected" or "", depth in the tree (None: the empty choice), label
        options: list[tuple[str, str, int | None, str]] = []
        units: list[Unit] = []
        for choice_value, label in self.choices:  # one query: the field's queryset
            instance = getattr(choice_value, "instance", None)
            key = "" if choice_value is None else str(choice_value)
            depth = instance.path.count("/") if isinstance(instance, Unit) else None
            if isinstance(instance, Unit):
                units.append(instance)
            options.append((key, SELECTED if key in chosen else "", depth, str(label)))
        top = min((depth for _, _, depth, _ in options if depth is not None), default=0)
        # Thousands of options: joined here, not looped over in the template (ten times faster).
        context["widget"].update(
            options_html=format_html_join(
                "\n",
                '<option value="{}"{}>{}{}</option>',
                (
                    (key, selected, INDENT * (depth - top) if depth is not None else "", label)
                    for key, selected, depth, label in options
                ),
            ),
            roots=_roots(units),
            chosen_label=next((label for key, sel, _, label in options if sel and key), ""),
            search_url=reverse("organisations:audience_search"),
        )
        return context


def _roots(units: list[Unit]) -> list[UnitRow]:
    """The choices no other choice is above: where the tree starts (usually the scope's unit)."""
    roots: list[Unit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    below: dict[int, int] = {}
    for unit in units:
        if unit.parent_id is not None:
            below[unit.parent_id] = below.get(unit.parent_id, 0) + 1
    return [
        UnitRow(
            pk=unit.pk,
            name=unit.name,
            kind=unit.kind,
            kind_label=unit.get_kind_display(),
            code=unit.code or "",
            parent_name="",
            children=below.get(unit.pk, 0),
        )
        for unit in roots
    ]
