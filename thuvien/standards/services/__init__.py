"""Use cases of the standards app: frameworks (`frameworks`) and the yearly self-assessment
(`assessments`), each a transaction that writes all or nothing."""

from thuvien.standards.services.assessments import (
    AssessmentError,
    add_evidence,
    approve,
    change_window_dates,
    open_window,
    recognise,
    recogniser,
    remove_evidence,
    return_for_changes,
    return_to_library,
    save_profile,
    save_values,
    start_assessment,
    submit,
)
from thuvien.standards.services.frameworks import (
    StandardsError,
    add_criterion,
    correct_criterion,
    import_framework,
    ship_frameworks,
    ship_frameworks_after_migrate,
)
from thuvien.standards.services.plans import add_action, plan_from_gaps, save_actions

__all__ = [
    "AssessmentError",
    "StandardsError",
    "add_action",
    "add_criterion",
    "add_evidence",
    "approve",
    "change_window_dates",
    "correct_criterion",
    "import_framework",
    "open_window",
    "plan_from_gaps",
    "recognise",
    "recogniser",
    "remove_evidence",
    "return_for_changes",
    "return_to_library",
    "save_actions",
    "save_profile",
    "save_values",
    "ship_frameworks",
    "ship_frameworks_after_migrate",
    "start_assessment",
    "submit",
]
