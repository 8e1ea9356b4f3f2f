"""The organisation tree (department → offices → schools, partners) and who holds which role where.

The tree is data: a unit's current parent is `Unit.parent`, kept with a materialised `path`
("/1/7/42/") so that "everything below this office" is one indexed prefix filter; every change of
parent is also kept in `UnitParentLink` with its dates, so "who supervised this school on date D"
stays answerable after reforms and mergers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import OwnedBy, Policy, ScopedQuerySet
from thuvien.core.folding import fold, keep_folded


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department of Education and Training")
    OFFICE = "office", _("Education office")
    SCHOOL = "school", _("School")
    PARTNER = "partner", _("Partner organisation")


# Which kinds may sit under which. None stands for "at the root of the tree".
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    UnitKind.DEPARTMENT: {None},
    UnitKind.OFFICE: {UnitKind.DEPARTMENT, UnitKind.OFFICE},
    UnitKind.SCHOOL: {UnitKind.DEPARTMENT, UnitKind.OFFICE},
    UnitKind.PARTNER: {None, UnitKind.DEPARTMENT},
}

SUPERVISING_KINDS = (UnitKind.DEPARTMENT, UnitKind.OFFICE)
# The data version (`thuvien.core.versions`) of the organisation tree: bumped by every write to a
# unit (its name, kind, place in the tree), so that figures rolled up by the tree can be kept.
TREE_VERSION = "organisations.tree"


class SchoolTier(models.TextChoices):
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")


class UnitQuerySet(ScopedQuerySet["Unit"]):
    def schools(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.SCHOOL)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def search(self, query: str) -> UnitQuerySet:
        """Diacritic-insensitive search by name or Ministry code."""
        folded = fold(query)
        if not folded:
            return self
        return self.filter(Q(name_folded__contains=folded) | Q(code__iexact=query.strip()))

    def with_tier(self, tier: str) -> UnitQuerySet:
        return self.filter(**{Unit.TIER_FIELDS[tier]: True})


class Unit(models.Model):
    """A department, an office, a school or a partner organisation."""

    TIER_FIELDS: dict[str, str] = {
        SchoolTier.PRESCHOOL: "has_preschool",
        SchoolTier.PRIMARY: "has_primary",
        SchoolTier.LOWER_SECONDARY: "has_lower_secondary",
        SchoolTier.UPPER_SECONDARY: "has_upper_secondary",
    }

    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    code = models.CharField(
        _("Ministry code"),
        max_length=32,
        null=True,
        blank=True,
        help_text=_("The school code in the Ministry's education database."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("supervising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="/")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    has_preschool = models.BooleanField(_("preschool"), default=False)
    has_primary = models.BooleanField(_("primary"), default=False)
    has_lower_secondary = models.BooleanField(_("lower secondary (THCS)"), default=False)
    has_upper_secondary = models.BooleanField(_("upper secondary (THPT)"), default=False)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    governing_body = models.CharField(
        _("governing body"),
        max_length=255,
        blank=True,
        help_text=_(
            "Printed above the unit's name on its official documents, e.g. "
            "“UBND tỉnh Bến Tre”. Empty: told from the names in the tree."
        ),
    )
    symbol = models.CharField(
        _("document symbol"),
        max_length=32,
        blank=True,
        help_text=_(
            "The abbreviation in the number of its documents, e.g. “SGDĐT”, “PGDĐT”. "
            "Empty: made from the unit's name."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    policy = Policy(see=OwnedBy(""))
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(code__isnull=False) & ~Q(code=""),
                name="unit_code_unique",
            ),
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=UnitKind.DEPARTMENT) | Q(parent__isnull=True),
                name="unit_department_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # name_folded is a derived search key, not business logic: keep it in step always.
        keep_folded(self, "name", "name_folded", kwargs)
        if self.code == "":
            self.code = None
        super().save(*args, **kwargs)

    @property
    def is_school(self) -> bool:
        return self.kind == UnitKind.SCHOOL

    @property
    def is_supervising(self) -> bool:
        return self.kind in SUPERVISING_KINDS

    @property
    def tiers(self) -> list[str]:
        return [tier for tier, field in self.TIER_FIELDS.items() if getattr(self, field)]

    @property
    def tier_labels(self) -> list[str]:
        return [str(SchoolTier(tier).label) for tier in self.tiers]

    @property
    def is_multi_tier(self) -> bool:
        return len(self.tiers) > 1

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the materialised path."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def parent_on(self, day: dt.date) -> Unit | None:
        """The unit this one answered to on `day`, from the re-parenting history."""
        link = self.parent_links.on(day).select_related("parent").first()
        if link is None:
            return None
        return link.parent


class UnitParentLinkQuerySet(ScopedQuerySet["UnitParentLink"]):
    def on(self, day: dt.date) -> UnitParentLinkQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class UnitParentLink(models.Model):
    """One period during which `unit` sat under `parent` (None: at the root)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="child_links"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    policy = Policy(see=OwnedBy("unit"))
    objects = UnitParentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision period")
        verbose_name_plural = _("supervision periods")
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="one_open_parent_link"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="parent_link_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ⊂ {self.parent or '—'} ({self.valid_from}–{self.valid_to or ''})"


