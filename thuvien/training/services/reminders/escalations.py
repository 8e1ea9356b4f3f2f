"""Escalations after a deadline (a person overdue, a school without its package) and the offices'
reminders of their aggregate report."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from thuvien.notifications.services import Message
from thuvien.organisations.models import Role, Unit, UnitKind
from thuvien.training.models import UnitReport, UnitReportStatus
from thuvien.training.services.common import _sent_packages
from thuvien.training.services.reminders.day import CampaignDay, members_of, officers_of


def overdue_escalations(day: CampaignDay) -> list[Message]:
    """The day after a person's deadline passes unsubmitted, their principal(s) hear of it."""
    overdue = [
        person
        for person in day.people
        if not person.report_done and day.escalating(person.deadline)
    ]
    if not overdue:
        return []
    principals = members_of({p.school_id for p in overdue}, day.today, [Role.PRINCIPAL])
    url = reverse("training:school_page", args=[day.campaign.pk])
    messages = []
    for person in overdue:
        assert person.deadline is not None
        values = {**day.values(person.deadline), "person": person.name}
        subject = _("%(person)s has not submitted the self-training report") % values
        body = _("Campaign “%(campaign)s”: the deadline was %(date)s.") % values
        key = day.key("overdue", person.enrolment_id, person.deadline)
        for _role, principal in sorted(principals.get(person.school_id, ())):
            messages.append(Message(principal, "training.overdue", subject, body, url, key))
    return messages


def missing_package_escalations(day: CampaignDay) -> list[Message]:
    """The day after the school deadline, the supervisor of each school without a package."""
    deadline = day.campaign.school_deadline
    if deadline is None or not day.escalating(deadline):
        return []
    sent = _sent_packages(day.campaign.pk).values_list("school_id", flat=True)
    missing = day.schools - set(sent)
    names = dict(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    officers = officers_of({day.supervisors[s] for s in missing if s in day.supervisors}, day.today)
    url = reverse("training:campaign_detail", args=[day.campaign.pk])
    messages = []
    for school in sorted(missing):
        values = {**day.values(deadline), "school": names.get(school, "")}
        subject = _("%(school)s has not sent its self-training package") % values
        body = _("Campaign “%(campaign)s”: the school deadline was %(date)s.") % values
        key = day.key("package", school, deadline)
        supervisor = day.supervisors.get(school, (0, ""))[0]
        for officer in sorted(officers.get(supervisor, ())):
            messages.append(Message(officer, "training.package_missing", subject, body, url, key))
    return messages


def office_report_reminders(day: CampaignDay) -> list[Message]:
    """Before the office deadline, each office (but the issuer) whose report has not gone up."""
    deadline = day.campaign.office_deadline
    offset = day.window(deadline)
    if deadline is None or offset is None:
        return []
    offices = {unit for unit, kind in day.supervisors.values() if kind == UnitKind.OFFICE}
    offices.discard(day.campaign.issuer_id)
    done = UnitReport.objects.filter(campaign=day.campaign, unit__in=offices).filter(
        Q(status=UnitReportStatus.SUBMITTED) | Q(status=UnitReportStatus.ACCEPTED)
    )
    offices -= set(done.values_list("unit_id", flat=True))
    officers = officers_of({(office, UnitKind.OFFICE) for office in offices}, day.today)
    values = day.values(deadline)
    subject = _("The aggregate self-training report is due on %(date)s (%(left)s)") % values
    body = (
        _(
            "Campaign “%(campaign)s”, step “aggregate report”: send your office's aggregate "
            "report by %(date)s (%(left)s)."
        )
        % values
    )
    url = reverse("training:campaign_detail", args=[day.campaign.pk])
    key = day.key("office-report", deadline, offset)
    return [
        Message(officer, "training.office_report", subject, body, url, f"{key}:{office}")
        for office in sorted(offices)
        for officer in sorted(officers.get(office, ()))
    ]
