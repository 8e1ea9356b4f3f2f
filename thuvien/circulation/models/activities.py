"""What the library does beyond the desk: reading-promotion activities (khuyến đọc) with their
photos, and on-site reading counted by day (lượt đọc tại chỗ). Both are counted in the library's
statistics and by the standards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuvien.access import ScopedQuerySet
from thuvien.circulation.models.readers import CIRCULATION_ROWS
from thuvien.organisations.models import Unit


class ActivityKind(models.TextChoices):
    BOOK_TALK = "book_talk", _("Book introduction")
    BOOK_DAY = "book_day", _("Vietnam Book and Reading Culture Day (21/4)")
    CONTEST = "contest", _("Reading contest")
    STORYTELLING = "storytelling", _("Storytelling from books")
    READING_HOUR = "reading_hour", _("Reading hour in the library")
    OTHER = "other", _("Other activity")


class ActivityQuerySet(ScopedQuerySet["ReadingActivity"]):
    pass


class ReadingActivity(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=14, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("held on"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    classes = models.CharField(_("classes taking part"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    policy = CIRCULATION_ROWS
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading-promotion activity")
        verbose_name_plural = _("reading-promotion activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            )
        ]
        indexes = [models.Index(fields=["school", "held_on"], name="activity_school_day")]

    def __str__(self) -> str:
        return self.title


class PhotoQuerySet(ScopedQuerySet["ActivityPhoto"]):
    pass


class ActivityPhoto(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(ReadingActivity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="circulation/activities/%Y/")

    policy = CIRCULATION_ROWS
    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.image.name or ""


class OnSiteQuerySet(ScopedQuerySet["OnSiteReading"]):
    pass


class OnSiteReading(models.Model):
    """Readers who read in the library on a day (one row a school, day and class)."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField(_("day"))
    class_name = models.CharField(_("class"), max_length=20, blank=True)
    readers = models.PositiveIntegerField(_("readers"))

    policy = CIRCULATION_ROWS
    objects = OnSiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("on-site reading")
        verbose_name_plural = _("on-site reading")
        ordering = ["-day", "class_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "day", "class_name"], name="one_on_site_count_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.class_name} {self.readers}"
