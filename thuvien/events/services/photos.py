"""Photos of an event: many uploaded at once (all or none), thumbnails, captions, order, delete.

Every file is told by its content (`core.uploads.check_upload`): a text file renamed .jpg or a
file over the limit refuses the whole batch, naming the file, and nothing is stored. The thumbnail
is a JPEG at most `THUMB_WIDTH` wide with the camera's EXIF orientation applied.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, Any, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from thuvien.core import uploads
from thuvien.events.models import Event, Photo
from thuvien.events.services.common import EventError, audit

THUMB_WIDTH = 480
MAX_PHOTOS_PER_UPLOAD = 60


def max_photo_bytes() -> int:
    return int(getattr(settings, "EVENT_PHOTO_MAX_BYTES", 15 * 1024 * 1024))


def make_thumbnail(stream: IO[bytes]) -> bytes:
    """A JPEG at most `THUMB_WIDTH` wide, upright, from an image already checked by content."""
    from PIL import Image, ImageOps

    stream.seek(0)
    with Image.open(stream) as image:
        # Decompression-bomb guard: the header's size decides before any pixel is decoded.
        if image.width * image.height > uploads.MAX_IMAGE_PIXELS:
            raise EventError(_("This image has too many pixels."))
        image.draft("RGB", (THUMB_WIDTH * 2, THUMB_WIDTH * 2))  # JPEG: decode at a lower scale
        upright = ImageOps.exif_transpose(image)
        rgb = upright.convert("RGB")
    if rgb.width > THUMB_WIDTH:
        height = max(1, round(rgb.height * THUMB_WIDTH / rgb.width))
        rgb = rgb.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=82, optimize=True)
    stream.seek(0)
    return out.getvalue()


def _checked(files: Sequence[UploadedFile[bytes] | Any]) -> list[tuple[Any, str, bytes]]:
    """(file, kind, thumbnail) for every file, or `EventError` naming each refused file."""
    if not files:
        raise EventError(_("Choose at least one photo."))
    if len(files) > MAX_PHOTOS_PER_UPLOAD:
        raise EventError(
            _("At most %(count)d photos at a time: upload the rest in another batch.")
            % {"count": MAX_PHOTOS_PER_UPLOAD}
        )
    problems, checked = [], []
    for upload in files:
        try:
            kind = uploads.check_upload(upload, kinds=uploads.IMAGES, max_bytes=max_photo_bytes())
            checked.append((upload, kind, make_thumbnail(upload.file or upload)))
        except (uploads.UploadError, EventError) as error:
            problems.append(f"{upload.name}: {error}")
    if problems:
        raise EventError(
            _("No photo was saved. Fix or remove these files and upload again: %(problems)s")
            % {"problems": " ".join(problems)}
        )
    return checked


def upload_photos(event: Event, files: Sequence[Any], *, caption: str = "") -> list[Photo]:
    """Store every photo of the batch with its thumbnail, after the last one; or none."""
    checked = _checked(files)
    stored: list[Photo] = []
    try:
        with transaction.atomic():
            Event.objects.select_for_update().filter(pk=event.pk).exists()
            last = event.photos.aggregate(last=Max("order"))["last"]
            order = 0 if last is None else last + 1
            for index, (upload, kind, thumb) in enumerate(checked):
                photo = Photo(event=event, caption=caption.strip()[:500], order=order + index)
                name = uploads.safe_filename(upload.name, kind)
                upload.file.seek(0)
                photo.image.save(name, ContentFile(upload.file.read()), save=False)
                stored.append(photo)
                photo.thumbnail.save(f"{name.rsplit('.', 1)[0]}.jpg", ContentFile(thumb))
    except Exception:
        for photo in stored:  # the rows are rolled back: take their files away too
            _remove_files(photo)
        raise
    return stored


def _remove_files(photo: Photo) -> None:
    for stored in (photo.image, photo.thumbnail):
        if stored:
            stored.delete(save=False)


@transaction.atomic
def set_caption(photo: Photo, caption: str) -> Photo:
    photo.caption = caption.strip()[:500]
    photo.save(update_fields=["caption"])
    return photo


@transaction.atomic
def move_photo(photo: Photo, *, up: bool) -> None:
    """Swap the photo with its neighbour above (or below); the order is renumbered 0, 1, 2…"""
    Event.objects.select_for_update().filter(pk=photo.event_id).exists()
    rows = Photo.objects.filter(event_id=photo.event_id).order_by("order", "pk")
    photos = cast(list[Photo], list(rows))
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(photos):
        photos[index], photos[other] = photos[other], photos[index]
    for position, row in enumerate(photos):
        row.order = position
    Photo.objects.bulk_update(photos, ["order"])
    photo.refresh_from_db()


def delete_photo(photo: Photo) -> None:
    with transaction.atomic():
        Photo.objects.filter(pk=photo.pk).delete()
    _remove_files(photo)


@transaction.atomic
def set_photos_public(event: Event, public: bool, *, by: Any) -> Event:
    """The organiser's choice: the gallery without login, or for participants only."""
    event.photos_public = public
    audit(event, by)
    event.save(update_fields=["photos_public"])
    return event
