"""A notification: one message to one person, shown in the app and (usually) e-mailed once.

A notification belongs to its recipient, not to a unit: views fetch it only through
`Notification.objects.for_recipient(request.user)`, so nobody else's ever shows (404). A non-blank
`key` names the event it announces ("training:12:deadline:2026-04-10:7"); the database keeps it
unique per recipient, so announcing the same event twice sends nothing twice.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuvien.access import Person, Policy, ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet["Notification"]):
    def for_recipient(self, user: Any) -> Self:
        """The person's own notifications; nothing for an anonymous visitor."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def unread_first(self) -> Self:
        unread = models.ExpressionWrapper(
            Q(read_at__isnull=True), output_field=models.BooleanField()
        )
        return self.alias(unread=unread).order_by("-unread", "-created_at", "-pk")


class DigestQuerySet(ScopedQuerySet["Digest"]):
    pass


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(max_length=255, blank=True, default="")
    by_email = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set when a worker takes the notification to e-mail it (reset if sending fails).
    emailed_at = models.DateTimeField(null=True, blank=True)

    policy = Policy(see=Person("recipient"))
    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_key_unique_per_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(
                fields=["emailed_at", "by_email"],
                condition=Q(emailed_at__isnull=True, by_email=True),
                name="notification_to_email",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Digest(models.Model):
    """The daily e-mail of a person who chose a digest: at most one per person and day (the key),
    so a second run on the same day, or a rerun after a crash, sends nothing twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    policy = Policy(see=Person("recipient"))
    objects = DigestQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="notification_digest_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day:%Y-%m-%d}"
