"""Roles → actions: the one table that says what each role may do on the rows it sees."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    VIEW_UNITS = "view_units"
    MANAGE_UNITS = "manage_units"
    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    VIEW_HISTORY = "view_history"
    VIEW_TRAINING = "view_training"  # campaigns that reach the scope, and their progress
    MANAGE_CAMPAIGNS = "manage_campaigns"  # draft, publish, close the unit's own campaigns
    TAKE_TRAINING = "take_training"  # keep one's own self-training record
    EVALUATE_TRAINING = "evaluate_training"  # return, evaluate, extend; send the school package
    REVIEW_PACKAGES = "review_packages"  # open, return, accept the packages sent to the unit
    WRITE_REPORTS = "write_reports"  # the unit's own aggregate report: write, send, finalise
    FOLLOW_PROGRESS = "follow_progress"  # a campaign's progress dashboard (figures, drill-down)
    READ_RECORDS = "read_records"  # the content of self-training records: notes, files, PDF
    VIEW_EVENTS = "view_events"  # training events that reach the scope, and their reports
    MANAGE_EVENTS = "manage_events"  # organise events: programme, audience, attendance, photos
    ATTEND_EVENTS = "attend_events"  # register oneself, check in, give feedback, certificate
    NOMINATE_ATTENDEES = "nominate_attendees"  # register the school's staff for an event
    CANCEL_REGISTRATION = "cancel_registration"  # give a seat up (the policy says whose)
    DOWNLOAD_CERTIFICATE = "download_certificate"  # a certificate's PDF (the policy says whose)
    OPEN_EVENT_FILES = "open_event_files"  # an event's materials and photos (the policy: whose)
    REPORT_EVENTS = "report_events"  # an event's report and survey answers, with names
    KEEP_THEMES = "keep_themes"  # the department's list of session themes
    VIEW_STANDARDS = "view_standards"  # the library standards frameworks and their criteria
    KEEP_FRAMEWORKS = "keep_frameworks"  # correct, complete, import a framework (new version)
    OPEN_ASSESSMENTS = "open_assessments"  # open the year's self-assessment window
    PREPARE_ASSESSMENT = "prepare_assessment"  # the library profile, values, evidence; submit
    APPROVE_ASSESSMENT = "approve_assessment"  # the principal: approve and send, or return
    RECOGNISE_LIBRARIES = "recognise_libraries"  # review what was sent: return, recognise
    VIEW_CATALOGUE = "view_catalogue"  # the union catalogue, the school's copies and registers
    CATALOGUE = "catalogue"  # records (new, copy cataloguing, import), the school's copies
    EDIT_RECORDS = "edit_records"  # change a shared record (the policy says which: audited)
    MERGE_RECORDS = "merge_records"  # merge two records of the province, moving their copies
    KEEP_CATALOGUE = "keep_catalogue"  # the province's call-number rule and SRU targets
    APPROVE_WITHDRAWALS = "approve_withdrawals"  # the principal: approve a withdrawal list
    VIEW_CIRCULATION = "view_circulation"  # the school's readers, loans, rules and calendar
    LEND = "lend"  # the desk: check out, return, renew; readers, loan rules, the calendar
    VIEW_LIBRARY_STATS = "view_library_stats"  # loans, readers, activities: counts, never names


_SUPERVISOR_READ = frozenset(
    {Action.VIEW_UNITS, Action.VIEW_STAFF, Action.VIEW_HISTORY, Action.VIEW_STANDARDS}
    | {Action.VIEW_CATALOGUE, Action.VIEW_LIBRARY_STATS}
)
_SUPERVISE_TRAINING = frozenset(
    {Action.VIEW_TRAINING, Action.MANAGE_CAMPAIGNS, Action.REVIEW_PACKAGES}
    | {Action.WRITE_REPORTS, Action.FOLLOW_PROGRESS, Action.READ_RECORDS}
)
_LIBRARY_STAFF = frozenset(
    {Action.VIEW_UNITS, Action.VIEW_STAFF, Action.VIEW_TRAINING, Action.TAKE_TRAINING}
    | {Action.READ_RECORDS, Action.VIEW_EVENTS, Action.ATTEND_EVENTS, Action.VIEW_STANDARDS}
    | {Action.VIEW_CATALOGUE, Action.CATALOGUE, Action.EDIT_RECORDS}
    | {Action.VIEW_CIRCULATION, Action.LEND, Action.VIEW_LIBRARY_STATS}
)
# What taking part in an event gives: giving the seat up, the certificate, the materials and
# photos. Whose: the events models' policies (the person's own, the principal's school, the
# organisers' event, the participants'; photos to anyone once the organiser made them public).
_TAKING_PART = frozenset(
    {Action.CANCEL_REGISTRATION, Action.DOWNLOAD_CERTIFICATE, Action.OPEN_EVENT_FILES}
)
_ORGANISE_EVENTS = (
    frozenset({Action.VIEW_EVENTS, Action.MANAGE_EVENTS, Action.REPORT_EVENTS}) | _TAKING_PART
)
# What a person does for their own training, never an administrator's.
_OWN_TRAINING = frozenset(
    {Action.TAKE_TRAINING, Action.EVALUATE_TRAINING, Action.ATTEND_EVENTS}
    | {Action.NOMINATE_ATTENDEES}
)

# What only a school does with its own self-assessment.
_AT_SCHOOL = frozenset(
    {Action.PREPARE_ASSESSMENT, Action.APPROVE_ASSESSMENT, Action.APPROVE_WITHDRAWALS}
)

# The desk is a school's own: nobody above the school lends its books.
_DESK = frozenset({Action.LEND})

# role → actions. A role not listed here can do nothing scoped.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # Everything but the school-level training actions: an administrator keeps no record of
    # their own, evaluates nobody's and attends no event as a participant.
    "department_admin": frozenset(Action) - _OWN_TRAINING - _AT_SCHOOL - _DESK,
    "department_officer": _SUPERVISOR_READ
    | _SUPERVISE_TRAINING
    | _ORGANISE_EVENTS
    | {Action.KEEP_THEMES, Action.OPEN_ASSESSMENTS, Action.RECOGNISE_LIBRARIES}
    | {Action.EDIT_RECORDS},
    "office_officer": _SUPERVISOR_READ
    | _SUPERVISE_TRAINING
    | {Action.VIEW_EVENTS, Action.OPEN_EVENT_FILES}  # photos made public
    | {Action.RECOGNISE_LIBRARIES},
    "principal": _SUPERVISOR_READ
    | {Action.VIEW_TRAINING, Action.EVALUATE_TRAINING, Action.VIEW_EVENTS}
    | {Action.FOLLOW_PROGRESS, Action.READ_RECORDS}
    | {Action.ATTEND_EVENTS, Action.NOMINATE_ATTENDEES}
    | _TAKING_PART
    | _AT_SCHOOL
    | {Action.VIEW_CIRCULATION},
    "librarian": _LIBRARY_STAFF | _TAKING_PART | {Action.PREPARE_ASSESSMENT},
    "teacher_librarian": _LIBRARY_STAFF | _TAKING_PART | {Action.PREPARE_ASSESSMENT},
    "trainer": frozenset({Action.VIEW_UNITS, Action.VIEW_STANDARDS}) | _ORGANISE_EVENTS,
    "reader": frozenset({Action.OPEN_EVENT_FILES}),  # photos made public
}

# Roles whose scope is their unit's whole subtree; every other role sees its own unit only.
SUBTREE_ROLES = frozenset({"department_admin", "department_officer", "office_officer"})
