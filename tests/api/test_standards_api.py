"""GET /api/v1/standards/…: frameworks, assessments in scope with their result and indicators,
the overview; scoped like the pages, in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from thuvien.standards import services
from thuvien.standards.models import Framework

TODAY = timezone.localdate()


@pytest.fixture
def assessment(world):
    services.ship_frameworks()
    version = Framework.objects.get(code="tt16-2022").current
    window = services.open_window(
        world.department,
        framework_version=version,
        year=2025,
        title="Tự đánh giá 2025",
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=5),
    )
    services.save_profile(world.school, year=2025, reading_room_m2=Decimal(80))
    assessment = services.start_assessment(window, world.school)
    copies = assessment.values.get(criterion__code="TH.TNTT.1.copies")
    services.save_values(assessment, {copies.criterion_id: (Decimal(2), None, "")})
    return assessment


def test_frameworks_list_and_one_with_its_criteria(world, assessment, api_client_for):
    client = api_client_for(world.librarian)
    listed = client.get("/api/v1/standards/frameworks/").json()
    codes = {row["code"]: row for row in listed}
    assert codes["tt16-2022"]["current_version"] == 1 and codes["qd01-2003"]["historical"]
    one = client.get(f"/api/v1/standards/frameworks/{codes['tt16-2022']['id']}/").json()
    assert [level["code"] for level in one["levels"]] == ["muc1", "muc2"]
    copies = next(c for c in one["criteria"] if c["code"] == "THPT.TNTT.1.b")
    assert (copies["threshold"], copies["per"], copies["verified"]) == ("5.00", "student", True)


def test_an_assessment_with_its_values_result_and_indicators(world, assessment, api_client_for):
    client = api_client_for(world.principal)
    listed = client.get("/api/v1/standards/assessments/?year=2025").json()
    assert [row["school"]["name"] for row in listed["results"]] == [world.school.name]
    detail = client.get(f"/api/v1/standards/assessments/{assessment.pk}/").json()
    values = {row["criterion"]: row for row in detail["values"]}
    assert values["TH.TNTT.1.copies"]["entered"] == "2.00"
    assert values["TH.TNTT.1.copies"]["met"] is False  # 2 copies a student: < 3
    assert "TH.TNTT.1.copies" in detail["result"]["gaps"]
    indicators = client.get(f"/api/v1/standards/assessments/{assessment.pk}/indicators/").json()
    area = next(row for row in indicators if row["code"] == "total_area_m2")
    assert area["value"] == "80.00"


@pytest.mark.parametrize("role", ["outsider", "principal_a2", "office_b_officer"])
def test_nobody_else_sees_the_assessment(world, assessment, api_client_for, role):
    client = api_client_for(getattr(world, role))
    assert client.get(f"/api/v1/standards/assessments/{assessment.pk}/").status_code == 404
    assert (
        client.get(f"/api/v1/standards/assessments/{assessment.pk}/indicators/").status_code == 404
    )
    listed = client.get("/api/v1/standards/assessments/").json()
    assert assessment.pk not in {row["id"] for row in listed["results"]}


def test_the_overview_for_the_department_not_for_a_school(world, assessment, api_client_for):
    data = api_client_for(world.dept_officer).get("/api/v1/standards/overview/").json()
    assert data["totals"]["counts"]["preparing"] == 1
    assert data["totals"]["total"] == 4  # the world's four schools
    assert api_client_for(world.librarian).get("/api/v1/standards/overview/").status_code == 403
    office_b = api_client_for(world.office_b_officer)
    assert office_b.get(f"/api/v1/standards/overview/?unit={world.office.pk}").status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/standards/frameworks/",
        "/api/v1/standards/frameworks/{framework_id}/",
        "/api/v1/standards/assessments/",
        "/api/v1/standards/assessments/{assessment_id}/",
        "/api/v1/standards/assessments/{assessment_id}/indicators/",
        "/api/v1/standards/overview/",
    ):
        assert path in paths, path
