"""Use cases of self-training campaigns: issue and publish a campaign, keep its enrolments in step
with the tree, choose topics, submit, return and evaluate reports, and send each school's package
to the supervisor of the day.

Every function is the single way its change happens, runs in one transaction and raises
`TrainingError` with a message a person can act on. Access is the caller's business (as in
`organisations.services`): the functions take explicit objects and trust them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.organisations.services import supervisor_on
from thuvien.training.models import (
    CAMPAIGN_TRANSITIONS,
    PACKAGE_TRANSITIONS,
    PASS_MARK,
    PRESET_LEVELS,
    REPORT_TRANSITIONS,
    Campaign,
    CampaignStatus,
    Enrolment,
    Material,
    Milestone,
    OwnTopicStatus,
    PackageStatus,
    ReportStatus,
    Scale,
    ScaleLevel,
    SchoolPackage,
    Topic,
)


class TrainingError(Exception):
    """A rule of self-training campaigns was broken; the message says what to fix."""


TARGETABLE_ROLES = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN, Role.PRINCIPAL)
CAMPAIGN_FIELDS = frozenset(
    {
        "target",
        "roles",
        "number",
        "symbol",
        "issued_on",
        "place",
        "subject",
        "basis",
        "recipients",
        "purpose",
        "requirements",
        "school_year",
        *Campaign.TIER_FIELDS.values(),
        "topics_per_person",
        "allow_own_topic",
        "report_guidance",
        "school_deadline",
        "office_deadline",
        "scale",
        "reminder_days",
    }
)


def _audit(row: models.Model, by: Any) -> None:
    """Name the acting person in the row's history (simple-history reads `_history_user`)."""
    row._history_user = by  # type: ignore[attr-defined]


def _lock(row: models.Model) -> None:
    """Lock the row and reload the caller's object, so checks read what the database holds."""
    type(row)._default_manager.select_for_update().filter(pk=row.pk).exists()
    row.refresh_from_db()


def _move(row: models.Model, field: str, table: dict[str, frozenset[str]], new: str) -> None:
    current = getattr(row, field)
    if new not in table[current]:
        raise TrainingError(
            _("Something that is “%(current)s” cannot become “%(new)s”.")
            % {"current": getattr(row, f"get_{field}_display")(), "new": getattr(new, "label", new)}
        )
    setattr(row, field, new)


def _now(on: dt.datetime | None) -> dt.datetime:
    return on or timezone.now()


# --- Campaigns -----------------------------------------------------------------------------------


def _apply_fields(campaign: Campaign, fields: dict[str, Any]) -> None:
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "roles":
            campaign.target_roles = f",{','.join(dict.fromkeys(value))},"
        else:
            setattr(campaign, name, value.strip() if isinstance(value, str) else value)


def _check_campaign(campaign: Campaign) -> None:
    issuer, target = campaign.issuer, campaign.target
    if not issuer.is_supervising:
        raise TrainingError(_("Only the department or an office can issue a campaign."))
    if not target.path.startswith(issuer.path) or target.kind == UnitKind.PARTNER:
        raise TrainingError(
            _("A campaign of “%(issuer)s” can only target its own schools, not “%(target)s”.")
            % {"issuer": issuer.name, "target": target.name}
        )
    if not campaign.subject:
        raise TrainingError(_("Give the campaign a subject line."))
    if not campaign.roles or not set(campaign.roles) <= set(TARGETABLE_ROLES):
        raise TrainingError(
            _("Choose the roles to train among: %(roles)s.")
            % {"roles": ", ".join(str(Role(role).label) for role in TARGETABLE_ROLES)}
        )
    if campaign.topics_per_person != 1:
        raise TrainingError(_("For now each person chooses exactly one topic."))
    if campaign.scale not in Scale.values:
        raise TrainingError(_("Unknown evaluation scale: %(scale)s.") % {"scale": campaign.scale})
    if not all(part.strip().isdigit() for part in campaign.reminder_days.split(",") if part):
        raise TrainingError(_("Reminders are days before a date, separated by commas: “7,1”."))
    deadlines = campaign.school_deadline, campaign.office_deadline
    if deadlines[0] and deadlines[1] and deadlines[1] < deadlines[0]:
        raise TrainingError(_("The office deadline cannot be before the school deadline."))


