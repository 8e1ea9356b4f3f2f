from typing import Any

from django.http import HttpRequest

from thuvien.access import Action, scope_for


def scope(request: HttpRequest) -> dict[str, Any]:
    """The active membership and what it may do, for the navigation."""
    current = scope_for(request)
    return {
        "scope": current,
        "can": {action.name: current.can(action) for action in Action},
    }
