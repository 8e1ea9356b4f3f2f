"""The home page and the friendly error pages (JSON under /api/: core.api_errors)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thuvien.core import home as home_page
from thuvien.core.api_errors import is_api_request, json_error


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Whatever the apps put on the home page for this person (see `core.home`)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "core/home.html", {"home": home_page.page_for(request)})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if is_api_request(request):
        return json_error(status)
    context = {"status": status, "title": title, "message": message}
    return HttpResponse(loader.render_to_string("error.html", context, request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, _("Bad request"), _("The request could not be understood. Please try again.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("You do not have permission"),
        _(
            "Your current role does not allow this. If you hold another role, switch to it "
            "in the menu; otherwise ask your unit's administrator."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("This page does not exist or is not part of your unit. Check the address or go home."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return json_error(500)
    # Rendered without the request context: the error may come from it.
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "message": _(
            "The server met an error. Nothing you saved before this page was lost. "
            "Please try again in a moment; if it happens again, tell your administrator."
        ),
    }
    return HttpResponse(loader.render_to_string("error_500.html", context), status=500)
