"""What the province chooses for its catalogue: the call-number rule, the external SRU targets
its librarians may copy records from, and the digital resources attached to records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuvien.access import (
    Action,
    ByUnit,
    Holds,
    OwnedBy,
    Policy,
    ReachesDown,
    ScopedQuerySet,
    Where,
)
from thuvien.catalogue.models.records import Record
from thuvien.organisations.models import Unit

# The province's own settings: seen by its library roles (the department is the unit of the
# person or one of its ancestors), kept by the department.
PROVINCE_KEPT = Policy(
    see=Holds(Action.VIEW_CATALOGUE) & ReachesDown("department"),
    actions={
        Action.KEEP_CATALOGUE: ByUnit("department").because(
            _("Only the department keeps the province's catalogue settings.")
        )
    },
)


class CallNumberRule(models.TextChoices):
    # Class number + the first three letters of the main entry (author, else title) + year.
    CLASS_MARK3_YEAR = "class_mark3_year", _("Class number + 3 letters of author/title + year")
    CLASS_MARK3 = "class_mark3", _("Class number + 3 letters of author/title")
    CLASS_MARK1 = "class_mark1", _("Class number + first letter of author/title")


class CatalogueSettings(models.Model):
    department = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    call_number_rule = models.CharField(
        _("call-number rule"),
        max_length=20,
        choices=CallNumberRule.choices,
        default=CallNumberRule.CLASS_MARK3_YEAR,
    )
    # Which class number the call number starts with: DDC (082) or the school scheme (084).
    use_local_class = models.BooleanField(_("use the school classification"), default=False)

    policy = PROVINCE_KEPT
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue settings")
        verbose_name_plural = _("catalogue settings")

    def __str__(self) -> str:
        return str(self.call_number_rule)


class SruTarget(models.Model):
    """An external catalogue that answers SRU (another province's ThuVien, a national one)."""

    department = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("SRU address"), max_length=500)
    # "marcxml" (ThuVien, most servers) or another recordSchema name the target knows.
    record_schema = models.CharField(_("record schema"), max_length=60, default="marcxml")
    version = models.CharField(_("SRU version"), max_length=5, default="2.0")
    enabled = models.BooleanField(_("enabled"), default=True)

    policy = PROVINCE_KEPT
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("SRU target")
        verbose_name_plural = _("SRU targets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    EPUB = "epub", _("E-book (EPUB)")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video link")
    LINK = "link", _("Web link")


class Visibility(models.TextChoices):
    SCHOOL = "school", _("The school only")
    EVERYONE = "everyone", _("Everyone")


class DigitalResource(models.Model):
    """A file or link attached to a record by a school, shown to the school or to everyone."""

    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=8, choices=ResourceKind.choices)
    file = models.FileField(_("file"), upload_to="catalogue/resources/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    # TT 16 (Điều 5): digital resources must respect copyright; the school confirms it may share.
    rights_confirmed = models.BooleanField(_("copyright checked"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(
        see=(OwnedBy("school") | Where(visibility=Visibility.EVERYONE))
        & Holds(Action.VIEW_CATALOGUE),
        actions={
            Action.CATALOGUE: OwnedBy("school").because(
                _("Only the school that added a digital resource changes it.")
            )
        },
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("digital resource")
        verbose_name_plural = _("digital resources")
        ordering = ["-added_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="resource_has_file_or_link"
            ),
            models.CheckConstraint(
                condition=Q(rights_confirmed=True), name="resource_rights_confirmed"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or self.url
