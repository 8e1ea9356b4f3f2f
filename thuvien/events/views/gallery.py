"""Photos of an event: upload, thumbnails, captions, order; participants' and public gallery.

The gallery (and every photo file) is for the event's participants (people registered for it) and
its organisers; for everyone, without login too, when the organiser made the photos public —
public by design, declared as `EventGallery.policy` / `Photo.policy` (`Public("photos_public")`).
Someone who sees the event but did not take part is refused (403); outside the event's sight, 404;
a visitor who is not logged in is sent to log in. Files are served through these views, never from
a public media URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, allows, file_response, get_scoped_or_404, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.events.models import Event, EventGallery, Photo
from thuvien.events.services import EventError, photos

if TYPE_CHECKING:
    from thuvien.access import Scope

PAGE = "events/gallery_page.html"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files from one `<input type=file multiple>`."""

    def __init__(self, **kwargs: Any) -> None:
        accept = "image/jpeg,image/png,image/webp"
        super().__init__(widget=MultipleFileInput(attrs={"accept": accept}), **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    photos = PhotosField(
        label=gettext_lazy("Photos"),
        help_text=gettext_lazy("JPEG, PNG or WebP, at most 15 MB each; choose many at once."),
    )
    caption = forms.CharField(label=gettext_lazy("Caption for all"), max_length=500, required=False)


class CaptionForm(forms.Form):
    caption = forms.CharField(label=gettext_lazy("Caption"), max_length=500, required=False)


def _opening(scope: Scope) -> Action | None:
    """The action asked to open photos. A visitor without a role (not logged in, or without a
    current membership) sees only public galleries and those of events they took part in, which
    is exactly what OPEN_EVENT_FILES allows (`GALLERY`): nothing more is asked of them."""
    return Action.OPEN_EVENT_FILES if scope.role is not None else None


def _out_of_sight(request: HttpRequest, error: Http404) -> HttpResponse:
    """A visitor who is not logged in and finds the gallery out of sight (not public) is sent to
    log in rather than told 404."""
    if request.user.is_authenticated:
        raise error
    return redirect_to_login(request.get_full_path())


def _managed_photo(request: HttpRequest, photo_id: int) -> Photo:
    rows = Photo.objects.select_related("event")
    return get_scoped_or_404(rows, scope_for(request), Action.MANAGE_EVENTS, pk=photo_id)


def _managed_event(request: HttpRequest, event_id: int) -> Event:
    return get_scoped_or_404(
        Event.objects.all(), scope_for(request), Action.MANAGE_EVENTS, pk=event_id
    )


def _page(request: HttpRequest, event: Event, can_manage: bool, **extra: Any) -> HttpResponse:
    context = {
        "event": event,
        "photos": list(event.photos.order_by("order", "pk")),
        "can_manage": can_manage,
        "upload_form": extra.get("upload_form") or UploadForm(),
    }
    status = 422 if "upload_form" in extra else 200
    return render_page_or_partial(request, PAGE, "photos", context, status=status)


@require_GET
def gallery(request: HttpRequest, event_id: int) -> HttpResponse:
    scope = scope_for(request)
    try:
        gallery = get_scoped_or_404(EventGallery.objects.all(), scope, _opening(scope), pk=event_id)
    except Http404 as error:
        return _out_of_sight(request, error)
    return _page(request, gallery, allows(scope, Action.MANAGE_EVENTS, gallery))


def _serve(request: HttpRequest, photo_id: int, *, thumbnail: bool) -> HttpResponse:
    scope = scope_for(request)
    try:
        photo = get_scoped_or_404(
            Photo.objects.select_related("event"), scope, _opening(scope), pk=photo_id
        )
    except Http404 as error:
        return _out_of_sight(request, error)
    stored: FieldFile = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    response = file_response(stored, (stored.name or "").rsplit("/", 1)[-1], inline=True)
    response["Cache-Control"] = "public, max-age=3600" if photo.event.photos_public else "private"
    return response


@require_GET
def photo_image(request: HttpRequest, photo_id: int) -> HttpResponse:
    return _serve(request, photo_id, thumbnail=False)


@require_GET
def photo_thumbnail(request: HttpRequest, photo_id: int) -> HttpResponse:
    return _serve(request, photo_id, thumbnail=True)


@requires(Action.MANAGE_EVENTS)
@require_POST
def photo_upload(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = photos.upload_photos(
                event, form.cleaned_data["photos"], caption=form.cleaned_data["caption"]
            )
        except EventError as error:
            form.add_error("photos", str(error))
        else:
            text = ngettext(
                "%(count)d photo was added.", "%(count)d photos were added.", len(added)
            )
            messages.success(request, text % {"count": len(added)})
            return redirect("events:gallery", event.pk)
    return _page(request, event, True, upload_form=form)


@requires(Action.MANAGE_EVENTS)
@require_POST
def photo_caption(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = _managed_photo(request, photo_id)
    form = CaptionForm(request.POST)
    if form.is_valid():
        photos.set_caption(photo, form.cleaned_data["caption"])
        messages.success(request, _("The caption was saved."))
    else:
        messages.error(request, _("A caption has at most 500 characters."))
    return redirect("events:gallery", photo.event_id)


@requires(Action.MANAGE_EVENTS)
@require_POST
def photo_move(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = _managed_photo(request, photo_id)
    photos.move_photo(photo, up=request.POST.get("direction") != "down")
    return redirect("events:gallery", photo.event_id)


@requires(Action.MANAGE_EVENTS)
@require_POST
def photo_delete(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = _managed_photo(request, photo_id)
    photos.delete_photo(photo)
    messages.success(request, _("The photo was deleted."))
    return redirect("events:gallery", photo.event_id)


@requires(Action.MANAGE_EVENTS)
@require_POST
def photos_visibility(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    public = request.POST.get("public") == "1"
    photos.set_photos_public(event, public, by=request.user)
    if public:
        messages.success(request, _("Anyone with the link can now see the photos."))
    else:
        messages.success(request, _("Only participants and organisers can now see the photos."))
    return redirect("events:gallery", event.pk)


urlpatterns: list[URLPattern] = [
    path("<int:event_id>/photos/", gallery, name="gallery"),
    path("<int:event_id>/photos/upload/", photo_upload, name="photo_upload"),
    path("<int:event_id>/photos/visibility/", photos_visibility, name="photos_visibility"),
    path("photos/<int:photo_id>/image/", photo_image, name="photo_image"),
    path("photos/<int:photo_id>/thumbnail/", photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:photo_id>/caption/", photo_caption, name="photo_caption"),
    path("photos/<int:photo_id>/move/", photo_move, name="photo_move"),
    path("photos/<int:photo_id>/delete/", photo_delete, name="photo_delete"),
]