@transaction.atomic
def create_campaign(issuer: Unit, *, by: Any, **fields: Any) -> Campaign:
    """A draft campaign of `issuer`, targeting its whole subtree unless `target` is given."""
    campaign = Campaign(issuer=issuer, target=issuer, created_by=by)
    _apply_fields(campaign, fields)
    _check_campaign(campaign)
    _audit(campaign, by)
    campaign.save()
    return campaign


def _check_draft(campaign: Campaign) -> None:
    _lock(campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise TrainingError(_("A published campaign can no longer be changed."))


@transaction.atomic
def update_campaign(campaign: Campaign, *, by: Any, **fields: Any) -> Campaign:
    _check_draft(campaign)
    _apply_fields(campaign, fields)
    _check_campaign(campaign)
    _audit(campaign, by)
    campaign.save()
    return campaign


@transaction.atomic
def add_topic(campaign: Campaign, *, title: str, description: str = "") -> Topic:
    _check_draft(campaign)
    title = title.strip()
    if not title or campaign.topics.filter(title__iexact=title).exists():
        raise TrainingError(_("Each topic needs a title of its own."))
    order = campaign.topics.count()
    return Topic.objects.create(
        campaign=campaign, title=title, description=description, order=order
    )


@transaction.atomic
def add_material(campaign: Campaign, *, title: str, **fields: Any) -> Material:
    _check_draft(campaign)
    if not title.strip():
        raise TrainingError(_("Each material needs a title."))
    order = campaign.materials.count()
    return Material.objects.create(campaign=campaign, title=title.strip(), order=order, **fields)


@transaction.atomic
def add_milestone(
    campaign: Campaign,
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    expected_output: str = "",
    locks_topic_choice: bool = False,
) -> Milestone:
    _check_draft(campaign)
    if end < start:
        raise TrainingError(_("A milestone cannot end before it starts."))
    if locks_topic_choice and campaign.milestones.filter(locks_topic_choice=True).exists():
        raise TrainingError(_("Only one milestone can start the optional part."))
    return Milestone.objects.create(
        campaign=campaign,
        name=name.strip(),
        start=start,
        end=end,
        expected_output=expected_output,
        locks_topic_choice=locks_topic_choice,
        order=campaign.milestones.count(),
    )


@transaction.atomic
def remove_part(campaign: Campaign, part: type[Topic | Material | Milestone], pk: int) -> None:
    """Take a topic, material or milestone off a draft campaign (missing: nothing happens)."""
    _check_draft(campaign)
    part._default_manager.filter(campaign=campaign, pk=pk).delete()


@transaction.atomic
def set_custom_scale(campaign: Campaign, *, levels: Sequence[tuple[str, bool]]) -> None:
    """Levels best first, each with whether it passes; passing levels must come first."""
    _check_draft(campaign)
    labels = [label.strip() for label, _passes in levels]
    passes = [flag for _label, flag in levels]
    if len(labels) < 2 or len(set(labels)) != len(labels) or not all(labels):
        raise TrainingError(_("A custom scale needs at least two different labels."))
    if passes != sorted(passes, reverse=True) or not passes[0]:
        raise TrainingError(_("List the passing levels first, then the failing ones."))
    campaign.scale_levels.all().delete()
    ScaleLevel.objects.bulk_create(
        ScaleLevel(campaign=campaign, label=label, order=order, passes=flag)
        for order, (label, flag) in enumerate(zip(labels, passes, strict=True))
    )
    campaign.scale = Scale.CUSTOM
    campaign.save(update_fields=["scale"])


@transaction.atomic
def publish_report_guidance(
    campaign: Campaign, *, text: str, by: Any, on: dt.datetime | None = None
) -> Campaign:
    """The report guidance may come after the campaign, as in the letter ("month 3")."""
    _lock(campaign)
    if campaign.status == CampaignStatus.CLOSED or not text.strip():
        raise TrainingError(_("Write the guidance of an open campaign."))
    campaign.report_guidance = text.strip()
    campaign.guidance_published_at = _now(on)
    _audit(campaign, by)
    campaign.save(update_fields=["report_guidance", "guidance_published_at"])
    return campaign


@transaction.atomic
def publish_campaign(campaign: Campaign, *, by: Any, on: dt.date | None = None) -> int:
    """Publish and enrol every targeted person; returns how many were enrolled now.

    Publishing again only enrols those missing (a double click changes nothing)."""
    _lock(campaign)
    on = on or timezone.localdate()
    if campaign.status != CampaignStatus.PUBLISHED:
        if campaign.school_deadline is None:
            raise TrainingError(_("Set the school deadline before publishing."))
        _move(campaign, "status", CAMPAIGN_TRANSITIONS, CampaignStatus.PUBLISHED)
        campaign.issued_on = campaign.issued_on or on
        _audit(campaign, by)
        campaign.save(update_fields=["status", "issued_on"])
    return sync_enrolments(campaign, on=on).enrolled


@transaction.atomic
def close_campaign(campaign: Campaign, *, by: Any) -> Campaign:
    _lock(campaign)
    _move(campaign, "status", CAMPAIGN_TRANSITIONS, CampaignStatus.CLOSED)
    _audit(campaign, by)
    campaign.save(update_fields=["status"])
    return campaign


# --- Enrolments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    enrolled: int
    left: int
    returned: int


def targeted_memberships(campaign: Campaign, on: dt.date) -> dict[int, Membership]:
    """user id → the membership that makes the person a target on `on` (first school by path)."""
    schools = Unit.objects.schools().active().filter(path__startswith=campaign.target.path)
    if not campaign.targets_all_tiers():
        tiers = Q()
        for unit_field, campaign_field in Campaign.TIER_FIELDS.items():
            if getattr(campaign, campaign_field):
                tiers |= Q(**{unit_field: True})
        schools = schools.filter(tiers)
    rows = (
        Membership.objects.current(on)
        .filter(unit__in=schools, role__in=campaign.roles)
        .order_by("unit__path", "pk")
    )
    chosen: dict[int, Membership] = {}
    for membership in rows:
        chosen.setdefault(membership.user_id, membership)
    return chosen


@transaction.atomic
def sync_enrolments(campaign: Campaign, *, on: dt.date | None = None) -> SyncResult:
    """Enrol people appointed since publishing; mark those who left (their record stays)."""
    _lock(campaign)
    if campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("Only a published campaign enrols people."))
    on = on or timezone.localdate()
    targets = targeted_memberships(campaign, on)
    existing = {row.user_id: row for row in Enrolment.objects.filter(campaign=campaign)}
    new = [
        Enrolment(
            campaign=campaign,
            user_id=user_id,
            school_id=membership.unit_id,
            role=membership.role,
            enrolled_on=on,
        )
        for user_id, membership in targets.items()
        if user_id not in existing
    ]
    bulk_create_with_history(new, Enrolment)
    left = returned = 0
    for user_id, enrolment in existing.items():
        target = targets.get(user_id)
        there = target is not None and target.unit_id == enrolment.school_id
        if enrolment.left_on is None and not there:
            enrolment.left_on, left = on, left + 1
        elif enrolment.left_on is not None and there:
            enrolment.left_on, returned = None, returned + 1
        else:
            continue
        enrolment.save(update_fields=["left_on"])
    return SyncResult(enrolled=len(new), left=left, returned=returned)


