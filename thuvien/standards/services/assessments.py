"""The yearly self-assessment, from the department's window to the recognition.

draft ──submit (library staff)──▶ submitted ──approve (principal)──▶ sent ──recognise──▶ recognised
  ▲                                   │                                 │
  └────── return to the library ──────┘          returned ◀── return for changes (reviewer)

Every step is one transaction on the assessment row locked (`select_for_update`): a second click
or a stale form finds the new status and is refused with a message, nothing is written twice.
Submitting snapshots the platform's values; the window's dates bound preparing and submitting.
Each hand-over tells the next people (in-app and e-mail, keyed so nothing is sent twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.core import uploads
from thuvien.notifications.services import notify
from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.organisations.services import supervisor_on
from thuvien.standards import results
from thuvien.standards.models import (
    ASSESSMENT_TRANSITIONS,
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    AssessmentWindow,
    Evidence,
    FrameworkVersion,
    Level,
    LibraryProfile,
    Recognition,
    Tier,
)
from thuvien.standards.versions import bump_window

EVIDENCE_KINDS = uploads.OFFICE_AND_PDF | uploads.IMAGES
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
RECOGNITION_YEARS = 5  # "chu kỳ đánh giá và công nhận là 5 năm" (unverified: DRT-DN)
OFFICERS: dict[str, tuple[str, ...]] = {
    UnitKind.DEPARTMENT: (Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_OFFICER),
    UnitKind.OFFICE: (Role.OFFICE_OFFICER,),
}
LIBRARY_STAFF = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN)


class AssessmentError(Exception):
    """A rule of the self-assessment was broken; the message says what to do."""


# --- the window and the assessment ---------------------------------------------------------------


@transaction.atomic
def open_window(
    issuer: Unit,
    *,
    framework_version: FrameworkVersion,
    year: int,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    department_tiers: Iterable[str] = (Tier.UPPER_SECONDARY,),
    target: Unit | None = None,
) -> AssessmentWindow:
    if issuer.kind != UnitKind.DEPARTMENT:
        raise AssessmentError(_("Only the department opens the year's self-assessment."))
    if closes_on < opens_on:
        raise AssessmentError(_("The window must close on or after the day it opens."))
    target = target or issuer
    if not target.path.startswith(issuer.path) or not target.is_supervising:
        raise AssessmentError(_("Choose the department or one of its offices."))
    if AssessmentWindow.objects.filter(issuer=issuer, year=year).exists():
        raise AssessmentError(
            _("The self-assessment of %(year)s is already open: change its dates instead.")
            % {"year": f"{year}–{year + 1}"}
        )
    return AssessmentWindow.objects.create(
        issuer=issuer,
        target=target,
        framework_version=framework_version,
        year=year,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        department_tiers=sorted(set(department_tiers)),
    )


@transaction.atomic
def change_window_dates(
    window: AssessmentWindow, *, opens_on: dt.date, closes_on: dt.date
) -> AssessmentWindow:
    """Move the window's dates (extend it for the schools that are late, or open it earlier)."""
    if closes_on < opens_on:
        raise AssessmentError(_("The window must close on or after the day it opens."))
    window = AssessmentWindow.objects.select_for_update().get(pk=window.pk)
    window.opens_on, window.closes_on = opens_on, closes_on
    window.save(update_fields=["opens_on", "closes_on"])
    return window


def _window_open(window: AssessmentWindow, day: dt.date) -> None:
    if day < window.opens_on:
        raise AssessmentError(
            _("The self-assessment opens on %(day)s.") % {"day": f"{window.opens_on:%d/%m/%Y}"}
        )
    if day > window.closes_on:
        raise AssessmentError(
            _("The self-assessment closed on %(day)s: ask the department to extend it.")
            % {"day": f"{window.closes_on:%d/%m/%Y}"}
        )


@transaction.atomic
def start_assessment(window: AssessmentWindow, school: Unit) -> Assessment:
    """The school's assessment in the window, with one value row per criterion that applies
    (made once; a second call returns it)."""
    if not school.is_school or not school.path.startswith(window.target.path):
        raise AssessmentError(_("This window is not for this school."))
    assessment, created = Assessment.objects.get_or_create(
        window=window, school=school, defaults={"tier": results.tier_of(school)}
    )
    if created:
        version = window.framework_version
        criteria = results.applicable(
            list(version.criteria.all()),
            list(version.levels.all()),
            assessment.tier,
            results.highest_tier(school),
        )
        AssessmentValue.objects.bulk_create(
            AssessmentValue(assessment=assessment, school=school, criterion=c) for c in criteria
        )
        bump_window(window.pk)  # a bulk insert sends no signal
    return assessment


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("window", "school")
        .get(pk=assessment.pk)
    )


def _move(assessment: Assessment, to: str, refusal: str) -> None:
    if to not in ASSESSMENT_TRANSITIONS[assessment.status]:
        raise AssessmentError(refusal % {"status": AssessmentStatus(assessment.status).label})
    assessment.status = to


