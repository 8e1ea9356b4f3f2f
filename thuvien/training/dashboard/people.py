"""At a school: one row per person."""

from __future__ import annotations

import datetime as dt

from thuvien.access import Scope
from thuvien.training.dashboard.rows import (
    DONE,
    OWN_TOPIC,
    Figures,
    Pending,
    PendingList,
    Progress,
    Row,
    _submission,
    bucket_of,
)
from thuvien.training.models import (
    Enrolment,
    PackageStatus,
    ReportStatus,
    SchoolPackage,
    Topic,
)

# --- At a school: its people -------------------------------------------------------------------


def _people(report: Progress, scope: Scope) -> None:
    campaign, school = report.campaign, report.unit
    records = (
        Enrolment.objects.visible_to(scope)
        .current()
        .filter(campaign=campaign, school=school)
        .select_related("user", "topic")
        .order_by("user__full_name", "pk")
    )
    if campaign.topics_per_person > 1:  # never any extra topics otherwise
        records = records.prefetch_related("extra_topics")
    labels = {bucket.code: bucket.label for bucket in report.buckets}
    for record in records:
        record.campaign = campaign  # the deadline reads it: no query per person
        report.rows.append(_person_row(record, report.day, labels))
    package = SchoolPackage.objects.visible_to(scope).filter(campaign=campaign, school=school)
    sent = package.values("status", "submitted_at", "submitted_to__name").first()
    report.own = _submission(dict(sent) if sent else None, campaign.school_deadline)
    if report.rows and report.own.status not in DONE:
        report.pending = PendingList(
            [
                Pending(
                    school.kind,
                    school.pk,
                    school.name,
                    report.own.label,
                    returned=report.own.status == PackageStatus.RETURNED,
                )
            ]
        )


def _person_row(record: Enrolment, day: dt.date, labels: dict[str, str]) -> Row:
    submitted = record.report_status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED)
    late = submitted and record.is_late
    deadline = record.deadline
    evaluated = record.report_status == ReportStatus.EVALUATED
    figures = Figures(
        expected=1,
        submitted=int(submitted),
        on_time=int(submitted and not late),
        late=int(late),
        missing=int(not submitted and deadline is not None and day > deadline),
        evaluated=int(evaluated),
        passed=int(record.passed is True),
    )
    grade = ""
    if evaluated:
        code = bucket_of(record.grade, record.mark)
        figures.grades[code] = 1
        grade = str(record.mark) if record.mark is not None else labels.get(code, record.grade)
    titles = []
    for topic in _chosen(record):
        figures.topics[topic.pk] = 1
        titles.append(topic.title)
    if record.own_topic:
        figures.topics[OWN_TOPIC] = 1
        titles.append(record.own_topic)
    return Row(
        kind="person",
        id=record.pk,
        name=record.user.display_name,
        figures=figures,
        status=record.report_status,
        status_label=str(record.get_report_status_display()),
        deadline=deadline,
        grade=grade,
        topic="; ".join(titles),
    )


def _chosen(record: Enrolment) -> list[Topic]:
    """The person's topics from the list (extra ones only where each person chooses several,
    prefetched above: no query per person)."""
    if record.campaign.topics_per_person > 1:
        return record.chosen_topics()
    return [record.topic] if record.topic else []
