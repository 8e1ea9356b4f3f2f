"""What the event leaves for its participants: materials and photos."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from thuvien.access import Policy, ScopedQuerySet, Via
from thuvien.events.models.events import Event

# --- What the event leaves: materials, photos, feedback -------------------------------------


_Row = TypeVar("_Row", bound=models.Model)


class EventRowQuerySet(ScopedQuerySet[_Row]):
    """Rows of an event (materials, photos): visible where the event is; who may open them
    (participants only, or the public for chosen photos) is the views' rule."""


class EventMaterialQuerySet(EventRowQuerySet["EventMaterial"]):
    pass


class PhotoQuerySet(EventRowQuerySet["Photo"]):
    pass


class EventMaterial(models.Model):
    """Slides and documents, for participants only (served through a scoped view)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to="events/materials/%Y/")
    file_name = models.CharField(max_length=255)
    order = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(see=Via("event"))
    objects = EventMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        ordering = ["event_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Photo(models.Model):
    """A photo of the event with its thumbnail and caption; public only if the organiser chose."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="events/photos/%Y/")
    thumbnail = models.ImageField(upload_to="events/thumbnails/%Y/", blank=True)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(see=Via("event"))
    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["event_id", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)
