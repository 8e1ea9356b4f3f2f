"""Library standards as data: a framework (Thông tư 16/2022 with Mức 1 / Mức 2, or the historical
QĐ 01/2003 with đạt chuẩn / tiên tiến / xuất sắc) in numbered versions, each with its levels,
criterion groups and criteria. A version never changes once it exists: a correction makes the next
version (`services.correct_criterion`, `services.import_framework`), so that an assessment keeps
the exact criteria it was made with.

A criterion says which school tiers it applies to, the article and clause that set it, and how it
is judged: a number compared with a threshold (per student, per class, per teacher or for the
library), a number entered, or yes / no with evidence. What the reference text does not confirm
is marked `verified = False` and shown as such.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thuvien.access import Action, Holds, Policy, ScopedQuerySet


class Tier(models.TextChoices):
    """The school tiers of Thông tư 16 (a multi-tier school has criteria of its own)."""

    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    MULTI_TIER = "multi_tier", _("Multi-tier school")


class Judgement(models.TextChoices):
    THRESHOLD = "threshold", _("A number compared with a threshold")
    NUMBER = "number", _("A number entered")
    YES_NO = "yes_no", _("Yes or no, with evidence")


class Per(models.TextChoices):
    """What a threshold's number is counted against."""

    STUDENT = "student", _("per student")
    CLASS = "class", _("per class")
    TEACHER = "teacher", _("per teacher")
    LIBRARY = "library", _("for the library")


class Operator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")
    EXACTLY = "=", _("exactly")


# Who sees frameworks: everyone whose role has anything to do with a library's standards; who
# corrects them: the department administrator (`Action.KEEP_FRAMEWORKS`).
FRAMEWORK_POLICY = Policy(
    see=Holds(Action.VIEW_STANDARDS),
    actions={Action.KEEP_FRAMEWORKS: Holds(Action.KEEP_FRAMEWORKS)},
)


class FrameworkQuerySet(ScopedQuerySet["Framework"]):
    pass


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)  # "Thông tư 16/2022/TT-BGDĐT"
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    historical = models.BooleanField(
        _("historical"), default=False, help_text=_("Replaced: kept to read past recognitions.")
    )

    policy = FRAMEWORK_POLICY
    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("standards framework")
        verbose_name_plural = _("standards frameworks")
        ordering = ["historical", "-effective_on", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> FrameworkVersion | None:
        return self.versions.order_by("-number").first()


class FrameworkVersionQuerySet(ScopedQuerySet["FrameworkVersion"]):
    pass


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Who made it, by name: a framework is the province's reference data, not a row owned by a
    # person or a school (no key to either, so every library role sees the same frameworks).
    created_by = models.CharField(_("made by"), max_length=200, blank=True)
    note = models.TextField(_("what changed"), blank=True)
    sources = models.JSONField(_("sources"), default=dict, blank=True)  # key → address

    policy = FRAMEWORK_POLICY
    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="framework_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} (v{self.number})"


class _Bilingual(models.Model):
    """A row of a framework's text: Vietnamese (the legal text) and English."""

    # Text, not a bounded column: a criterion's wording is the regulation's, however long.
    name = models.TextField(_("name"))
    name_en = models.TextField(_("name in English"), blank=True)

    class Meta:
        abstract = True

    @property
    def shown_name(self) -> str:
        """The English name in an English page when there is one; the legal Vietnamese else."""
        language = get_language() or ""
        return self.name_en if language.startswith("en") and self.name_en else self.name


class Level(_Bilingual):
    """A level a library can reach (Mức 1, Mức 2), lowest first."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    rule = models.TextField(_("rule"), blank=True)
    verified = models.BooleanField(_("verified"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    policy = FRAMEWORK_POLICY
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="level_code_once"),
        ]

    def __str__(self) -> str:
        return self.shown_name


class CriterionGroup(_Bilingual):
    """A standard of the framework (tài nguyên thông tin, cơ sở vật chất, …)."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))

    policy = FRAMEWORK_POLICY
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="group_code_once"),
        ]

    def __str__(self) -> str:
        return self.shown_name


class Criterion(_Bilingual):
    """One requirement: for some tiers, at one level, in one group; judged one way."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria"
    )  # None: the level is not known from the text
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveIntegerField(_("order"))
    article = models.CharField(_("article and clause"), max_length=40, blank=True)
    tiers = models.JSONField(_("tiers"), default=list)  # [Tier value, …]
    judgement = models.CharField(_("judged by"), max_length=16, choices=Judgement.choices)
    metric = models.SlugField(_("indicator"), max_length=60, blank=True)
    operator = models.CharField(_("comparison"), max_length=2, choices=Operator.choices, blank=True)
    threshold = models.DecimalField(
        _("threshold"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    per = models.CharField(_("counted"), max_length=16, choices=Per.choices, blank=True)
    unit_label = models.CharField(_("unit"), max_length=40, blank=True)  # "bản", "m²"
    verified = models.BooleanField(
        _("verified"),
        default=True,
        help_text=_("Unticked: the text or the value has not been checked against the regulation."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note in English"), blank=True)

    policy = FRAMEWORK_POLICY
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="criterion_code_once"),
            models.CheckConstraint(
                condition=~Q(judgement="threshold")
                | (Q(threshold__isnull=False) & ~Q(operator="") & ~Q(per="")),
                name="criterion_threshold_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.shown_name}"

    @property
    def shown_note(self) -> str:
        language = get_language() or ""
        return self.note_en if language.startswith("en") and self.note_en else self.note

    def applies_to(self, tier: str) -> bool:
        return tier in self.tiers

    def meets(self, value: Decimal | None) -> bool | None:
        """Whether a value meets the threshold (None: no value, or not judged by a threshold)."""
        if self.judgement != Judgement.THRESHOLD or value is None or self.threshold is None:
            return None
        if self.operator == Operator.AT_LEAST:
            return value >= self.threshold
        if self.operator == Operator.AT_MOST:
            return value <= self.threshold
        return value == self.threshold
