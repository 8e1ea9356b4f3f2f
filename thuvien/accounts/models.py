"""People: the custom user model, from the first migration."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import OwnedBy, Policy, ScopedQuerySet, Through


class Qualification(models.TextChoices):
    """Library qualification, read by the standards and training pillars."""

    NONE = "none", _("None")
    CERTIFICATE = "certificate", _("Library training certificate (chứng chỉ bồi dưỡng)")
    INTERMEDIATE = "intermediate", _("Intermediate diploma in library science (trung cấp)")
    COLLEGE = "college", _("College degree in library science (cao đẳng)")
    UNIVERSITY = "university", _("University degree in library science (đại học)")


class UserQuerySet(ScopedQuerySet["User"]):
    """People are visible through their memberships in units in scope."""


class ThuVienUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    qualification = models.CharField(
        _("library qualification"),
        max_length=16,
        choices=Qualification.choices,
        default=Qualification.NONE,
    )
    # One e-mail a day listing the day's notifications instead of one e-mail each (they are in
    # the app at once either way): `manage.py send_notification_digest`.
    email_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_(
            "Receive one e-mail a day listing your new notifications instead of one e-mail each."
        ),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    policy = Policy(see=Through("memberships", OwnedBy("unit")))
    objects: ClassVar[ThuVienUserManager] = ThuVienUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
