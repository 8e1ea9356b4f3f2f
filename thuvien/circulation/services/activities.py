"""Reading-promotion activities (with their photos, all checked before any is kept) and the
day's on-site reading count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from thuvien.circulation.models import ActivityPhoto, OnSiteReading, ReadingActivity
from thuvien.circulation.services.errors import CirculationError
from thuvien.core import uploads
from thuvien.organisations.models import Unit

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 12


@transaction.atomic
def record_activity(
    school: Unit, *, by: Any, photos: Sequence[Any] = (), **data: Any
) -> ReadingActivity:
    if len(photos) > MAX_PHOTOS:
        raise CirculationError(_("At most %(n)s photos an activity.") % {"n": MAX_PHOTOS})
    problems, kinds = [], []
    for photo in photos:
        try:
            kinds.append(
                uploads.check_upload(photo, kinds=uploads.IMAGES, max_bytes=MAX_PHOTO_BYTES)
            )
        except uploads.UploadError as error:
            problems.append(f"{photo.name}: {error}")
    if problems:
        raise CirculationError(
            _("Nothing was saved. Fix or remove these photos and try again: %(problems)s")
            % {"problems": " ".join(problems)}
        )
    activity = ReadingActivity.objects.create(school=school, created_by=by, **data)
    for photo, kind in zip(photos, kinds, strict=True):
        row = ActivityPhoto(school=school, activity=activity)
        row.image.save(uploads.safe_filename(photo.name, kind), photo, save=False)
        row.save()
    return activity


def add_on_site(school: Unit, *, day: dt.date, readers: int, class_name: str = "") -> int:
    """Add readers to the day's on-site count (of a class, or of the school); the new total."""
    if readers < 1 or readers > 2000:
        raise CirculationError(_("Count 1 to 2,000 readers at a time."))
    class_name = class_name.strip()[:20]
    with transaction.atomic():
        row, created = OnSiteReading.objects.select_for_update().get_or_create(
            school=school, day=day, class_name=class_name, defaults={"readers": readers}
        )
        if not created:
            OnSiteReading.objects.filter(pk=row.pk).update(readers=F("readers") + readers)
            row.refresh_from_db()
    return row.readers
