"""What organisations puts on the home page (see `core.home`): the scope's figures at a glance for
those who supervise units, and the cards that open the units, the staff and the imports."""

from __future__ import annotations

from django.http import HttpRequest

from thuvien.access import Action, scope_for
from thuvien.core.home import Area, Section
from thuvien.organisations.queries import scope_summary


def figures(request: HttpRequest) -> list[Section]:
    """Units, staff and students of a subtree (four queries, whatever its size)."""
    scope = scope_for(request)
    if scope.membership is None or not scope.is_subtree or not scope.can(Action.VIEW_UNITS):
        return []
    summary = scope_summary(scope)
    return [Section("organisations/home/figures.html", {"summary": summary}, area=Area.LEAD)]


def cards(request: HttpRequest) -> list[Section]:
    scope = scope_for(request)
    if scope.membership is None:
        return []
    shown = (
        (Action.VIEW_UNITS, "organisations/home/units_card.html"),
        (Action.VIEW_STAFF, "organisations/home/staff_card.html"),
        (Action.MANAGE_UNITS, "organisations/home/import_card.html"),
    )
    return [Section(template) for action, template in shown if scope.can(action)]
