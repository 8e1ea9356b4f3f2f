"""Issue, publish and close a campaign; keep its enrolments in step with the tree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from thuvien.core import versions
from thuvien.notifications.services import Message, deliver
from thuvien.organisations import audience
from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.training.models import (
    CAMPAIGN_TRANSITIONS,
    Campaign,
    CampaignStatus,
    Enrolment,
    Material,
    Milestone,
    ReportStatus,
    Scale,
    ScaleLevel,
    Topic,
)
from thuvien.training.services.common import (
    CAMPAIGN_FIELDS,
    MAX_TOPICS_PER_PERSON,
    TARGETABLE_ROLES,
    TrainingError,
    _audit,
    _lock,
    _move,
    _now,
    _sent_packages,
)
from thuvien.training.versions import campaign_version

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
    if not 1 <= campaign.topics_per_person <= MAX_TOPICS_PER_PERSON:
        raise TrainingError(
            _("Each person chooses from 1 to %(max)d topics.") % {"max": MAX_TOPICS_PER_PERSON}
        )
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
    if campaign.scale != Scale.CUSTOM:
        campaign.scale_levels.all().delete()  # a preset scale leaves no stale custom levels
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
    versions.bump(campaign_version(campaign.pk))  # a bulk insert sends no signal
    campaign.scale = Scale.CUSTOM
    campaign.save(update_fields=["scale"])


@transaction.atomic
def publish_report_guidance(
    campaign: Campaign, *, text: str, by: Any, on: dt.datetime | None = None
) -> Campaign:
    """The report guidance may come after the campaign, as in the letter ("month 3").

    Each publication that changes the text tells the people currently enrolled, once: the
    notification's key names the campaign and the publication's time, so an edited guidance is
    announced again. The same text published again (a double click) changes nothing."""
    _lock(campaign)
    if campaign.status == CampaignStatus.CLOSED or not text.strip():
        raise TrainingError(_("Write the guidance of an open campaign."))
    if campaign.guidance_published_at is not None and campaign.report_guidance == text.strip():
        return campaign
    campaign.report_guidance = text.strip()
    campaign.guidance_published_at = _now(on)
    _audit(campaign, by)
    campaign.save(update_fields=["report_guidance", "guidance_published_at"])
    _notify_guidance(campaign)
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
        if campaign.scale == Scale.CUSTOM and not campaign.scale_levels.exists():
            raise TrainingError(_("List the levels of the custom scale before publishing."))
        _check_topic_count(campaign)
        _move(campaign, "status", CAMPAIGN_TRANSITIONS, CampaignStatus.PUBLISHED)
        campaign.issued_on = campaign.issued_on or on
        _audit(campaign, by)
        campaign.save(update_fields=["status", "issued_on"])
    return sync_enrolments(campaign, on=on, by=by).enrolled


def _check_topic_count(campaign: Campaign) -> None:
    """A draft may list fewer topics than each person chooses while it is written, not once
    published (a campaign without topics asks for at most one, an own topic)."""
    listed = campaign.topics.count()
    if campaign.topics_per_person > max(1, listed):
        raise TrainingError(
            _("Each person chooses %(n)d topics but the campaign lists only %(m)d.")
            % {"n": campaign.topics_per_person, "m": listed}
        )


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
    moved: int = 0


def targeted_memberships(campaign: Campaign, on: dt.date) -> dict[int, Membership]:
    """user id → the membership that makes the person a target on `on` (first school by path)."""
    return audience.first_school(audience.memberships(campaign, on))


@transaction.atomic
def sync_enrolments(campaign: Campaign, *, on: dt.date | None = None, by: Any = None) -> SyncResult:
    """Enrol people appointed since publishing (and tell them); mark those who left (their
    record stays); move the record of a person now at another targeted school (see `_follow`).
    `by` is named in the audit trail of moved records (None: the daily run)."""
    _lock(campaign)
    if campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("Only a published campaign enrols people."))
    on = on or timezone.localdate()
    rows = list(audience.memberships(campaign, on))
    targets = audience.first_school(rows)
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
    created = bulk_create_with_history(new, Enrolment)
    versions.bump(campaign_version(campaign.pk))  # a bulk insert sends no signal
    _notify_enrolled(campaign, created)
    there = {(row.user_id, row.unit_id) for row in rows}
    left, returned, moved = _follow(campaign, existing, targets, there, on=on, by=by)
    return SyncResult(enrolled=len(new), left=left, returned=returned, moved=moved)


def _follow(
    campaign: Campaign,
    existing: dict[int, Enrolment],
    targets: dict[int, Membership],
    there: set[tuple[int, int]],
    *,
    on: dt.date,
    by: Any,
) -> tuple[int, int, int]:
    """Keep each record with its person; returns (left, returned, moved).

    Still targeted at the record's school: the record is current (again). Targeted nowhere: it
    is marked left and stays. Targeted at another school only: the record MOVES there (school,
    role, left_on cleared; notes, plan and versions go with it) while it is not evaluated and
    its school's package has not been sent; otherwise it stays at its school as it is, where it
    counts."""
    left = returned = moved = 0
    frozen: set[int] | None = None
    for user_id, enrolment in existing.items():
        target, fields = targets.get(user_id), ["left_on"]
        if (user_id, enrolment.school_id) in there:
            if enrolment.left_on is None:
                continue
            enrolment.left_on, returned = None, returned + 1
        elif target is None:
            if enrolment.left_on is not None:
                continue
            enrolment.left_on, left = on, left + 1
        else:
            if frozen is None:
                frozen = set(_sent_packages(campaign.pk).values_list("school_id", flat=True))
            if enrolment.report_status == ReportStatus.EVALUATED or enrolment.school_id in frozen:
                continue
            enrolment.school_id, enrolment.role = target.unit_id, target.role
            enrolment.left_on, moved, fields = None, moved + 1, ["school", "role", "left_on"]
            _audit(enrolment, by)
            enrolment.save(update_fields=fields)
            enrolment.carry_rows_to_school()
            continue
        enrolment.save(update_fields=fields)
    return left, returned, moved


def _notify_enrolled(campaign: Campaign, enrolments: list[Enrolment]) -> None:
    """Tell each newly enrolled person, once per campaign, where their record is."""
    deadline = campaign.school_deadline
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You are enrolled in the self-training campaign “%(campaign)s”") % {
            "campaign": campaign.subject
        }
        body = _("Your self-training record is open. Submit your report by %(date)s.") % {
            "date": deadline.strftime("%d/%m/%Y") if deadline else "—"
        }
    records = [(enrolment.pk, enrolment.user_id) for enrolment in enrolments]
    _tell_records(records, "training.enrolled", subject, body, f"training:{campaign.pk}:enrolled")


def _notify_guidance(campaign: Campaign) -> None:
    """Tell the people currently enrolled that the report guidance is out (or was changed)."""
    assert campaign.guidance_published_at is not None
    published = campaign.guidance_published_at.strftime("%Y%m%dT%H%M%S.%f")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The report guidance of “%(campaign)s” is published") % {
            "campaign": campaign.subject
        }
        body = _("Read it in your self-training record before you write your report.")
    records = Enrolment.objects.filter(campaign=campaign).current().values_list("pk", "user_id")
    key = f"training:{campaign.pk}:guidance:{published}"
    _tell_records(list(records), "training.guidance", subject, body, key)


def _tell_records(
    records: list[tuple[int, int]], kind: str, subject: str, body: str, key: str
) -> None:
    """One notification per (record id, person id), linking to the record; once per `key`."""
    deliver(
        [
            Message(user, kind, subject, body, reverse("training:record_detail", args=[pk]), key)
            for pk, user in records
        ]
    )
