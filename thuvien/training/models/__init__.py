"""Self-training campaigns (from the Sở's letter on self-training of library staff) and each
person's self-training record in them.

A `Campaign` is issued by the department or an office and targets roles in the schools of a subtree;
publishing it enrols every targeted person (`Enrolment`, one per person per campaign, owned by the
school where the person held the role). A school's principal evaluates its people, then sends a
`SchoolPackage` up the tree to the supervisor of the day; an office aggregates its schools into a
`UnitReport` for the department, which writes the province's own. Every state change goes through
`services`; the allowed transitions are the tables below each state.

- `campaigns`: the campaign as issued (topics, materials, milestones, scale).
- `records`: the person's record (enrolment, study notes, report versions).
- `submissions`: what goes up the tree (school packages, office and province reports).
"""

from thuvien.training.models.campaigns import (
    CAMPAIGN_TRANSITIONS,
    PASS_MARK,
    PRESET_LEVELS,
    Campaign,
    CampaignQuerySet,
    CampaignStatus,
    Material,
    Milestone,
    Scale,
    ScaleLevel,
    Topic,
)
from thuvien.training.models.records import (
    REPORT_TRANSITIONS,
    ChosenTopic,
    Enrolment,
    EnrolmentQuerySet,
    OwnTopicStatus,
    PlanEntry,
    ReportStatus,
    ReportVersion,
    StudyNote,
)
from thuvien.training.models.submissions import (
    PACKAGE_TRANSITIONS,
    UNIT_REPORT_TRANSITIONS,
    PackageStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)

__all__ = [
    "CAMPAIGN_TRANSITIONS",
    "PACKAGE_TRANSITIONS",
    "PASS_MARK",
    "PRESET_LEVELS",
    "REPORT_TRANSITIONS",
    "UNIT_REPORT_TRANSITIONS",
    "Campaign",
    "CampaignQuerySet",
    "CampaignStatus",
    "ChosenTopic",
    "Enrolment",
    "EnrolmentQuerySet",
    "Material",
    "Milestone",
    "OwnTopicStatus",
    "PackageStatus",
    "PlanEntry",
    "ReportStatus",
    "ReportVersion",
    "Scale",
    "ScaleLevel",
    "SchoolPackage",
    "StudyNote",
    "Topic",
    "UnitReport",
    "UnitReportStatus",
]
