"""The list of session themes, kept by the department (its administrator and officers, who hold
KEEP_THEMES): add, rename, retire or bring back, move up or down.

Partners' trainers organise events too but do not change the department's list: 403. The theme
acted on is named in the form body (`theme`), never in the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thuvien.access import Action, requires
from thuvien.events.forms import ThemeMoveForm, ThemeNameForm, ThemePickForm, ThemeRenameForm
from thuvien.events.models import Theme
from thuvien.events.services import themes
from thuvien.events.services.common import EventError


def _page(
    request: HttpRequest, *, add: ThemeNameForm | None = None, rename: ThemeRenameForm | None = None
) -> HttpResponse:
    listed = Theme.objects.annotate(in_use=Count("eventsession")).order_by("order", "name", "pk")
    renaming = rename.cleaned_data.get("theme") if rename is not None else None
    context = {
        "themes": list(listed),
        "add_form": add or ThemeNameForm(),
        "rename_form": rename,
        "renaming": getattr(renaming, "pk", None),
    }
    failed = bool((add and add.errors) or (rename and rename.errors))
    return render(request, "events/theme_list.html", context, status=422 if failed else 200)


def _act(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Theme], done: str
) -> HttpResponse:
    """Run a one-click change on the theme named in the form, then back to the list."""
    if not form.is_valid():
        messages.error(request, _("Choose a theme of the list."))
        return redirect("events:theme_list")
    try:
        theme = action(form.cleaned_data)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"name": theme.name})
    return redirect("events:theme_list")


@requires(Action.KEEP_THEMES)
@require_http_methods(["GET", "POST"])
def theme_list(request: HttpRequest) -> HttpResponse:
    """The themes in order, with how many sessions use each; the form to add one."""
    form = ThemeNameForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            theme = themes.add_theme(form.cleaned_data["name"])
        except EventError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The theme “%(name)s” was added.") % {"name": theme.name})
            return redirect("events:theme_list")
    return _page(request, add=form if form.is_bound else None)


@requires(Action.KEEP_THEMES)
@require_POST
def theme_rename(request: HttpRequest) -> HttpResponse:
    form = ThemeRenameForm(request.POST)
    if form.is_valid():
        try:
            theme = themes.rename_theme(form.cleaned_data["theme"], form.cleaned_data["name"])
        except EventError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The theme is now “%(name)s”.") % {"name": theme.name})
            return redirect("events:theme_list")
    return _page(request, rename=form)


@requires(Action.KEEP_THEMES)
@require_POST
def theme_move(request: HttpRequest) -> HttpResponse:
    return _act(
        request,
        ThemeMoveForm(request.POST),
        lambda data: themes.move_theme(data["theme"], data["direction"]),
        _("The theme “%(name)s” was moved."),
    )


@requires(Action.KEEP_THEMES)
@require_POST
def theme_active(request: HttpRequest, active: bool) -> HttpResponse:
    """Retire a theme (kept on the sessions that use it) or bring it back into use."""
    done = _("“%(name)s” is in use again.") if active else _("“%(name)s” is retired.")
    return _act(
        request,
        ThemePickForm(request.POST),
        lambda data: themes.set_theme_active(data["theme"], active),
        done,
    )


urlpatterns: list[URLPattern] = [
    path("themes/", theme_list, name="theme_list"),
    path("themes/rename/", theme_rename, name="theme_rename"),
    path("themes/move/", theme_move, name="theme_move"),
    path("themes/retire/", theme_active, {"active": False}, name="theme_retire"),
    path("themes/restore/", theme_active, {"active": True}, name="theme_restore"),
]
