"""A running Sở campaign in the named world with one next step waiting for each role, dated from
today (the to-do list is read on the day): shared by the to-do tests and the browser journey.

- the librarian of school A1 is in the middle of the first milestone (it ends in 5 days);
- the teacher-librarian of A1 submitted his report: it waits for the principal of A1;
- school A2 (nobody enrolled) sent its package to office A: it waits for office A;
- office B received school B's package and sent its report: it waits for the Sở;
- the partner's trainer has a session of their event today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from thuvien.events.models import Event, EventSession, EventStatus
from thuvien.organisations.models import Role
from thuvien.training import services
from thuvien.training.models import Campaign, Enrolment, SchoolPackage, UnitReport

SUBJECT = "Tự bồi dưỡng nghiệp vụ thư viện trường học năm học 2026–2027"
FIRST_STEP = "Nghiên cứu nội dung phần chung"
SECOND_STEP = "Viết bài thu hoạch"


@dataclass
class TodoWorld:
    campaign: Campaign
    first_end: dt.date
    record: Enrolment  # the librarian's
    submitted: Enrolment  # the teacher-librarian's, waiting for evaluation
    package: SchoolPackage  # school A2's, waiting for office A
    report: UnitReport  # office B's, waiting for the Sở
    session: EventSession  # the trainer's, today


def build(world: Any) -> TodoWorld:
    today = timezone.localdate()
    days = dt.timedelta
    campaign = services.create_campaign(
        world.department,
        by=world.dept_admin,
        subject=SUBJECT,
        school_year=today.year,
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        school_deadline=today + days(30),
        office_deadline=today + days(45),
    )
    first_end = today + days(5)
    services.add_milestone(campaign, name=FIRST_STEP, start=today - days(10), end=first_end)
    services.add_milestone(campaign, name=SECOND_STEP, start=today + days(6), end=today + days(30))
    services.publish_campaign(campaign, by=world.dept_admin, on=today)
    campaign.refresh_from_db()
    records = Enrolment.objects.filter(campaign=campaign).select_related("campaign")
    record = records.get(user=world.librarian)
    submitted = services.submit_report(records.get(user=world.teacher_librarian))
    package = services.submit_school_package(
        campaign, world.school_a2, by=world.principal_a2, summary="Trường chưa có thủ thư."
    )
    outsider = services.submit_report(records.get(user=world.outsider))
    services.evaluate(outsider, by=world.office_b_officer, grade="good")
    services.submit_school_package(
        campaign, world.outsider_school, by=world.outsider, summary="Hoàn thành."
    )
    report = services.reports.prepare_unit_report(
        campaign, world.office_b, by=world.office_b_officer, results="Một trường đã gửi."
    )
    report = services.reports.submit_unit_report(report, by=world.office_b_officer)
    event = Event.objects.get(organiser=world.partner)
    Event.objects.filter(pk=event.pk).update(
        starts_on=today, ends_on=today + days(1), status=EventStatus.OPEN
    )
    now = timezone.localtime()
    start = now.replace(hour=8, minute=0, second=0, microsecond=0)
    session = EventSession.objects.create(
        event=event, title="Phiên sáng nay", starts_at=start, ends_at=start + days(hours=3)
    )
    return TodoWorld(campaign, first_end, record, submitted, package, report, session)
