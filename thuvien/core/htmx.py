"""Small helpers for views that answer both a full page and an htmx fragment."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    partial: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render `template`, or only its `partial` (django-template-partials) for htmx requests."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context, status=status)
