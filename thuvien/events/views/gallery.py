"""Photos of an event: upload, thumbnails, captions, order; participants' and public gallery.

The gallery (and every photo file) is for the event's participants (people registered for it) and
its organisers; without login only when the organiser made the photos public. Files are served
through these views, never from a public media URL.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from thuvien.core import uploads
from thuvien.core.htmx import render_page_or_partial
from thuvien.events.models import Event, Photo, Registration, RegistrationStatus
from thuvien.events.services import EventError, photos
from thuvien.organisations.access import Action, Scope, get_scoped_or_404, requires, scope_for

PAGE = "events/gallery_page.html"


class LoginNeeded(Exception):
    """A logged-out reader of photos that are not public: the view sends them to log in."""


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


def manages(scope: Scope, event: Event) -> bool:
    return scope.can(Action.MANAGE_EVENTS) and (
        Event.objects.organised_by(scope).filter(pk=event.pk).exists()
    )


def _participant(user: Any, event: Event) -> bool:
    registered = RegistrationStatus.REGISTERED
    return Registration.objects.filter(event=event, user=user, status=registered).exists()


def _viewable(request: HttpRequest, event_id: int) -> tuple[Event, bool]:
    """(event, can_manage) for a gallery reader; 404 outside the scope, 403 for a bystander."""
    public = Event.objects.filter(pk=event_id, photos_public=True).first()
    if not request.user.is_authenticated:
        if public is None:
            raise LoginNeeded
        return public, False
    scope = scope_for(request)
    event = Event.objects.visible_to(scope).filter(pk=event_id).first()
    event = event or Event.objects.filter(pk=event_id, registrations__user=request.user).first()
    if event is None and public is None:
        raise Http404
    event = event or public
    assert event is not None
    can_manage = manages(scope, event)
    if not (can_manage or event.photos_public or _participant(request.user, event)):
        raise PermissionDenied
    return event, can_manage


def _managed_photo(request: HttpRequest, photo_id: int) -> Photo:
    rows = Photo.objects.filter(event__in=Event.objects.organised_by(scope_for(request)))
    return get_scoped_or_404(rows.select_related("event"), scope_for(request), pk=photo_id)


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
    try:
        event, can_manage = _viewable(request, event_id)
    except LoginNeeded:
        return redirect_to_login(request.get_full_path())
    return _page(request, event, can_manage)


def _serve(request: HttpRequest, photo_id: int, *, thumbnail: bool) -> HttpResponse:
    photo = Photo.objects.filter(pk=photo_id).select_related("event").first()
    if photo is None:
        raise Http404
    try:
        _viewable(request, photo.event_id)
    except LoginNeeded:
        return redirect_to_login(request.get_full_path())
    stored: FieldFile = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except OSError as error:  # the row outlived its file
        raise Http404 from error
    extension = (stored.name or "").rsplit(".", 1)[-1].lower()
    kind = {ext: kind for kind, ext in uploads.EXTENSIONS.items()}.get(extension, uploads.JPEG)
    response = FileResponse(handle, content_type=uploads.CONTENT_TYPES[kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if photo.event.photos_public else "private"
    return cast(HttpResponse, response)


@require_GET
def photo_image(request: HttpRequest, photo_id: int) -> HttpResponse:
    return _serve(request, photo_id, thumbnail=False)


@require_GET
def photo_thumbnail(request: HttpRequest, photo_id: int) -> HttpResponse:
    return _serve(request, photo_id, thumbnail=True)


@requires(Action.MANAGE_EVENTS)
@require_POST
def photo_upload(request: HttpRequest, event_id: int) -> HttpResponse:
    scope = scope_for(request)
    event = get_scoped_or_404(Event.objects.organised_by(scope), scope, pk=event_id)
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
    scope = scope_for(request)
    event = get_scoped_or_404(Event.objects.organised_by(scope), scope, pk=event_id)
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
