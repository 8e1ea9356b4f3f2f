"""What stands between a unit and sending up the tree, and the confirmation that lets it send.

One rule for the school's package and the office's report: nobody who has not submitted blocks a
school forever. A person whose report waits for evaluation blocks the package (the principal
evaluates it first), and so does one who still has time (before their deadline); once their
deadline has passed, the package goes with them listed as not submitted, after the principal has
confirmed it, naming them. The office sends its report with the schools that have not sent their
package named in the same way, once it has confirmed them.

The pages show the same check before the button (`package_check`, `unsent_schools`), and the
confirmation carries the ids the sender saw; the services refuse when someone missing is not among
them (the list changed since the page was shown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thuvien.organisations.models import Unit
from thuvien.training.figures import Figures, unit_figures
from thuvien.training.models import Campaign, Enrolment, ReportStatus, UnitReportStatus
from thuvien.training.services.common import TrainingError


class Unconfirmed(TrainingError):
    """Someone missing is not among those the sender confirmed (the box was not ticked, or the
    list changed since the page was shown)."""


@dataclass(frozen=True)
class PackageCheck:
    """A school's current people on a day, by what they still need before the package goes."""

    to_evaluate: list[Enrolment] = field(default_factory=list)  # submitted, not evaluated
    not_due: list[Enrolment] = field(default_factory=list)  # not submitted, deadline not passed
    not_submitted: list[Enrolment] = field(default_factory=list)  # past their deadline

    @property
    def blocked(self) -> bool:
        return bool(self.to_evaluate or self.not_due)


def package_check(records: Iterable[Enrolment], day: dt.date) -> PackageCheck:
    """`records`: the school's current records in the campaign (people who left are not waited
    for; neither is a deactivated account)."""
    check = PackageCheck()
    for record in records:
        if record.left_on is not None or not record.user.is_active:
            continue
        if record.report_status == ReportStatus.EVALUATED:
            continue
        if record.report_status == ReportStatus.SUBMITTED:
            check.to_evaluate.append(record)
        elif record.deadline is not None and day <= record.deadline:
            check.not_due.append(record)
        else:
            check.not_submitted.append(record)
    return check


def _names(records: Iterable[Enrolment]) -> str:
    return ", ".join(record.user.display_name for record in records)


def check_package_ready(check: PackageCheck, confirmed: Collection[int]) -> None:
    """Refuse, saying what to do, unless the package may go: nobody to evaluate, nobody who still
    has time, and everyone past their deadline among the `confirmed` record ids."""
    if check.to_evaluate:
        count = len(check.to_evaluate)
        raise TrainingError(
            ngettext(
                "%(count)d person's report is not evaluated yet: %(names)s. Evaluate it first.",
                "%(count)d people's reports are not evaluated yet: %(names)s. Evaluate them first.",
                count,
            )
            % {"count": count, "names": _names(check.to_evaluate)}
        )
    if check.not_due:
        count = len(check.not_due)
        waiting = ", ".join(
            f"{record.user.display_name} ({record.deadline:%d/%m/%Y})" for record in check.not_due
        )
        raise TrainingError(
            ngettext(
                "%(count)d person has not submitted yet and still has time: %(names)s. The "
                "package can go without them once their deadline has passed.",
                "%(count)d people have not submitted yet and still have time: %(names)s. The "
                "package can go without them once their deadline has passed.",
                count,
            )
            % {"count": count, "names": waiting}
        )
    chosen = set(confirmed)
    unconfirmed = [record for record in check.not_submitted if record.pk not in chosen]
    if unconfirmed:
        raise Unconfirmed(
            _("Confirm that the package goes with these people listed as not submitted: %(names)s.")
            % {"names": _names(check.not_submitted)}
        )


def _unconfirmed(missing: list[Unit], confirmed: Collection[int] | None) -> bool:
    """None confirmed: a script that sends as things stand, as the demo does."""
    if confirmed is None:
        return False
    chosen = set(confirmed)
    return any(unit.pk not in chosen for unit in missing)


def check_schools_confirmed(unsent: list[Unit], confirmed: Collection[int] | None) -> None:
    """Refuse unless every school that has not sent its package is among the `confirmed` ids
    (None: a script that sends as things stand, as the demo does)."""
    if _unconfirmed(unsent, confirmed):
        raise Unconfirmed(
            _(
                "Confirm that the report goes without the packages of these schools, which have "
                "not sent theirs: %(names)s."
            )
            % {"names": ", ".join(school.name for school in unsent)}
        )


def check_final_confirmed(missing: list[Unit], confirmed: Collection[int] | None) -> None:
    """Refuse unless every unit whose report or package has not reached the issuer
    (`not_sent_to_issuer`) is among the `confirmed` ids (None: as things stand)."""
    if _unconfirmed(missing, confirmed):
        raise Unconfirmed(
            _(
                "Confirm that the report is finalised without these units, which have not sent "
                "theirs: %(names)s."
            )
            % {"names": ", ".join(unit.name for unit in missing)}
        )


def unsent_schools(figures: Figures) -> list[Unit]:
    """The schools of an office's figures that have not sent their package (as its page and its
    report's appendix list them)."""
    return [row.school for row in figures.not_sent]


def schools_not_sent(campaign: Campaign, unit: Unit, day: dt.date) -> list[Unit]:
    return unsent_schools(unit_figures(campaign, unit, province=False, today=day))


# An office's report has reached the issuer while it is with it (submitted) or accepted; a draft
# or a returned report is still at the office.
REACHED = (UnitReportStatus.SUBMITTED, UnitReportStatus.ACCEPTED)


def not_sent_to_issuer(figures: Figures) -> list[Unit]:
    """What the issuer's own report goes without: for the province, the offices whose report has
    not reached the Sở (none written, a draft, or returned), then the schools directly under it
    that have not sent their package; for an office's own campaign, its schools without one."""
    if not figures.province:
        return unsent_schools(figures)
    own = figures.unit.pk
    offices = [
        row.office
        for row in figures.offices
        if row.office.pk != own and (row.report is None or row.report.status not in REACHED)
    ]
    direct = [row.school for row in figures.not_sent if row.via is None or row.via.pk == own]
    return offices + direct


def final_not_sent(campaign: Campaign, unit: Unit, day: dt.date) -> list[Unit]:
    """`not_sent_to_issuer` of the issuer's figures on `day`, as the service checks them."""
    return not_sent_to_issuer(unit_figures(campaign, unit, today=day))
