"""Use cases of self-training campaigns, one module a part of the workflow:

- `campaigns`: issue and publish a campaign; keep its enrolments in step with the tree.
- `records`: a person's study notes and report versions.
- `plans`: the person's own plan (what to study when).
- `reviews`: topics, reports and their evaluation, extensions, school packages.
- `reports`: the office's aggregate report and the department's own.
- `reminders`: reminders before milestones and deadlines, and escalations after them.

Every function is the single way its change happens, runs in one transaction and raises
`TrainingError` with a message a person can act on. Access is the caller's business (as in
`organisations.services`): the functions take explicit objects and trust them. The names below are
re-exported so callers write `services.publish_campaign`.
"""

from thuvien.training.services import plans, reports
from thuvien.training.services.campaigns import (
    SyncResult,
    add_material,
    add_milestone,
    add_topic,
    close_campaign,
    create_campaign,
    publish_campaign,
    publish_report_guidance,
    remove_part,
    set_custom_scale,
    sync_enrolments,
    targeted_memberships,
    update_campaign,
)
from thuvien.training.services.common import (
    TARGETABLE_ROLES,
    TrainingError,
)
from thuvien.training.services.records import (
    add_study_note,
    clean_report_html,
    save_report_file,
    save_report_version,
    submit_report_text,
)
from thuvien.training.services.reviews import (
    accept_school_package,
    approve_own_topic,
    choose_topic,
    evaluate,
    grade_on_scale,
    grant_extension,
    prepare_school_package,
    reopen_topic_choice,
    return_report,
    return_school_package,
    submit_report,
    submit_school_package,
)

__all__ = [
    "TARGETABLE_ROLES",
    "SyncResult",
    "TrainingError",
    "accept_school_package",
    "add_material",
    "add_milestone",
    "add_study_note",
    "add_topic",
    "approve_own_topic",
    "choose_topic",
    "clean_report_html",
    "close_campaign",
    "create_campaign",
    "evaluate",
    "grade_on_scale",
    "grant_extension",
    "plans",
    "prepare_school_package",
    "publish_campaign",
    "publish_report_guidance",
    "remove_part",
    "reopen_topic_choice",
    "reports",
    "return_report",
    "return_school_package",
    "save_report_file",
    "save_report_version",
    "set_custom_scale",
    "submit_report",
    "submit_report_text",
    "submit_school_package",
    "sync_enrolments",
    "targeted_memberships",
    "update_campaign",
]
