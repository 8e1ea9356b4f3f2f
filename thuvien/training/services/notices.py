"""Who is told at each hand-over of self-training work, and how.

| when                                 | kind (training.…)    | to whom                          |
|--------------------------------------|----------------------|----------------------------------|
| a report is submitted or resubmitted | report_submitted     | the school's current principals  |
| a school package arrives             | package_arrived      | the receiving unit's officers    |
| a school package is accepted         | package_accepted     | its sender, the school's princ.  |
| an office's report arrives           | unit_report_arrived  | the receiving unit's officers    |
| an office's report is returned       | unit_report_returned | its sender, the unit's officers  |
| an office's report is accepted       | unit_report_accepted | its sender, the unit's officers  |

(The person hears of their own record's return, evaluation and extension, and the principals of
a returned package, from `reviews`.) "Officers" are those of `SUPERVISOR_ROLES`: the office
officers of an office; the department's officers and administrators for the department.

Each notice is written in the caller's transaction, after the state change, in the site's
language, with a key naming the hand-over and its time ("package-arrived:<id>:<sent at>"): a
retry of the same hand-over sends nothing twice, a resubmission (a new time) is told again.
Deactivated accounts are dropped by `notifications.services.deliver`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thuvien.notifications.services import notify
from thuvien.organisations.models import Membership, Role, Unit
from thuvien.training.models import Enrolment, SchoolPackage, UnitReport
from thuvien.training.services.reminders.day import SUPERVISOR_ROLES


def _stamp(at: dt.datetime | None) -> str:
    return (at or timezone.now()).isoformat()


def _day(at: dt.datetime | None) -> str:
    return timezone.localdate(at or timezone.now()).strftime("%d/%m/%Y")


def officers(unit: Unit) -> list[int]:
    """The user ids of the unit's officers today (empty for a school)."""
    roles = SUPERVISOR_ROLES.get(unit.kind, ())
    if not roles:
        return []
    rows = Membership.objects.current().filter(unit=unit, role__in=roles)
    return sorted(set(rows.values_list("user_id", flat=True)))


def principals(school_id: int) -> list[int]:
    rows = Membership.objects.current().filter(unit=school_id, role=Role.PRINCIPAL)
    return sorted(set(rows.values_list("user_id", flat=True)))


def _with(people: Iterable[int], sender_id: int | None) -> list[int]:
    return sorted({*people, *([sender_id] if sender_id else [])})


def report_submitted(enrolment: Enrolment, *, again: bool) -> None:
    """The school's principal(s) learn that a report waits for their evaluation (a principal
    enrolled in the campaign is not told of their own)."""
    values = {
        "person": enrolment.user.display_name,
        "campaign": enrolment.campaign.subject,
        "date": _day(enrolment.submitted_at),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("%(person)s resubmitted the self-training report")
            if again
            else _("%(person)s submitted the self-training report")
        ) % values
        body = (
            _("Campaign “%(campaign)s”: submitted on %(date)s. Open the record to evaluate it.")
            % values
        )
    notify(
        [user for user in principals(enrolment.school_id) if user != enrolment.user_id],
        kind="training.report_submitted",
        subject=subject,
        body=body,
        url=reverse("training:school_record", args=[enrolment.pk]),
        key=f"report-submitted:{enrolment.pk}:{_stamp(enrolment.submitted_at)}",
    )


def package_arrived(package: SchoolPackage) -> None:
    """The receiving office (or the department) learns that a school's package waits for review."""
    receiver = package.submitted_to
    if receiver is None:
        return
    values = {
        "school": package.school.name,
        "campaign": package.campaign.subject,
        "date": _day(package.submitted_at),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(school)s sent its self-training package") % values
        body = (
            _("Campaign “%(campaign)s”: sent on %(date)s. Review it, then accept or return it.")
            % values
        )
    notify(
        officers(receiver),
        kind="training.package_arrived",
        subject=subject,
        body=body,
        url=reverse("training:package_detail", args=[package.pk]),
        key=f"package-arrived:{package.pk}:{_stamp(package.submitted_at)}",
    )


def package_accepted(package: SchoolPackage) -> None:
    """The sender (and the school's principals) learn that the package was accepted."""
    values = {"campaign": package.campaign.subject, "unit": _unit_name(package.submitted_to)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The school's self-training package was accepted: “%(campaign)s”") % values
        body = _("%(unit)s accepted the package; nothing more is needed from the school.") % values
    notify(
        _with(principals(package.school_id), package.submitted_by_id),
        kind="training.package_accepted",
        subject=subject,
        body=body,
        url=reverse("training:school_page", args=[package.campaign_id]),
        key=f"package-accepted:{package.pk}:{_stamp(package.reviewed_at)}",
    )


def unit_report_arrived(report: UnitReport) -> None:
    """The receiving unit (the department) learns that an office's report waits for review."""
    receiver = report.submitted_to
    if receiver is None:
        return
    values = {
        "unit": report.unit.name,
        "campaign": report.campaign.subject,
        "date": _day(report.submitted_at),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(unit)s sent its aggregate self-training report") % values
        body = (
            _("Campaign “%(campaign)s”: sent on %(date)s. Review it, then accept or return it.")
            % values
        )
    notify(
        officers(receiver),
        kind="training.unit_report_arrived",
        subject=subject,
        body=body,
        url=reverse("training:report_detail", args=[report.pk]),
        key=f"unit-report-arrived:{report.pk}:{_stamp(report.submitted_at)}",
    )


def unit_report_reviewed(report: UnitReport, *, accepted: bool) -> None:
    """The sender and the unit's officers learn that their report was returned or accepted."""
    values = {
        "campaign": report.campaign.subject,
        "unit": _unit_name(report.submitted_to),
        "comment": report.return_comment,
    }
    with translation.override(settings.LANGUAGE_CODE):
        if accepted:
            subject = _("Your aggregate self-training report was accepted: “%(campaign)s”")
            body = _("%(unit)s accepted the report.")
        else:
            subject = _("Your aggregate self-training report was returned: “%(campaign)s”")
            body = _("Comment of %(unit)s: %(comment)s")
        subject, body = subject % values, body % values
    kind = "accepted" if accepted else "returned"
    page = "report_detail" if accepted else "unit_report"
    notify(
        _with(officers(report.unit), report.submitted_by_id),
        kind=f"training.unit_report_{kind}",
        subject=subject,
        body=body,
        url=reverse(f"training:{page}", args=[report.pk if accepted else report.campaign_id]),
        key=f"unit-report-{kind}:{report.pk}:{_stamp(report.reviewed_at)}",
    )


def _unit_name(unit: Unit | None) -> str:
    return unit.name if unit is not None else _("The supervising unit")