def _check_open(enrolment: Enrolment) -> None:
    _lock(enrolment)
    enrolment.campaign.refresh_from_db()
    if enrolment.campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("The campaign is not open."))
    if enrolment.left_on is not None:
        raise TrainingError(_("This person no longer takes part in the campaign."))


@transaction.atomic
def choose_topic(
    enrolment: Enrolment,
    topic: Topic | None = None,
    *,
    own_topic: str = "",
    on: dt.date | None = None,
) -> Enrolment:
    """Choose one topic of the list, or propose one's own (then the principal approves it)."""
    _check_open(enrolment)
    campaign, own_topic = enrolment.campaign, own_topic.strip()
    if (topic is None) == (not own_topic):
        raise TrainingError(_("Choose one topic from the list or propose your own."))
    if topic is not None and topic.campaign_id != campaign.pk:
        raise TrainingError(_("This topic belongs to another campaign."))
    if own_topic and not campaign.allow_own_topic:
        raise TrainingError(_("This campaign does not accept topics of one's own."))
    if enrolment.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED):
        raise TrainingError(_("The report has been submitted; the topic can no longer change."))
    lock = campaign.topic_lock_date()
    if lock is not None and (on or timezone.localdate()) >= lock:
        if not enrolment.topic_reopened:
            raise TrainingError(
                _("Topic choice closed on %(date)s; ask your principal to reopen it.")
                % {"date": lock.strftime("%d/%m/%Y")}
            )
        enrolment.topic_reopened = False  # a reopening allows one new choice
    enrolment.topic, enrolment.own_topic = topic, own_topic
    enrolment.own_topic_status = OwnTopicStatus.PENDING if own_topic else OwnTopicStatus.NONE
    enrolment.save(update_fields=["topic", "own_topic", "own_topic_status", "topic_reopened"])
    return enrolment