@transaction.atomic
def save_values(
    assessment: Assessment,
    entries: dict[int, tuple[Decimal | None, bool | None, str]],
    *,
    summary: str | None = None,
    on: dt.date | None = None,
) -> Assessment:
    """The school's values: criterion id → (number entered, met as judged, explanation)."""
    assessment = _locked(assessment)
    if not assessment.editable:
        raise AssessmentError(
            _("This self-assessment is “%(status)s”: it can no longer be changed.")
            % {"status": AssessmentStatus(assessment.status).label}
        )
    _window_open(assessment.window, on or timezone.localdate())
    rows = {value.criterion_id: value for value in assessment.values.all()}
    unknown = set(entries) - set(rows)
    if unknown:
        raise AssessmentError(_("The form is out of date: open the self-assessment again."))
    changed = []
    for criterion_id, (entered, met, note) in entries.items():
        value = rows[criterion_id]
        if (value.entered, value.met_entered, value.note) != (entered, met, note):
            value.entered, value.met_entered, value.note = entered, met, note
            changed.append(value)
    AssessmentValue.objects.bulk_update(changed, ["entered", "met_entered", "note"])
    bump_window(assessment.window_id)  # a bulk update sends no signal
    if summary is not None and summary != assessment.summary:
        assessment.summary = summary
        assessment.save(update_fields=["summary"])
    return assessment


@transaction.atomic
def add_evidence(value: AssessmentValue, upload: UploadedFile[bytes]) -> Evidence:
    assessment = _locked(value.assessment)
    if not assessment.editable:
        raise AssessmentError(
            _("This self-assessment is “%(status)s”: evidence can no longer be added.")
            % {"status": AssessmentStatus(assessment.status).label}
        )
    try:
        kind = uploads.check_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
    except uploads.UploadError as error:
        raise AssessmentError(str(error)) from error
    name = uploads.safe_filename(upload.name or "minh-chung", kind)
    evidence = Evidence(value=value, school_id=value.school_id, file_name=name)
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence) -> None:
    """Take a file back while the assessment can still be changed (a wrong upload)."""
    assessment = _locked(evidence.value.assessment)
    if not assessment.editable:
        raise AssessmentError(
            _("This self-assessment is “%(status)s”: its evidence can no longer be changed.")
            % {"status": AssessmentStatus(assessment.status).label}
        )
    evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def submit(assessment: Assessment, *, by: Any, on: dt.datetime | None = None) -> Assessment:
    """The library staff hand the assessment to the principal; the platform's values are
    snapshotted now."""
    assessment = _locked(assessment)
    _move(
        assessment,
        AssessmentStatus.SUBMITTED,
        _("This self-assessment is “%(status)s”: it cannot be submitted again."),
    )
    at = on or timezone.now()
    _window_open(assessment.window, timezone.localdate(at))
    values = list(assessment.values.select_related("criterion"))
    computed = results.computed_values(
        [value.criterion for value in values], [assessment.school_id], assessment.window.year
    )[assessment.school_id]
    for value in values:
        value.computed = computed.get(value.criterion.metric) if value.criterion.metric else None
    AssessmentValue.objects.bulk_update(values, ["computed"])
    bump_window(assessment.window_id)
    assessment.submitted_at, assessment.submitted_by = at, by
    assessment.return_comment = ""
    assessment.save()
    _tell(
        _principals(assessment.school_id),
        assessment,
        "submitted",
        gettext_lazy("The library's self-assessment of %(year)s waits for your approval"),
        at,
    )
    return assessment


@transaction.atomic
def return_to_library(assessment: Assessment, *, by: Any, comment: str) -> Assessment:
    assessment = _locked(assessment)
    if not comment.strip():
        raise AssessmentError(_("Say what the library should change."))
    _move(
        assessment,
        AssessmentStatus.DRAFT,
        _("This self-assessment is “%(status)s”: only one waiting for the principal goes back."),
    )
    assessment.return_comment = comment.strip()
    assessment.save()
    _tell(
        _library_staff(assessment.school_id),
        assessment,
        "returned-to-library",
        gettext_lazy("The principal returned the library's self-assessment of %(year)s"),
        timezone.now(),
    )
    return assessment


def recogniser(assessment: Assessment, day: dt.date) -> Unit:
    """Who recognises the school's level: the department for the tiers it keeps (a school with
    upper secondary classes, by default), else the school's supervisor of the day."""
    window, school = assessment.window, assessment.school
    tiers = set(school.tiers)
    if tiers & set(window.department_tiers):
        return window.issuer
    return supervisor_on(school, day) or window.issuer


@transaction.atomic
def approve(assessment: Assessment, *, by: Any, on: dt.datetime | None = None) -> Assessment:
    """The principal approves: the assessment goes to the recognising level with the level
    its values reach."""
    assessment = _locked(assessment)
    _move(
        assessment,
        AssessmentStatus.SENT,
        _("This self-assessment is “%(status)s”: only one waiting for the principal is approved."),
    )
    at = on or timezone.now()
    assessment.approved_at, assessment.approved_by = at, by
    assessment.sent_to = recogniser(assessment, timezone.localdate(at))
    reached = results.result_of(assessment, live=False).reached
    assessment.level_claimed = reached
    assessment.save()
    _tell(
        _officers(assessment.sent_to),
        assessment,
        "sent",
        gettext_lazy("%(school)s sent its library self-assessment of %(year)s for recognition"),
        at,
    )
    return assessment


