"""This year's campaign on the seeding day: the school deadline just passed, the office's ahead.

Schools are given parts, in a fixed order (by name), so one seed gives one demo:

- the first THPT school directly under the Sở has evaluated everyone and sent its package to the Sở;
- the first office other than the demo logins' has accepted its schools' packages and sent its
  aggregate report (Báo cáo tổng hợp) to the Sở, which has yet to review it;
- the next office has returned one school's package with a comment and accepted the others;
- at the demo logins' school the librarian's report was returned by the principal and the
  teacher-librarian submitted late, waiting for evaluation; another school of that office has sent
  its package, waiting for the office (the demo logins each find something to do);
- every other office has one school whose package was accepted (the first of them sent late);
- everyone else is at one of the stages in `OPEN_STAGES`: not started, topic chosen, a draft (one
  with a personal extension), submitted on time or late, evaluated.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from thuvien.organisations.demo.names import DEMO_USERNAMES
from thuvien.organisations.models import Membership, Role, Unit, UnitKind
from thuvien.training import services
from thuvien.training.demo.campaign import DAY, Timeline
from thuvien.training.demo.records import Player, at, member, pick, records_by_school
from thuvien.training.models import Campaign, Enrolment, SchoolPackage
from thuvien.training.services import reports

NOT_STARTED, TOPIC, DRAFT, EXTENDED, ON_TIME, LATE, EVALUATED, LATE_EVALUATED = range(8)
OPEN_STAGES = (NOT_STARTED, LATE, TOPIC, ON_TIME, EVALUATED, DRAFT, EXTENDED, LATE_EVALUATED)
SENT, ACCEPTED, ACCEPTED_LATE, RETURNED = "sent", "accepted", "accepted late", "returned"
PACKAGE_RETURN = (
    "Hồ sơ của trường thiếu bản tổng hợp kết quả tự bồi dưỡng có chữ ký của Hiệu trưởng; "
    "đề nghị bổ sung và gửi lại."
)


def showcase_school() -> Unit | None:
    """The school of the demo logins (the demo librarian's)."""
    row = (
        Membership.objects.filter(user__username=DEMO_USERNAMES[Role.LIBRARIAN])
        .select_related("unit__parent")
        .first()
    )
    return row.unit if row else None


def _parts(schools: list[Unit], showcase: Unit | None) -> tuple[dict[int, str], Unit | None]:
    """school id → SENT / ACCEPTED / ACCEPTED_LATE / RETURNED (schools left out stay open), and
    the office that reports to the Sở."""
    parts: dict[int, str] = {}
    direct = [s for s in schools if s.parent is not None and s.parent.kind == UnitKind.DEPARTMENT]
    thpt = next((s for s in direct if s.name.startswith("Trường THPT")), None)
    if thpt is not None or direct:
        parts[(thpt or direct[0]).pk] = SENT
    offices: dict[Unit, list[Unit]] = {}
    for school in schools:
        if school.parent is not None and school.parent.kind == UnitKind.OFFICE:
            offices.setdefault(school.parent, []).append(school)
    home = showcase.parent if showcase is not None else None
    others = sorted((o for o in offices if o != home), key=lambda office: office.name)
    reporting = others[0] if others else None
    if home in offices:
        waiting = [s for s in offices[home] if s != showcase]
        if waiting:
            parts[waiting[0].pk] = SENT
    for n, office in enumerate(others):
        if n == 0:
            parts.update({s.pk: ACCEPTED for s in offices[office]})
        elif n == 1:
            parts.update(
                {s.pk: RETURNED if i == 0 else ACCEPTED for i, s in enumerate(offices[office])}
            )
        else:
            parts[offices[office][0].pk] = ACCEPTED_LATE if n == 2 else ACCEPTED
    return parts, reporting


def play_current(
    campaign: Campaign, timeline: Timeline, today: dt.date, rng: random.Random, admin: Any
) -> None:
    player = Player(campaign, timeline, rng, admin)
    by_school = records_by_school(campaign)
    showcase = showcase_school()
    parts, reporting = _parts(list(by_school), showcase if showcase in by_school else None)
    open_records: list[Enrolment] = []
    packages: list[tuple[SchoolPackage, str]] = []
    for school, rows in by_school.items():
        part = parts.get(school.pk)
        if school == showcase:
            _play_showcase(player, rows, timeline, today)
        elif part is None:
            open_records += rows
        else:
            packages.append((_send(player, school, rows, part, timeline, today), part))
    for n, record in enumerate(open_records):
        _play_open(player, record, OPEN_STAGES[n % len(OPEN_STAGES)], timeline, today)
    _review(packages, today, admin)
    if reporting is not None:
        _report(campaign, reporting, pick(rng, timeline.school_deadline + DAY, today - DAY), admin)


def _play_showcase(player: Player, rows: list[Enrolment], tl: Timeline, today: dt.date) -> None:
    """The librarian's report returned by the principal; the others submitted late. Both keep a
    plan, as the demo logins show it."""
    for record in rows:
        player.plan(record)
        if record.role == Role.LIBRARIAN:
            player.start(record, until=tl.sending[0])
            player.submit(record, pick(player.rng, tl.sending[0], tl.school_deadline - 2 * DAY))
            player.give_back(record, tl.school_deadline)
        else:
            player.start(record, until=today)
            player.submit(record, tl.school_deadline + DAY)


def _play_open(player: Player, record: Enrolment, stage: int, tl: Timeline, today: dt.date) -> None:
    rng = player.rng
    if stage == NOT_STARTED:
        return
    player.start(record, until=today)
    if stage in (DRAFT, EXTENDED):
        player.draft(record, pick(rng, tl.writing[0], tl.writing[1]))
    if stage == EXTENDED:
        player.extend(record, tl.office_deadline, tl.school_deadline - 3 * DAY)
    if stage not in (ON_TIME, EVALUATED, LATE, LATE_EVALUATED):
        return
    if stage in (ON_TIME, EVALUATED):
        submitted = player.submit(record, pick(rng, tl.sending[0], tl.school_deadline))
    else:
        submitted = player.submit(record, pick(rng, tl.school_deadline + DAY, today - DAY))
    if stage in (EVALUATED, LATE_EVALUATED):
        player.evaluate(record, pick(rng, submitted + DAY, min(today, submitted + 3 * DAY)))


def _send(
    player: Player,
    school: Unit,
    rows: list[Enrolment],
    part: str,
    tl: Timeline,
    today: dt.date,
) -> SchoolPackage:
    """Everyone evaluated, then the package sent: on time, or (ACCEPTED_LATE) the day before
    today after a late report."""
    rng, start, deadline = player.rng, tl.sending[0], tl.school_deadline
    early = start + (deadline - start) // 3
    days: list[dt.date] = []
    for n, record in enumerate(rows):
        if part == ACCEPTED_LATE and n == 0:
            days.append(player.evaluated(record, deadline + DAY, until=deadline + 2 * DAY))
        else:
            days.append(player.evaluated(record, pick(rng, start, early), until=early + 3 * DAY))
    sent = today - DAY if part == ACCEPTED_LATE else pick(rng, max(days) + DAY, deadline)
    return services.submit_school_package(
        campaign=player.campaign,
        school=school,
        by=player.principal(rows[0], sent),
        summary=(
            f"{school.name} đã triển khai tự bồi dưỡng cho {len(rows)} người; tất cả đã nộp bài "
            "thu hoạch và được Hiệu trưởng đánh giá."
        ),
        on=at(sent, 15),
    )


def _review(packages: list[tuple[SchoolPackage, str]], today: dt.date, admin: Any) -> None:
    """The offices accept or return what they received (the Sở and the demo office have yet to
    look at theirs)."""
    for package, part in packages:
        office = package.submitted_to
        assert office is not None  # a sent package has its route
        if part == SENT:
            continue
        officer = member(office, Role.OFFICE_OFFICER, today) or admin
        if part == RETURNED:
            services.return_school_package(package, by=officer, comment=PACKAGE_RETURN)
        else:
            services.accept_school_package(package, by=officer)


def _report(campaign: Campaign, office: Unit, day: dt.date, admin: Any) -> None:
    """The office's aggregate report (Báo cáo tổng hợp), sent to the Sở on `day`."""
    officer = member(office, Role.OFFICE_OFFICER, day) or admin
    report = reports.prepare_unit_report(
        campaign,
        office,
        by=officer,
        number=15,
        symbol="BC-VHXH",
        results=(
            "Các trường đã triển khai đúng hướng dẫn của Sở; 100% nhân viên, giáo viên kiêm "
            "nhiệm thư viện nộp bài thu hoạch đúng hạn và đạt yêu cầu."
        ),
        limitations="Một số bài thu hoạch còn nặng lý thuyết, ít liên hệ thực tế.",
        proposals="Đề nghị Sở tổ chức tập huấn nghiệp vụ thư viện cho nhân viên mới.",
    )
    reports.submit_unit_report(report, by=officer, on=at(day, 10))