@transaction.atomic
def reopen_topic_choice(enrolment: Enrolment, *, by: Any) -> Enrolment:
    _check_open(enrolment)
    enrolment.topic_reopened = True
    _audit(enrolment, by)
    enrolment.save(update_fields=["topic_reopened"])
    return enrolment


@transaction.atomic
def approve_own_topic(enrolment: Enrolment, *, by: Any, approve: bool = True) -> Enrolment:
    _check_open(enrolment)
    if enrolment.own_topic_status != OwnTopicStatus.PENDING:
        raise TrainingError(_("There is no proposed topic waiting for approval."))
    enrolment.own_topic_status = OwnTopicStatus.APPROVED if approve else OwnTopicStatus.REJECTED
    _audit(enrolment, by)
    enrolment.save(update_fields=["own_topic_status"])
    return enrolment


# --- Reports and evaluations ---------------------------------------------------------------------


def _check_package_not_sent(enrolment: Enrolment) -> None:
    sent = SchoolPackage.objects.filter(
        campaign=enrolment.campaign_id,
        school=enrolment.school_id,
        status__in=(PackageStatus.SUBMITTED, PackageStatus.ACCEPTED),
    ).exists()
    if sent:
        raise TrainingError(
            _("The school's package has been sent; ask the supervisor to return it first.")
        )


@transaction.atomic
def submit_report(enrolment: Enrolment, *, on: dt.datetime | None = None) -> Enrolment:
    _check_open(enrolment)
    has_topic = enrolment.topic_id is not None or (
        enrolment.own_topic_status == OwnTopicStatus.APPROVED
    )
    if not has_topic and enrolment.campaign.topics.exists():
        raise TrainingError(_("Choose a topic (or have your own approved) before submitting."))
    _move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.SUBMITTED)
    enrolment.submitted_at = _now(on)
    _audit(enrolment, enrolment.user)
    enrolment.save(update_fields=["report_status", "submitted_at"])
    return enrolment


@transaction.atomic
def return_report(enrolment: Enrolment, *, by: Any, comment: str) -> Enrolment:
    _check_open(enrolment)
    if not comment.strip():
        raise TrainingError(_("Say what to revise when returning a report."))
    _check_package_not_sent(enrolment)
    _move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.RETURNED)
    enrolment.return_comment = comment.strip()
    enrolment.grade, enrolment.mark, enrolment.passed = "", None, None
    _audit(enrolment, by)
    enrolment.save(update_fields=["report_status", "return_comment", "grade", "mark", "passed"])
    return enrolment


def grade_on_scale(campaign: Campaign, grade: str | Decimal) -> tuple[str, Decimal | None, bool]:
    """(grade as stored, mark or None, passes) — or TrainingError naming the valid grades."""
    if campaign.scale == Scale.MARKS_10:
        try:
            mark = Decimal(str(grade).strip().replace(",", "."))
        except InvalidOperation:
            mark = Decimal("NaN")
        if not mark.is_finite() or not 0 <= mark <= 10 or mark != mark.quantize(Decimal("0.1")):
            raise TrainingError(_("Give a mark from 0 to 10 with at most one decimal, e.g. 7.5."))
        mark = mark.quantize(Decimal("0.1"))
        return str(mark), mark, mark >= PASS_MARK
    if campaign.scale == Scale.CUSTOM:
        levels = [(lvl.label, lvl.label, lvl.passes) for lvl in campaign.scale_levels.all()]
    else:
        levels = [
            (code, str(label), passes) for code, label, passes in PRESET_LEVELS[campaign.scale]
        ]
    for code, _label, passes in levels:
        if str(grade).strip() == code:
            return code, None, passes
    raise TrainingError(
        _("Choose one of the grades: %(grades)s.") % {"grades": ", ".join(lvl[1] for lvl in levels)}
    )


