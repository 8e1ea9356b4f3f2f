"""The data version (`thuvien.core.versions`) of a self-assessment window: everything its overview
counts (the window, its assessments, their values, their recognitions), bumped by every write to
them. The overview is kept in the cache under it and the tree's (`overview.kept`)."""

from __future__ import annotations

from typing import Any

from thuvien.core import versions


def window_version(window_id: int) -> str:
    return f"standards.window.{window_id}"


def track_window_data() -> None:
    from thuvien.standards.models import Assessment, AssessmentValue, AssessmentWindow, Recognition

    versions.track(AssessmentWindow, lambda window: [window_version(window.pk)])
    versions.track(Assessment, lambda assessment: [window_version(assessment.window_id)])

    def of_assessment(row: Any) -> list[str]:
        ids = Assessment.objects.filter(pk=row.assessment_id).values_list("window_id", flat=True)
        return [window_version(window_id) for window_id in ids]

    versions.track(AssessmentValue, of_assessment)
    versions.track(Recognition, of_assessment)


def bump_window(window_id: int) -> None:
    """For the writes that send no signal (`bulk_create`, `bulk_update`)."""
    versions.bump(window_version(window_id))
