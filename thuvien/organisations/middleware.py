"""Resolves the request's scope once, so views and templates read `request.scope`."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from thuvien.organisations.access import scope_for


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: scope_for(request))  # type: ignore[attr-defined]
        return self.get_response(request)