class SchoolYearStatsQuerySet(ScopedQuerySet["SchoolYearStats"]):
    pass


class SchoolYearStats(models.Model):
    """Student and teacher counts of a school for one school year (starting in `year`)."""

    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="year_stats")
    year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    students = models.PositiveIntegerField(_("students"))
    teachers = models.PositiveIntegerField(_("teachers"))
    classes = models.PositiveIntegerField(_("classes"), null=True, blank=True)

    history = HistoricalRecords()
    policy = Policy(see=OwnedBy("school"))
    objects = SchoolYearStatsQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year statistics")
        verbose_name_plural = _("school year statistics")
        ordering = ["school_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_stats_row_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2200), name="stats_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"

    @property
    def school_year(self) -> str:
        return f"{self.year}–{self.year + 1}"


def current_school_year(today: dt.date | None = None) -> int:
    """The Vietnamese school year starts in September: Nov 2026 → 2026, Mar 2027 → 2026."""
    today = today or timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1


class Role(models.TextChoices):
    DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    OFFICE_OFFICER = "office_officer", _("Office officer")
    PRINCIPAL = "principal", _("Principal")
    LIBRARIAN = "librarian", _("Librarian")
    TEACHER_LIBRARIAN = "teacher_librarian", _("Teacher-librarian")
    TRAINER = "trainer", _("Trainer")
    READER = "reader", _("Reader")


# The kind of unit each role is held in.
ROLE_UNIT_KIND: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: UnitKind.DEPARTMENT,
    Role.DEPARTMENT_OFFICER: UnitKind.DEPARTMENT,
    Role.OFFICE_OFFICER: UnitKind.OFFICE,
    Role.PRINCIPAL: UnitKind.SCHOOL,
    Role.LIBRARIAN: UnitKind.SCHOOL,
    Role.TEACHER_LIBRARIAN: UnitKind.SCHOOL,
    Role.TRAINER: UnitKind.PARTNER,
    Role.READER: UnitKind.SCHOOL,
}


class ReaderCategory(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    def current(self, day: dt.date | None = None) -> MembershipQuerySet:
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Membership(models.Model):
    """A person holds `role` in `unit` from `valid_from` to `valid_to` (inclusive, open-ended)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    reader_category = models.CharField(
        _("reader category"), max_length=16, choices=ReaderCategory.choices, blank=True
    )
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    policy = Policy(see=OwnedBy("unit"))
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "role", "user__full_name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(valid_to__isnull=True),
                name="one_open_membership_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"


class Authority(models.TextChoices):
    """The authority line of a signature (Nghị định 30/2020, Phụ lục I, 7a)."""

    NONE = "", _("Signs in their own name")
    KT = "KT.", _("KT. (deputy, for the head)")
    TL = "TL.", _("TL. (by order of the head)")
    TUQ = "TUQ.", _("TUQ. (by delegation of the head)")
    Q = "Q.", _("Q. (acting head)")


# Authorities that sign for someone else, and so print "KT. GIÁM ĐỐC" above the position.
SIGNS_FOR = (Authority.KT, Authority.TL, Authority.TUQ)


class SignerQuerySet(ScopedQuerySet["Signer"]):
    pass


class Signer(models.Model):
    """A person who signs the unit's official documents: the head, a deputy who signs "KT.", …

    The head (`is_head`) signs by default; the others are offered when a document is issued."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="signers")
    full_name = models.CharField(_("full name"), max_length=100)
    position = models.CharField(
        _("position"), max_length=100, help_text=_("e.g. Giám đốc, Phó Giám đốc, Trưởng phòng.")
    )
    authority = models.CharField(
        _("authority"), max_length=8, choices=Authority.choices, blank=True, default=""
    )
    on_behalf_of = models.CharField(
        _("signs for"),
        max_length=100,
        blank=True,
        help_text=_("With KT., TL. or TUQ.: the head's position, e.g. Giám đốc."),
    )
    is_head = models.BooleanField(_("signs by default"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    policy = Policy(see=OwnedBy("unit"))
    objects = SignerQuerySet.as_manager()

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["unit_id", "-is_head", "order", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_head=True), name="one_head_signer_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(authority__in=Authority.values), name="signer_authority_valid"
            ),
            models.CheckConstraint(
                condition=~Q(authority__in=SIGNS_FOR) | ~Q(on_behalf_of=""),
                name="signer_signs_for_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.position}"

    @property
    def title_lines(self) -> list[str]:
        """ "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"; "Q. GIÁM ĐỐC"; "GIÁM ĐỐC": the lines the
        documents print (`agencies.signature_of`)."""
        from thuvien.organisations.agencies import signature_of  # agencies imports the models

        return signature_of(self).title_lines
