"""Topics, reports and their evaluation, extensions, and the school's package to its supervisor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from thuvien.core.form_help import COMMENT_MAX_CHARS, SECTION_MAX_CHARS, too_long
from thuvien.notifications.services import notify
from thuvien.organisations.models import Membership, Role, Unit
from thuvien.organisations.services import supervisor_on
from thuvien.training.models import (
    PACKAGE_TRANSITIONS,
    PASS_MARK,
    PRESET_LEVELS,
    REPORT_TRANSITIONS,
    Campaign,
    CampaignStatus,
    Enrolment,
    OwnTopicStatus,
    PackageStatus,
    ReportStatus,
    Scale,
    SchoolPackage,
    Topic,
)
from thuvien.training.services import notices, sending
from thuvien.training.services.common import (
    TrainingError,
    _audit,
    _check_open,
    _lock,
    _move,
    _now,
    _sent_packages,
)


@transaction.atomic
def choose_topic(
    enrolment: Enrolment,
    topic: Topic | None = None,
    *,
    topics: Sequence[Topic] = (),
    own_topic: str = "",
    on: dt.date | None = None,
) -> Enrolment:
    """Choose the campaign's `topics_per_person` topics of the list (`topic` alone when it is
    one), or one fewer and propose one's own (then the principal approves it); the choice
    replaces the previous one. See `_check_topic_choice_open` for when the choice is closed."""
    _check_open(enrolment)
    campaign, own_topic = enrolment.campaign, own_topic.strip()
    picked = [*([topic] if topic is not None else []), *topics]
    _check_choice(campaign, picked, own_topic)
    if enrolment.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED):
        raise TrainingError(_("The report has been submitted; the topic can no longer change."))
    _check_topic_choice_open(enrolment, on or timezone.localdate())
    enrolment.topic, enrolment.own_topic = (picked[0] if picked else None), own_topic
    enrolment.own_topic_status = OwnTopicStatus.PENDING if own_topic else OwnTopicStatus.NONE
    enrolment.save(update_fields=["topic", "own_topic", "own_topic_status", "topic_reopened"])
    enrolment.extra_topics.set(picked[1:], through_defaults={"school_id": enrolment.school_id})
    return enrolment


def _check_choice(campaign: Campaign, picked: list[Topic], own_topic: str) -> None:
    """Exactly N choices (an own topic counts as one), each topic once, all of this campaign."""
    wanted, count = campaign.topics_per_person, len(picked) + bool(own_topic)
    if wanted == 1 and count != 1:
        raise TrainingError(_("Choose one topic from the list or propose your own."))
    if count != wanted:
        message = (
            _("Choose exactly %(n)d topics, or %(m)d and propose your own (you chose %(count)d).")
            if campaign.allow_own_topic
            else _("Choose exactly %(n)d topics (you chose %(count)d).")
        )
        raise TrainingError(message % {"n": wanted, "m": wanted - 1, "count": count})
    if len({chosen.pk for chosen in picked}) != len(picked):
        raise TrainingError(_("Choose each topic only once."))
    if any(chosen.campaign_id != campaign.pk for chosen in picked):
        raise TrainingError(_("This topic belongs to another campaign."))
    if own_topic and not campaign.allow_own_topic:
        raise TrainingError(_("This campaign does not accept topics of one's own."))


def _check_topic_choice_open(enrolment: Enrolment, day: dt.date) -> None:
    """`Enrolment.topic_choice_open` (the record page offers the picker by the same rule); a
    choice made after the lock through a reopening uses the reopening up."""
    lock = enrolment.campaign.topic_lock_date()
    if lock is None or day < lock:
        return
    if not enrolment.topic_choice_open(day):
        raise TrainingError(
            _("Topic choice closed on %(date)s; ask your principal to reopen it.")
            % {"date": lock.strftime("%d/%m/%Y")}
        )
    no_topic_yet = enrolment.topic_id is None and not enrolment.own_topic
    if not (no_topic_yet and enrolment.enrolled_on >= lock):
        enrolment.topic_reopened = False


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
    if _sent_packages(enrolment.campaign_id).filter(school=enrolment.school_id).exists():
        raise TrainingError(
            _("The school's package has been sent; ask the supervisor to return it first.")
        )


@transaction.atomic
def submit_report(enrolment: Enrolment, *, on: dt.datetime | None = None) -> Enrolment:
    _check_open(enrolment)
    wanted = enrolment.campaign.topics_per_person
    if enrolment.chosen_count() < wanted and enrolment.campaign.topics.exists():
        raise TrainingError(
            _("Choose a topic (or have your own approved) before submitting.")
            if wanted == 1
            else _("Choose your %(n)d topics (an own topic must be approved) before submitting.")
            % {"n": wanted}
        )
    again = enrolment.report_status == ReportStatus.RETURNED
    _move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.SUBMITTED)
    enrolment.submitted_at = _now(on)
    _audit(enrolment, enrolment.user)
    enrolment.save(update_fields=["report_status", "submitted_at"])
    notices.report_submitted(enrolment, again=again)
    return enrolment


def _check_comment(comment: str) -> None:
    if message := too_long(COMMENT_MAX_CHARS, len(comment.strip()), _("The comment")):
        raise TrainingError(message)


@transaction.atomic
def return_report(enrolment: Enrolment, *, by: Any, comment: str) -> Enrolment:
    """Send the report back for revision; it counts as not submitted until resubmitted."""
    _check_open(enrolment)
    if not comment.strip():
        raise TrainingError(_("Say what to revise when returning a report."))
    _check_comment(comment)
    _check_package_not_sent(enrolment)
    _move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.RETURNED)
    enrolment.return_comment = comment.strip()
    enrolment.grade, enrolment.mark, enrolment.passed = "", None, None
    # A returned report is no longer submitted: the resubmission's time decides lateness (the
    # principal may grant an extension when returning it late); the trail keeps the old time.
    enrolment.submitted_at = None
    _audit(enrolment, by)
    enrolment.save(
        update_fields=["report_status", "return_comment", "grade", "mark", "passed", "submitted_at"]
    )
    _tell_person(
        enrolment,
        "training.report_returned",
        gettext_noop("Your self-training report was returned for revision"),
        gettext_noop("Comment of your principal: %(comment)s"),
        comment=enrolment.return_comment,
    )
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
    _check_comment(comment)
    stored, mark, passed = grade_on_scale(enrolment.campaign, grade)
    _move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.EVALUATED)
    enrolment.grade, enrolment.mark, enrolment.passed = stored, mark, passed
    enrolment.evaluation_comment = comment.strip()
    enrolment.evaluated_by, enrolment.evaluated_at = by, _now(on)
    _audit(enrolment, by)
    enrolment.save()
    _tell_person(
        enrolment,
        "training.report_evaluated",
        gettext_noop("Your self-training report was evaluated: %(grade)s"),
        gettext_noop("Comment of your principal: %(comment)s") if comment.strip() else "",
        grade=enrolment.grade_label,
        comment=enrolment.evaluation_comment,
    )
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
    _tell_person(
        enrolment,
        "training.extension",
        gettext_noop("Your self-training report is now due on %(date)s"),
        gettext_noop("Your principal extended your deadline. Reason: %(reason)s"),
        date=until.strftime("%d/%m/%Y"),
        reason=enrolment.extension_reason,
    )
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
    if message := too_long(SECTION_MAX_CHARS, len(summary.strip()), _("The school summary")):
        raise TrainingError(message)
    if summary.strip():
        package.summary = summary.strip()
        package.save(update_fields=["summary"])
    return package


@transaction.atomic
def submit_school_package(
    campaign: Campaign,
    school: Unit,
    *,
    by: Any,
    summary: str,
    on: dt.datetime | None = None,
    not_submitted: Collection[int] = (),
) -> SchoolPackage:
    """Send the school's evaluations to its supervisor on the day of sending; the people past
    their deadline who have not submitted go listed as such once confirmed (`not_submitted`,
    their record ids: `sending.check_package_ready`)."""
    campaign.refresh_from_db(fields=["status"])
    if campaign.status != CampaignStatus.PUBLISHED:
        raise TrainingError(_("The campaign is not open."))
    sent_at = _now(on)
    current = Enrolment.objects.filter(campaign=campaign, school=school).current()
    records = current.select_related("user", "campaign").order_by("user__full_name", "pk")
    check = sending.package_check(records, timezone.localdate(sent_at))
    sending.check_package_ready(check, not_submitted)
    package = prepare_school_package(campaign, school, summary=summary)
    supervisor = supervisor_on(school, timezone.localdate(sent_at))
    if supervisor is None:
        raise TrainingError(_("The school had no supervising unit on that date."))
    _move(package, "status", PACKAGE_TRANSITIONS, PackageStatus.SUBMITTED)
    package.submitted_at, package.submitted_by, package.submitted_to = sent_at, by, supervisor
    package.return_comment = ""
    _audit(package, by)
    package.save()
    notices.package_arrived(package)
    return package


@transaction.atomic
def return_school_package(package: SchoolPackage, *, by: Any, comment: str) -> SchoolPackage:
    _lock(package)
    if not comment.strip():
        raise TrainingError(_("Say what to revise when returning a package."))
    _check_comment(comment)
    _move(package, "status", PACKAGE_TRANSITIONS, PackageStatus.RETURNED)
    package.return_comment = comment.strip()
    package.reviewed_by, package.reviewed_at = by, timezone.now()
    _audit(package, by)
    package.save(update_fields=["status", "return_comment", "reviewed_by", "reviewed_at"])
    _tell_principals(package)
    return package


@transaction.atomic
def accept_school_package(package: SchoolPackage, *, by: Any) -> SchoolPackage:
    _lock(package)
    _move(package, "status", PACKAGE_TRANSITIONS, PackageStatus.ACCEPTED)
    package.reviewed_by, package.reviewed_at = by, timezone.now()
    _audit(package, by)
    package.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    notices.package_accepted(package)
    return package


# --- Telling people ------------------------------------------------------------------------------


def _tell_person(enrolment: Enrolment, kind: str, subject: str, body: str, **values: str) -> None:
    """Notify the person of a change to their record, in the site's language (Vietnamese);
    `subject` and `body` are message ids marked with gettext_noop."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [enrolment.user_id],
            kind=kind,
            subject=_(subject) % values,
            body=_(body) % values if body else "",
            url=reverse("training:record_detail", args=[enrolment.pk]),
        )


def _tell_principals(package: SchoolPackage) -> None:
    """The school's current principal(s) and the package's sender learn that it came back, and
    why."""
    principals = Membership.objects.current().filter(unit=package.school_id, role=Role.PRINCIPAL)
    sender = [package.submitted_by_id] if package.submitted_by_id else []
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            {*principals.values_list("user_id", flat=True), *sender},
            kind="training.package_returned",
            subject=_("The school's self-training package was returned: “%(campaign)s”")
            % {"campaign": package.campaign.subject},
            body=_("Comment of the supervising unit: %(comment)s")
            % {"comment": package.return_comment},
            url=reverse("training:school_page", args=[package.campaign_id]),
        )
