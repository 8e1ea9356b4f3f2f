"""The standards rows of the named test world (`organisations.testing.extend_world`): last
year's window for office A, school A1's recognised self-assessment with a value, its evidence
and its library profile. Written directly, as the state they stand for, whatever today is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from thuvien.organisations.testing import World
from thuvien.standards import results, services
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentValue,
    AssessmentWindow,
    DevelopmentPlan,
    Evidence,
    Framework,
    LibraryProfile,
    PlanAction,
    Recognition,
)

WORLD_YEAR = 2024  # the world's recognised year; tests open their own window for later years
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def extend_world(world: World) -> Assessment:
    services.ship_frameworks()
    version = Framework.objects.get(code="tt16-2022").current
    assert version is not None
    window = AssessmentWindow.objects.create(
        issuer=world.department,
        target=world.office,
        framework_version=version,
        year=WORLD_YEAR,
        title="Tự đánh giá thư viện năm học 2024–2025 (Phòng An Hội)",
        opens_on=dt.date(2025, 5, 1),
        closes_on=dt.date(2025, 7, 31),
        department_tiers=["upper_secondary"],
    )
    assessment = Assessment.objects.create(
        window=window,
        school=world.school,
        status=AssessmentStatus.RECOGNISED,
        tier=results.tier_of(world.school),
        summary="Thư viện đã đạt các tiêu chí cơ bản.",
        sent_to=world.office,
        submitted_by=world.librarian,
        approved_by=world.principal,
    )
    criterion = version.criteria.get(code="TH.TNTT.1.copies")
    value = AssessmentValue.objects.create(
        assessment=assessment, school=world.school, criterion=criterion, entered=Decimal(3)
    )
    evidence = Evidence(value=value, school=world.school, file_name="so-dang-ky.pdf")
    evidence.file.save("so-dang-ky.pdf", ContentFile(MINIMAL_PDF), save=False)
    evidence.save()
    LibraryProfile.objects.create(
        school=world.school, year=WORLD_YEAR, reading_room_m2=Decimal(60), seats=40
    )
    plan = DevelopmentPlan.objects.create(
        school=world.school, year=WORLD_YEAR, assessment=assessment
    )
    PlanAction.objects.create(
        plan=plan,
        school=world.school,
        criterion_code=criterion.code,
        title="Bổ sung sách tham khảo",
    )
    Recognition.objects.create(
        assessment=assessment,
        school=world.school,
        level=None,
        decided_by=world.office,
        decision_number="21/QĐ-PGDĐT",
        decided_on=dt.date(2025, 8, 20),
    )
    return assessment
