"""Training rows for the named test world (`thuvien.organisations.testing.build_world` calls
`extend_world`).

The model-scoping walk needs a row of every school-owned model in the world's main school: office
A's small campaign aimed at school A1, published, with A1's draft package and the office's draft
aggregate report.
"""

from __future__ import annotations

import datetime as dt

from thuvien.organisations.models import Role
from thuvien.organisations.testing import World
from thuvien.training import services
from thuvien.training.models import Campaign, UnitReport


def extend_world(world: World) -> Campaign:
    campaign = services.create_campaign(
        world.office,
        by=world.office_officer,
        target=world.school,
        subject="Tự bồi dưỡng nghiệp vụ thư viện năm học 2025–2026",
        school_year=2025,
        roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
        school_deadline=dt.date(2026, 4, 10),
        office_deadline=dt.date(2026, 4, 20),
    )
    services.publish_campaign(campaign, by=world.office_officer, on=dt.date(2025, 9, 15))
    services.prepare_school_package(campaign, world.school, summary="Đang thực hiện.")
    UnitReport.objects.create(campaign=campaign, unit=world.office, results="Đang tổng hợp.")
    return campaign