@transaction.atomic
def return_for_changes(
    assessment: Assessment, *, by: Any, comment: str, check_notes: str = ""
) -> Assessment:
    assessment = _locked(assessment)
    if not comment.strip():
        raise AssessmentError(_("Say what the school should change."))
    _move(
        assessment,
        AssessmentStatus.RETURNED,
        _("This self-assessment is “%(status)s”: only one sent for recognition goes back."),
    )
    assessment.return_comment = comment.strip()
    assessment.check_notes = check_notes.strip() or assessment.check_notes
    assessment.reviewed_by, assessment.reviewed_at = by, timezone.now()
    assessment.save()
    people = {*_principals(assessment.school_id), *_library_staff(assessment.school_id)}
    _tell(
        sorted(people),
        assessment,
        "returned",
        gettext_lazy("The library self-assessment of %(year)s was returned for changes"),
        assessment.reviewed_at,
    )
    return assessment


@transaction.atomic
def recognise(
    assessment: Assessment,
    *,
    by: Any,
    level: Level | None,
    decision_number: str,
    decided_on: dt.date,
    valid_until: dt.date | None = None,
    check_notes: str = "",
) -> Recognition:
    """The competent level's decision: the library reaches `level` (None: no level reached)."""
    assessment = _locked(assessment)
    _move(
        assessment,
        AssessmentStatus.RECOGNISED,
        _("This self-assessment is “%(status)s”: only one sent for recognition is recognised."),
    )
    if not decision_number.strip():
        raise AssessmentError(
            _("Give the decision's number and symbol (for example 123/QĐ-SGDĐT).")
        )
    if level is not None and level.version_id != assessment.window.framework_version_id:
        raise AssessmentError(_("Choose a level of the framework the school was assessed with."))
    if valid_until is None and level is not None:
        try:
            valid_until = decided_on.replace(year=decided_on.year + RECOGNITION_YEARS)
        except ValueError:  # 29 February
            valid_until = decided_on.replace(year=decided_on.year + RECOGNITION_YEARS, day=28)
    assessment.check_notes = check_notes.strip() or assessment.check_notes
    assessment.reviewed_by, assessment.reviewed_at = by, timezone.now()
    assessment.save()
    assert assessment.sent_to is not None  # a sent assessment has its recipient
    recognition = Recognition.objects.create(
        assessment=assessment,
        school=assessment.school,
        level=level,
        decided_by=assessment.sent_to,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        valid_until=valid_until,
    )
    people = {*_principals(assessment.school_id), *_library_staff(assessment.school_id)}
    _tell(
        sorted(people),
        assessment,
        "recognised",
        gettext_lazy("The library self-assessment of %(year)s was decided: %(level)s"),
        assessment.reviewed_at,
        level=level.name if level else gettext_lazy("no level reached"),
    )
    return recognition


# --- the library profile -------------------------------------------------------------------------

PROFILE_FIELDS = (
    "reading_room_m2", "stack_m2", "other_m2", "open_space_m2", "reading_rooms", "seats",
    "open_corners", "green_corners", "computers", "equipment", "opening_hours",
    "open_hours_per_week", "budget_vnd",
)  # fmt: skip


@transaction.atomic
def save_profile(school: Unit, *, year: int, **fields: Any) -> LibraryProfile:
    if not school.is_school:
        raise AssessmentError(_("A library profile belongs to a school."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise AssessmentError(", ".join(sorted(unknown)))
    profile, _created = LibraryProfile.objects.select_for_update().get_or_create(
        school=school, year=year
    )
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


# --- who is told ---------------------------------------------------------------------------------


def _current(unit_id: int, roles: Iterable[str]) -> list[int]:
    rows = Membership.objects.current().filter(unit_id=unit_id, role__in=list(roles))
    return sorted(set(rows.values_list("user_id", flat=True)))


def _principals(school_id: int) -> list[int]:
    return _current(school_id, (Role.PRINCIPAL,))


def _library_staff(school_id: int) -> list[int]:
    return _current(school_id, LIBRARY_STAFF)


def _officers(unit: Unit | None) -> list[int]:
    if unit is None:
        return []
    return _current(unit.pk, OFFICERS.get(unit.kind, ()))


def _tell(
    people: list[int],
    assessment: Assessment,
    step: str,
    subject: Any,
    at: dt.datetime | None,
    **extra: Any,
) -> None:
    """Notify `people` of a hand-over, in the site's language (`subject` is lazy)."""
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "school": assessment.school.name,
            "year": assessment.window.school_year,
            **{name: str(value) for name, value in extra.items()},
        }
        text = str(subject) % values
        body = _("%(school)s, school year %(year)s: open the self-assessment to see it.") % values
    notify(
        people,
        kind=f"standards.{step}",
        subject=text,
        body=body,
        url=reverse("standards:assessment_detail", args=[assessment.pk]),
        key=f"assessment-{step}:{assessment.pk}:{(at or timezone.now()).isoformat()}",
    )
