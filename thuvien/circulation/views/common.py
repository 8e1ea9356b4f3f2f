"""What the desk's views share: the school whose desk it is."""

from __future__ import annotations

from django.http import HttpRequest

from thuvien.access import scope_for
from thuvien.organisations.models import Unit


def desk_school(request: HttpRequest) -> Unit | None:
    """The school of the active membership; None above a school (nobody there lends)."""
    unit = scope_for(request).unit
    return unit if unit is not None and unit.is_school else None
