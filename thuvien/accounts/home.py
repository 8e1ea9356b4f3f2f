"""What accounts puts on the home page (see `core.home`): the card of the person's profile."""

from __future__ import annotations

from django.http import HttpRequest

from thuvien.access import scope_for
from thuvien.core.home import Section


def profile_card(request: HttpRequest) -> list[Section]:
    if scope_for(request).membership is None:
        return []
    return [Section("accounts/home/profile_card.html")]
