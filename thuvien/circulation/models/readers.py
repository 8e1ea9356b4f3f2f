"""Readers (bạn đọc): school-owned rows, not accounts. A province has two million students and
most never log in; a reader may be linked to an account (a teacher's, say) and may get a PIN for
the public catalogue."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, Holds, OwnedBy, Policy, ScopedQuerySet
from thuvien.core.folding import fold
from thuvien.organisations.models import Unit

# A school's readers and loans: its library staff and principal, and the supervisors above it
# who hold the action (their statistics); nobody else.
CIRCULATION_ROWS = Policy(see=OwnedBy("school") & Holds(Action.VIEW_CIRCULATION))


class ReaderKind(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    STAFF = "staff", _("Staff member")


class ReaderQuerySet(ScopedQuerySet["Reader"]):
    def active(self) -> ReaderQuerySet:
        return self.filter(active=True)


class Reader(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(
        _("reader type"), max_length=10, choices=ReaderKind.choices, default=ReaderKind.STUDENT
    )
    # The student's code from the school-management system, or the school's own staff code; the
    # library card carries it (Code 128 and QR).
    code = models.CharField(_("reader code"), max_length=30)
    full_name = models.CharField(_("full name"), max_length=200)
    folded_name = models.CharField(max_length=200, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    class_name = models.CharField(_("class"), max_length=20, blank=True)
    grade = models.PositiveSmallIntegerField(_("school grade"), null=True, blank=True)
    school_year = models.PositiveSmallIntegerField(
        _("school year (starting year)"), null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readers",
    )
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    policy = CIRCULATION_ROWS
    objects = ReaderQuerySet.as_manager()
    history = HistoricalRecords(no_db_index=["school", "user"])

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        ordering = ["school_id", "class_name", "folded_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="one_reader_a_code"),
            models.CheckConstraint(
                condition=Q(kind__in=ReaderKind.values), name="reader_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "class_name", "folded_name"], name="reader_class"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.folded_name = fold(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def set_pin(self, pin: str) -> None:
        self.pin_hash = make_password(pin)

    def check_pin(self, pin: str) -> bool:
        return bool(self.pin_hash) and check_password(pin, self.pin_hash)
