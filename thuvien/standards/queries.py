"""How the standards' pages, documents and API fetch rows: through the policy, in one place."""

from __future__ import annotations

from django.db.models import Prefetch

from thuvien.access import Action, Scope, get_scoped_or_404
from thuvien.standards.models import Assessment, AssessmentValue


def assessment_in_scope(
    scope: Scope, assessment_id: int, action: Action | None = None
) -> Assessment:
    """The assessment with its window, framework, values (and their criteria and evidence): 404
    out of the scope's sight, 403 when `action` may not be done on it."""
    rows = Assessment.objects.select_related(
        "school", "window__framework_version__framework", "sent_to", "level_claimed"
    ).prefetch_related(
        Prefetch("values", AssessmentValue.objects.select_related("criterion")), "values__evidence"
    )
    return get_scoped_or_404(rows, scope, action, pk=assessment_id)
