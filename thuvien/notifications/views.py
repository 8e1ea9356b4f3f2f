"""The person's own notifications: the list, and marking one or all of them read.

Every lookup goes through `Notification.objects.for_recipient(request.user)`: another person's
notification is a 404, whatever its id."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import get_scoped_or_404, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.notifications import services
from thuvien.notifications.models import Notification

LIST = "notifications/list.html"
PAGE_SIZE = 25


def _list_page(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.visible_to(scope_for(request)).unread_first()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page_or_partial(request, LIST, "notification-list", {"page": page})


def _after_change(request: HttpRequest) -> HttpResponse:
    """htmx gets the list again (and the count in the navigation); a plain form goes back."""
    if getattr(request, "htmx", False):
        return _list_page(request)
    return redirect("notifications:list")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (POST `id`) read; with `open`, go on to what it links to."""
    try:
        notification_id = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    notification = get_scoped_or_404(
        Notification.objects.all(), scope_for(request), pk=notification_id
    )
    services.mark_read(notification)
    url = notification.url
    safe = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    if "open" in request.POST and url and safe:
        return redirect(url)
    return _after_change(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return _after_change(request)


app_name = "notifications"
urlpatterns: list[URLPattern] = [
    path("", notification_list, name="list"),
    path("read/", notification_read, name="read"),
    path("read-all/", notification_read_all, name="read_all"),
]
