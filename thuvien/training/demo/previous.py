"""Last school year's campaign, played to the end on the letter's calendar, then closed.

Everyone submitted (a few a day or two late) and was evaluated; every school sent its package to
its supervisor of the day, which accepted it; every office that received packages sent its
aggregate report before 20 April and the Sở accepted it; the Sở finalised the province's report
and closed the campaign. Its dashboard has nothing pending.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from thuvien.organisations.models import Role, Unit, UnitKind
from thuvien.training import services
from thuvien.training.demo.campaign import DAY, Timeline
from thuvien.training.demo.records import Player, at, member, pick, records_by_school
from thuvien.training.models import Campaign, SchoolPackage
from thuvien.training.services import reports

LATE_EVERY = 7  # one report in seven came in after the deadline


def play_previous(campaign: Campaign, timeline: Timeline, rng: random.Random, admin: Any) -> None:
    player = Player(campaign, timeline, rng, admin)
    by_school = records_by_school(campaign)
    start, deadline = timeline.sending[0], timeline.school_deadline
    packages: list[SchoolPackage] = []
    n = 0
    for school, rows in by_school.items():
        days: list[dt.date] = []
        for record in rows:
            if n % LATE_EVERY == 3:
                submitted = pick(rng, deadline + DAY, deadline + 2 * DAY)
            else:
                submitted = pick(rng, start, deadline - 2 * DAY)
            days.append(player.evaluated(record, submitted, until=submitted + 2 * DAY))
            n += 1
        sent = pick(rng, max(days) + DAY, max(max(days) + DAY, deadline))
        packages.append(
            services.submit_school_package(
                campaign,
                school,
                by=player.principal(rows[0], sent),
                summary=f"{school.name} gửi kết quả đánh giá bài thu hoạch của {len(rows)} người.",
                on=at(sent, 15),
            )
        )
    if packages:
        _accept_and_report(campaign, packages, timeline, rng, admin)


def _accept_and_report(
    campaign: Campaign,
    packages: list[SchoolPackage],
    timeline: Timeline,
    rng: random.Random,
    admin: Any,
) -> None:
    """Each supervisor accepts its packages; each office reports to the Sở, which accepts; the
    Sở's own report is finalised."""
    last_sent = max(package.submitted_at.date() for package in packages if package.submitted_at)
    department = campaign.issuer
    offices: dict[Unit, Any] = {}
    for package in packages:
        unit = package.submitted_to
        assert unit is not None  # a sent package has its route
        officer = member(unit, Role.OFFICE_OFFICER, last_sent) or admin
        services.accept_school_package(package, by=officer)
        if unit.kind == UnitKind.OFFICE:
            offices[unit] = officer
    for number, (office, officer) in enumerate(sorted(offices.items(), key=_name), start=11):
        report = reports.prepare_unit_report(
            campaign,
            office,
            by=officer,
            number=number,
            symbol="BC-VHXH",
            results="Các trường thực hiện đầy đủ kế hoạch tự bồi dưỡng; bài thu hoạch đạt yêu cầu.",
            limitations="Một vài bài thu hoạch nộp chậm so với thời hạn.",
            proposals="Đề nghị Sở tiếp tục bổ sung tài liệu bồi dưỡng nghiệp vụ thư viện.",
        )
        day = pick(rng, last_sent + DAY, timeline.office_deadline)
        reports.submit_unit_report(report, by=officer, on=at(day, 10))
        reports.accept_unit_report(report, by=admin)
    final = reports.prepare_unit_report(
        campaign,
        department,
        by=admin,
        number=86,
        symbol="BC-SGDĐT",
        results=(
            "Toàn tỉnh đã hoàn thành kế hoạch tự bồi dưỡng; các Phòng Văn hóa – Xã hội và các "
            "trường trực thuộc Sở gửi báo cáo đầy đủ."
        ),
        limitations="Một số nhân viên mới chưa qua đào tạo nghiệp vụ thư viện.",
        proposals="Năm học tới triển khai sớm hơn và bổ sung chủ đề thư viện số.",
    )
    reports.finalise_province_report(final, by=admin, on=at(timeline.office_deadline + 7 * DAY))
    services.close_campaign(campaign, by=admin)


def _name(item: tuple[Unit, Any]) -> str:
    return item[0].name
