"""The standards app's tables: frameworks (`frameworks`), a school library's profile and its
yearly assessment against a framework (`assessments`)."""

from thuvien.standards.models.assessments import (
    ASSESSMENT_TRANSITIONS,
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    AssessmentWindow,
    Evidence,
    LibraryProfile,
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
    "Assessment",
    "AssessmentStatus",
    "AssessmentValue",
    "AssessmentWindow",
    "Criterion",
    "CriterionGroup",
    "Evidence",
    "Framework",
    "FrameworkVersion",
    "Judgement",
    "Level",
    "LibraryProfile",
    "Operator",
    "Per",
    "Recognition",
    "Tier",
]