@transaction.atomic
def evaluate(
    enrolment: Enrolment,
    *,
    by: Any,
    grade: str | Decimal,
    comment: str = "",
    on: dt.datetime | None = None,
) -> Enrolment:
    _check_open(enrolment)
    _check_package_not_sent(enrolment)
    stored, mark, passed = grade_on_scale(enrolment.campaign, grade)
    _move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.EVALUATED)
    enrolment.grade, enrolment.mark, enrolment.passed = stored, mark, passed
    enrolment.evaluation_comment = comment.strip()
    enrolment.evaluated_by, enrolment.evaluated_at = by, _now(on)
    _audit(enrolment, by)
    enrolment.save()
    return enrolment


@transaction.atomic
def grant_extension(enrolment: Enrolment, *, until: dt.date, reason: str, by: Any) -> Enrolment:
    _check_open(enrolment)
    if not reason.strip():
        raise TrainingError(_("Give the reason for the extension."))
    if enrolment.report_status == ReportStatus.EVALUATED:
        raise TrainingError(_("The report is already evaluated."))
    deadline = enrolment.campaign.school_deadline
    if deadline is not None and until <= deadline:
        raise TrainingError(
            _("An extension must end after the school deadline (%(date)s).")
            % {"date": deadline.strftime("%d/%m/%Y")}
        )
    enrolment.extended_until, enrolment.extension_reason = until, reason.strip()
    enrolment.extension_granted_by = by
    _audit(enrolment, by)
    enrolment.save(update_fields=["extended_until", "extension_reason", "extension_granted_by"])
    return enrolment


# --- School packages -----------------------------------------------------------------------------


@transaction.atomic
def prepare_school_package(campaign: Campaign, school: Unit, *, summary: str = "") -> SchoolPackage:
    """The school's package as a draft (or returned), with its summary saved."""
    if not school.is_school:
        raise TrainingError(_("Only a school sends a school package."))
    package, _created = SchoolPackage.objects.select_for_update().get_or_create(
        campaign=campaign, school=school
    )
    if package.status in (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED):
        raise TrainingError(_("The package has been sent; it can no longer be changed."))
    if summary.strip():
        package.summary = summary.strip()
        package.save(update_fields=["summary"])
    return package


@transaction.atomic
def submit_school_package(
    campaign: Campaign, school: Unit, *, by: Any, summary: str, on: dt.datetime | None = None
) -> SchoolPackage:
    """Send the school's evaluations to its supervisor on the day of sending."""
    campaign.refresh_from_db(fields=["status"])
    if campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("The campaign is not open."))
    current = Enrolment.objects.filter(campaign=campaign, school=school).current()
    missing = current.exclude(report_status=ReportStatus.EVALUATED).count()
    if missing:
        raise TrainingError(
            ngettext(
                "%(count)d person's report is not evaluated yet.",
                "%(count)d people's reports are not evaluated yet.",
                missing,
            )
            % {"count": missing}
        )
    package = prepare_school_package(campaign, school, summary=summary)
    sent_at = _now(on)
    supervisor = supervisor_on(school, timezone.localdate(sent_at))
    if supervisor is None:
        raise TrainingError(_("The school had no supervising unit on that date."))
    _move(package, "status", PACKAGE_TRANSITIONS, PackageStatus.SUBMITTED)
    package.submitted_at, package.submitted_by, package.submitted_to = sent_at, by, supervisor
    package.return_comment = ""
    _audit(package, by)
    package.save()
    return package


@transaction.atomic
def return_school_package(package: SchoolPackage, *, by: Any, comment: str) -> SchoolPackage:
    _lock(package)
    if not comment.strip():
        raise TrainingError(_("Say what to revise when returning a package."))
    _move(package, "status", PACKAGE_TRANSITIONS, PackageStatus.RETURNED)
    package.return_comment = comment.strip()
    package.reviewed_by, package.reviewed_at = by, timezone.now()
    _audit(package, by)
    package.save(update_fields=["status", "return_comment", "reviewed_by", "reviewed_at"])
    return package


@transaction.atomic
def accept_school_package(package: SchoolPackage, *, by: Any) -> SchoolPackage:
    _lock(package)
    _move(package, "status", PACKAGE_TRANSITIONS, PackageStatus.ACCEPTED)
    package.reviewed_by, package.reviewed_at = by, timezone.now()
    _audit(package, by)
    package.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return package
