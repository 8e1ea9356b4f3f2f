"""The standards indicators self-training campaigns count (`core.indicators`): how many of a
school's library staff had their self-training evaluated, and passed, in a school year."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.core.indicators import Counted, Indicator, register
from thuvien.training.models import Enrolment, ReportStatus

EVALUATED = "staff_self_training_evaluated"
PASSED = "staff_self_training_passed"


def _records(school_ids: Sequence[int], year: int) -> Any:
    return Enrolment.objects.filter(
        school_id__in=school_ids, campaign__school_year=year, left_on__isnull=True
    )


def _people(filter_: Q) -> Any:
    def compute(school_ids: Sequence[int], year: int) -> dict[int, Decimal]:
        rows = (
            _records(school_ids, year)
            .filter(filter_)
            .order_by()
            .values("school_id")
            .annotate(people=Count("user_id", distinct=True))
        )
        return {row["school_id"]: Decimal(row["people"]) for row in rows}

    return compute


def _counted(filter_: Q) -> Any:
    def counted(school_id: int, year: int, scope: Any) -> list[Counted]:
        rows = (
            Enrolment.objects.visible_to(scope)
            .filter(school_id=school_id, campaign__school_year=year, left_on__isnull=True)
            .filter(filter_)
            .select_related("user", "campaign")
            .order_by("user__full_name", "pk")
        )
        return [
            Counted(
                label=row.user.full_name,
                detail=f"{row.campaign.subject} — {row.grade_label or _('evaluated')}",
                url=reverse("training:record_detail", args=[row.pk]),
            )
            for row in rows
        ]

    return counted


_EVALUATED = Q(report_status=ReportStatus.EVALUATED)
_PASSED = _EVALUATED & Q(passed=True)


def register_indicators() -> None:
    source = gettext_lazy("Self-training campaigns")
    register(
        Indicator(
            code=EVALUATED,
            label=gettext_lazy("Library staff whose self-training was evaluated"),
            unit=gettext_lazy("people"),
            compute=_people(_EVALUATED),
            counted=_counted(_EVALUATED),
            source=source,
        )
    )
    register(
        Indicator(
            code=PASSED,
            label=gettext_lazy("Library staff whose self-training passed"),
            unit=gettext_lazy("people"),
            compute=_people(_PASSED),
            counted=_counted(_PASSED),
            source=source,
        )
    )
