"""What the event leaves for its participants: materials and photos."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from thuvien.access import Action, Policy, ScopedQuerySet, Via
from thuvien.events.models.events import ONLY_ORGANISERS, PHOTOS_FOR_PARTICIPANTS, Event
from thuvien.events.models.scoping import GALLERY, ORGANISED, PARTICIPATING

# --- What the event leaves: materials, photos, feedback -------------------------------------


_Row = TypeVar("_Row", bound=models.Model)


class EventRowQuerySet(ScopedQuerySet[_Row]):
    """Rows an event leaves (materials, photos): seen where the event is; opened
    (OPEN_EVENT_FILES) by its organisers and participants, and for photos by everyone when the
    organiser made them public: each model's `policy`."""


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

    policy = Policy(
        see=Via("event"),
        actions={
            Action.OPEN_EVENT_FILES: (
                Via("event", ORGANISED) | Via("event", PARTICIPATING)
            ).because(_("The materials of this event are for its participants and organisers.")),
            Action.MANAGE_EVENTS: Via("event", ORGANISED).because(ONLY_ORGANISERS),
        },
    )
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

    # As its event's gallery (`EventGallery`): public by design when the organiser chose.
    policy = Policy(
        see=Via("event") | Via("event", GALLERY),
        actions={
            Action.OPEN_EVENT_FILES: Via("event", GALLERY).because(PHOTOS_FOR_PARTICIPANTS),
            Action.MANAGE_EVENTS: Via("event", ORGANISED).because(ONLY_ORGANISERS),
        },
    )
    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["event_id", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)
