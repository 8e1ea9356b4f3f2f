"""What training puts on the home page's to-do list (see `core.home`), per role:

- the person keeping records (librarian, teacher-librarian): each open record, with the next
  milestone of its campaign and its date, or the deadline;
- the principal: the reports waiting for evaluation, the staff who have not started or are late,
  and the state of the school package, per running campaign;
- the supervisors (an office, the Sở): the packages and the reports sent to them to review; an
  office, the schools that have not sent and its report due to the Sở; the Sở, each running
  campaign's progress.

Every row is read through the models' policies. A fixed number of queries whatever the scope:
counts are one aggregate grouped by campaign, lists are cut at `LIMIT` lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.access import Action, Scope, scope_for
from thuvien.core.home import Area, Section, Todo, TodoGroup
from thuvien.organisations.models import UnitKind
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    Enrolment,
    Milestone,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)

LIMIT = 10  # lines of one list; the page the last line opens shows the rest
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
PACKAGE_SENT = (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)
REPORT_SENT = (UnitReportStatus.SUBMITTED, UnitReportStatus.ACCEPTED, UnitReportStatus.FINAL)


def todo(request: HttpRequest) -> list[Section]:
    scope = scope_for(request)
    unit = scope.unit
    if unit is None or scope.user_id is None:
        return []
    today = timezone.localdate()
    groups: list[TodoGroup] = []
    if scope.can(Action.TAKE_TRAINING):
        groups.append(_own_records(scope, today))
    if scope.can(Action.EVALUATE_TRAINING) and unit.kind == UnitKind.SCHOOL:
        groups.extend(_school(scope, today))
    if scope.can(Action.REVIEW_PACKAGES) and unit.is_supervising:
        groups.extend(_supervisor(scope, today))
    shown = [group for group in groups if group.lines]
    if not shown:
        return []
    return [Section("training/home/todo.html", {"groups": shown}, area=Area.TODO)]


# --- The person's own records ---------------------------------------------------------------


def _own_records(scope: Scope, today: dt.date) -> TodoGroup:
    """Two queries: the open records, then the milestones not yet over of their campaigns."""
    records = list(
        Enrolment.objects.allowed_to(scope, Action.TAKE_TRAINING)
        .filter(
            user_id=scope.user_id or 0,  # (a person: `todo` returns early without one)
            left_on__isnull=True,
            campaign__status=CampaignStatus.PUBLISHED,
        )
        .exclude(report_status=ReportStatus.EVALUATED)
        .select_related("campaign")
        .order_by("campaign__school_deadline", "pk")[:LIMIT]
    )
    upcoming: dict[int, Milestone] = {}
    if records:
        milestones = (
            Milestone.objects.visible_to(scope)
            .filter(campaign_id__in={record.campaign_id for record in records}, end__gte=today)
            .order_by("campaign_id", "start", "order", "pk")
        )
        for milestone in milestones:
            upcoming.setdefault(milestone.campaign_id, milestone)
    lines = [_record_line(record, upcoming.get(record.campaign_id), today) for record in records]
    return TodoGroup(_("My self-training records"), lines)


def _record_line(record: Enrolment, milestone: Milestone | None, today: dt.date) -> Todo:
    url = reverse("training:record_detail", args=[record.pk])
    state = record.get_report_status_display()
    if record.report_status == ReportStatus.RETURNED:
        detail = _("Returned for revision: revise the report and submit it again")
        return Todo(str(record.campaign), url, detail, record.deadline)
    if record.report_status == ReportStatus.SUBMITTED:
        detail = _("Submitted: waiting for the principal's evaluation")
        return Todo(str(record.campaign), url, detail)
    if record.is_overdue(today):
        detail = _("%(state)s: the report is overdue, submit it now") % {"state": state}
        return Todo(str(record.campaign), url, detail, record.deadline)
    if milestone is not None:
        if milestone.start <= today:
            detail = _("%(state)s · now: %(step)s") % {"state": state, "step": milestone.name}
            return Todo(str(record.campaign), url, detail, milestone.end)
        detail = _("%(state)s · next: %(step)s, from %(day)s") % {
            "state": state,
            "step": milestone.name,
            "day": milestone.start.strftime("%d/%m/%Y"),
        }
        return Todo(str(record.campaign), url, detail, milestone.end)
    detail = _("%(state)s: submit the report") % {"state": state}
    return Todo(str(record.campaign), url, detail, record.deadline)


# --- The principal ---------------------------------------------------------------------------


def _school(scope: Scope, today: dt.date) -> list[TodoGroup]:
    """Four queries: the reports to evaluate, the counts per campaign, the campaigns, the
    packages."""
    unit = scope.unit
    assert unit is not None
    records = Enrolment.objects.allowed_to(scope, Action.EVALUATE_TRAINING).filter(
        school=unit, left_on__isnull=True, campaign__status=CampaignStatus.PUBLISHED
    )
    waiting = list(
        records.filter(report_status=ReportStatus.SUBMITTED)
        .select_related("user", "campaign")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    late = ~Q(report_status__in=HANDED_IN) & (
        Q(extended_until__lt=today)
        | Q(extended_until__isnull=True, campaign__school_deadline__lt=today)
    )
    counts = {
        row["campaign_id"]: {"not_started": int(row["not_started"]), "late": int(row["late"])}
        for row in records.order_by()
        .values("campaign_id")
        .annotate(
            # Each person once: late (past their deadline, not handed in) or not started.
            not_started=Count("pk", filter=Q(report_status=ReportStatus.NOT_STARTED) & ~late),
            late=Count("pk", filter=late),
        )
    }
    campaigns = list(
        Campaign.objects.visible_to(scope)
        .filter(pk__in=list(counts), status=CampaignStatus.PUBLISHED)
        .order_by("school_deadline", "pk")
    )
    packages = {
        package.campaign_id: package
        for package in SchoolPackage.objects.visible_to(scope).filter(
            school=unit, campaign_id__in=list(counts)
        )
    }
    evaluate = [
        Todo(
            _("%(person)s — %(campaign)s") % {"person": record.user, "campaign": record.campaign},
            reverse("training:school_record", args=[record.pk]),
            _("Submitted on %(day)s: evaluate or return it") % {"day": _day(record.submitted_at)},
        )
        for record in waiting
    ]
    behind = []
    for campaign in campaigns:
        row = counts[campaign.pk]
        if row["not_started"] or row["late"]:
            detail = _("%(not_started)d not started, %(late)d late") % row
            url = reverse("training:school_page", args=[campaign.pk])
            behind.append(Todo(str(campaign), url, detail, campaign.school_deadline))
    package_lines = [_package_line(campaign, packages.get(campaign.pk)) for campaign in campaigns]
    return [
        TodoGroup(_("Reports waiting for your evaluation"), evaluate),
        TodoGroup(_("Staff who have not started or are late"), behind),
        TodoGroup(_("The school package"), package_lines),
    ]


def _package_line(campaign: Campaign, package: SchoolPackage | None) -> Todo:
    url = reverse("training:school_page", args=[campaign.pk])
    if package is None or package.status == PackageStatus.DRAFT:
        detail = _("Not sent yet: evaluate every report, then send the package")
    elif package.status == PackageStatus.RETURNED:
        detail = _("Returned by %(unit)s: correct it and send it again") % {
            "unit": package.submitted_to
        }
    elif package.status == PackageStatus.SUBMITTED:
        detail = _("Sent on %(day)s, waiting for review") % {"day": _day(package.submitted_at)}
        return Todo(str(campaign), url, detail)
    else:
        return Todo(str(campaign), url, _("Accepted"))
    return Todo(str(campaign), url, detail, campaign.school_deadline)


# --- The supervisors: an office, the Sở ------------------------------------------------------


def _supervisor(scope: Scope, today: dt.date) -> list[TodoGroup]:
    """Five queries (four for the Sở): the packages and the reports to review, the running
    campaigns, the counts per campaign, an office's own reports."""
    unit = scope.unit
    assert unit is not None
    packages = (
        SchoolPackage.objects.allowed_to(scope, Action.REVIEW_PACKAGES)
        .filter(status=PackageStatus.SUBMITTED, submitted_to=unit)
        .select_related("school", "campaign")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    reports = (
        UnitReport.objects.allowed_to(scope, Action.REVIEW_PACKAGES)
        .filter(status=UnitReportStatus.SUBMITTED, submitted_to=unit)
        .select_related("unit", "campaign")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    to_review = [
        Todo(
            _("%(school)s — %(campaign)s")
            % {"school": package.school, "campaign": package.campaign},
            reverse("training:package_detail", args=[package.pk]),
            _("Package sent on %(day)s: accept it or return it")
            % {"day": _day(package.submitted_at)},
        )
        for package in packages
    ]
    to_accept = [
        Todo(
            _("%(unit)s — %(campaign)s") % {"unit": report.unit, "campaign": report.campaign},
            reverse("training:report_detail", args=[report.pk]),
            _("Report sent on %(day)s: accept it or return it")
            % {"day": _day(report.submitted_at)},
        )
        for report in reports
    ]
    campaigns = list(
        Campaign.objects.visible_to(scope)
        .filter(status=CampaignStatus.PUBLISHED)
        .select_related("target")
        .order_by("office_deadline", "school_deadline", "pk")[:LIMIT]
    )
    ids = [campaign.pk for campaign in campaigns]
    counts = _campaign_counts(scope, ids)
    if unit.kind == UnitKind.DEPARTMENT:
        progress = [_progress_line(campaign, counts.get(campaign.pk)) for campaign in campaigns]
        return [
            TodoGroup(_("Reports to accept"), to_accept),
            TodoGroup(_("Packages to review"), to_review),
            TodoGroup(_("Running campaigns"), progress),
        ]
    own = {
        report.campaign_id: report
        for report in UnitReport.objects.visible_to(scope).filter(unit=unit, campaign_id__in=ids)
    }
    not_sent = []
    due = []
    for campaign in campaigns:
        row = counts.get(campaign.pk)
        missing = row["schools"] - row["sent"] if row else 0
        if missing > 0:
            not_sent.append(
                Todo(
                    str(campaign),
                    reverse("training:office_page", args=[campaign.pk]),
                    _("%(n)d of %(total)d schools have not sent their package")
                    % {"n": missing, "total": row["schools"] if row else 0},
                    campaign.school_deadline,
                )
            )
        report = own.get(campaign.pk)
        if campaign.issuer_id != unit.pk and (report is None or report.status not in REPORT_SENT):
            state = report.get_status_display() if report else _("Not sent")
            due.append(
                Todo(
                    str(campaign),
                    reverse("training:unit_report", args=[campaign.pk]),
                    _("Report to the department: %(state)s") % {"state": state},
                    campaign.office_deadline,
                )
            )
    return [
        TodoGroup(_("Reports to accept"), to_accept),
        TodoGroup(_("Packages to review"), to_review),
        TodoGroup(_("Schools that have not sent their package"), not_sent),
        TodoGroup(_("Report due to the department"), due),
    ]


def _campaign_counts(scope: Scope, ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per campaign (one aggregate): the people and the schools enrolled in the scope, the
    reports handed in and evaluated, and the schools whose package was sent."""
    sent = SchoolPackage.objects.visible_to(scope).filter(
        campaign=OuterRef("campaign"), school=OuterRef("school"), status__in=PACKAGE_SENT
    )
    rows = (
        Enrolment.objects.visible_to(scope)
        .filter(campaign_id__in=list(ids), left_on__isnull=True)
        .annotate(package_sent=Exists(sent))
        .order_by()
        .values("campaign_id")
        .annotate(
            people=Count("pk"),
            schools=Count("school", distinct=True),
            sent=Count("school", distinct=True, filter=Q(package_sent=True)),
            handed=Count("pk", filter=Q(report_status__in=HANDED_IN)),
            evaluated=Count("pk", filter=Q(report_status=ReportStatus.EVALUATED)),
        )
    )
    return {
        row["campaign_id"]: {
            "people": row["people"],
            "schools": row["schools"],
            "sent": row["sent"],
            "handed": row["handed"],
            "evaluated": row["evaluated"],
        }
        for row in rows
    }


def _progress_line(campaign: Campaign, row: dict[str, int] | None) -> Todo:
    row = row or {"people": 0, "handed": 0, "evaluated": 0, "schools": 0, "sent": 0}
    share = round(100 * row["handed"] / row["people"]) if row["people"] else 0
    detail = _(
        "%(handed)d of %(people)d reports handed in (%(share)d %%), %(evaluated)d evaluated; "
        "%(sent)d of %(schools)d schools sent"
    ) % {**row, "share": share}
    url = reverse("training:progress", args=[campaign.pk])
    return Todo(str(campaign), url, detail, campaign.office_deadline)


def _day(at: dt.datetime | None) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y") if at else ""
