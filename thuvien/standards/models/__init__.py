"""The standards app's tables: frameworks (`frameworks`), a school library's profile and its
yearly assessment against a framework (`assessments`)."""

from thuvien.standards.models.assessments import (
    ASSESSMENT_TRANSITIONS,
    OPEN_ACTIONS,
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    AssessmentWindow,
    DevelopmentPlan,
    Evidence,
    LibraryProfile,
    PlanAction,
    PlanActionStatus,
    Recognition,
)
from thuvien.standards.models.frameworks import (
    FRAMEWORK_POLICY,
    Criterion,
    CriterionGroup,
    Framework,
    FrameworkVersion,
    Judgement,
    Level,
    Operator,
    Per,
    Tier,
)

__all__ = [
    "ASSESSMENT_TRANSITIONS",
    "FRAMEWORK_POLICY",
    "OPEN_ACTIONS",
    "Assessment",
    "AssessmentStatus",
    "AssessmentValue",
    "AssessmentWindow",
    "Criterion",
    "CriterionGroup",
    "DevelopmentPlan",
    "Evidence",
    "Framework",
    "FrameworkVersion",
    "Judgement",
    "Level",
    "LibraryProfile",
    "Operator",
    "Per",
    "PlanAction",
    "PlanActionStatus",
    "Recognition",
    "Tier",
]
