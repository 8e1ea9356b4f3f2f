"""Request-wide rules: the language (Vietnamese first) and who may keep a copy of an answer.

The language changes only when a person picks one (the switch sets a cookie); the browser's
Accept-Language does not override the province's language.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from thuvien.core.api_errors import is_api_request, json_error

PRIVATE = "private, no-store"


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PrivateCacheMiddleware:
    """No browser or proxy keeps a copy of a page with personal data: every answer to a logged-in
    person and every answer under /api/ says `Cache-Control: private, no-store`, whatever the view
    set. Other answers (the login and password reset pages, the public certificate check) say it
    too unless their view declared them `public` (a public event's photos, to visitors). Static
    files never reach this: WhiteNoise answers them first, with their own long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = is_api_request(request) or bool(user and user.is_authenticated)
        if personal or not _declared_public(response):
            response.headers["Cache-Control"] = PRIVATE
        return response


def _declared_public(response: HttpResponse) -> bool:
    directives = response.headers.get("Cache-Control", "").split(",")
    return "public" in {directive.split("=")[0].strip().lower() for directive in directives}


class ApiSlashMiddleware:
    """An API address without its trailing slash: Django's APPEND_SLASH answers an empty HTML
    redirect (and a POST would lose its body on the way). Under /api/ a GET or HEAD is redirected
    with a JSON body naming the right address; any other method answers a JSON 404 naming it.
    Listed before CommonMiddleware, so it sees the redirect CommonMiddleware makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code not in (301, 302):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        location = response.get("Location", "")
        if not location.split("?", 1)[0].endswith("/"):
            return response
        message = _("This address ends with a slash: %(address)s") % {"address": location}
        if request.method not in ("GET", "HEAD"):
            moved: HttpResponse = json_error(404, message)
        else:
            moved = JsonResponse({"detail": message}, status=response.status_code)
            moved["Location"] = location
        moved["Cache-Control"] = PRIVATE
        return moved
