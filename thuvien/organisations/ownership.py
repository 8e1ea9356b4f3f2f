"""Rows that belong to a school through a parent row (a note of a record, a check-in of a
registration) still carry their school directly: one indexed filter per query, and the column a
national installation distributes every school-owned table by (docs/scaling.md)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from thuvien.organisations.models import Unit


class OwnedThroughParent(models.Model):
    """A school-owned row whose school is its parent's: `school_from` names the parent field.

    The school is filled from the parent when the row is first saved; code that writes rows in
    bulk (which skips save()) sets `school_id` itself; when a parent moves school, its service
    moves the children with it."""

    school = models.ForeignKey(
        Unit, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    school_from: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.school_id is None:
            self.school_id = getattr(self, self.school_from).school_id
        super().save(*args, **kwargs)
