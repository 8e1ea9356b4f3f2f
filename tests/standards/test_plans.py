"""The development plan: made from the gaps once, carried across years, kept by the school."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from thuvien.standards import services
from thuvien.standards.models import DevelopmentPlan, PlanAction, PlanActionStatus

TODAY = timezone.localdate()


def _window(world, tt16, year):
    return services.open_window(
        world.department,
        framework_version=tt16,
        year=year,
        title=f"Tự đánh giá {year}",
        opens_on=TODAY - dt.timedelta(days=10),
        closes_on=TODAY + dt.timedelta(days=30),
    )


@pytest.fixture
def assessment(world, tt16):
    assessment = services.start_assessment(_window(world, tt16, 2025), world.thpt)
    entries = {v.criterion_id: (Decimal(10), True, "") for v in assessment.values.all()}
    copies = assessment.values.get(criterion__code="THPT.TNTT.1.b")
    entries[copies.criterion_id] = (Decimal(3), None, "")  # 3 copies a student: < 5
    services.save_values(assessment, entries)
    return assessment


def test_the_plan_lists_each_gap_once(world, assessment):
    plan = services.plan_from_gaps(assessment)
    codes = [action.criterion_code for action in plan.actions.all()]
    assert codes == ["THPT.TNTT.1.b"]
    assert "Đạt THPT.TNTT.1.b" in plan.actions.get().title
    services.plan_from_gaps(assessment)  # again: nothing twice
    assert PlanAction.objects.filter(plan=plan).count() == 1


def test_next_years_plan_carries_what_is_not_done(world, tt16, assessment):
    plan = services.plan_from_gaps(assessment)
    gap = plan.actions.get()
    done = services.add_action(plan, title="Sắp xếp lại kho sách")
    services.save_actions(
        plan, {done.pk: {"status": PlanActionStatus.DONE}, gap.pk: {"owner": "Thủ thư"}}
    )
    later = services.start_assessment(_window(world, tt16, 2026), world.thpt)
    nxt = services.plan_from_gaps(later)
    carried = list(nxt.actions.all())
    assert (carried[0].criterion_code, carried[0].carried_from_id, carried[0].owner) == (
        "THPT.TNTT.1.b",
        gap.pk,
        "Thủ thư",
    )
    assert "Sắp xếp lại kho sách" not in {a.title for a in carried}  # done last year


def test_a_bad_edit_changes_nothing(world, assessment):
    plan = services.plan_from_gaps(assessment)
    action = plan.actions.get()
    with pytest.raises(services.AssessmentError, match=r"Hãy chọn một trạng thái"):
        services.save_actions(plan, {action.pk: {"status": "gone"}})
    with pytest.raises(services.AssessmentError, match=r"Biểu mẫu đã cũ"):
        services.save_actions(plan, {action.pk + 999: {"title": "x"}})
    assert PlanAction.objects.get(pk=action.pk).status == PlanActionStatus.PLANNED


def test_the_school_keeps_the_plan_and_supervisors_read_it(world, tt16, client_for):
    window = _window(world, tt16, 2025)
    assessment = services.start_assessment(window, world.school)
    librarian = client_for(world.librarian)
    made = librarian.post(reverse("standards:plan_from_assessment", args=[assessment.pk]))
    plan = DevelopmentPlan.objects.get(school=world.school, year=2025)
    assert made.url == reverse("standards:plan_detail", args=[plan.pk])
    page = librarian.get(made.url)
    assert page.status_code == 200 and "Kế hoạch phát triển thư viện" in page.content.decode()
    action = plan.actions.first()
    data = {}
    for name, field in page.context["form"].fields.items():
        data[name] = field.initial if field.initial is not None else ""
    data[f"budget_vnd_{action.pk}"] = "1.500.000"
    data[f"status_{action.pk}"] = PlanActionStatus.IN_PROGRESS
    data[f"due_on_{action.pk}"] = "2026-03-31"
    saved = librarian.post(made.url, data)
    assert saved.status_code == 302, saved.context["form"].errors
    action.refresh_from_db()
    assert (action.budget_vnd, action.status) == (1_500_000, PlanActionStatus.IN_PROGRESS)
    office = client_for(world.office_officer).get(made.url)
    assert office.status_code == 200 and office.context["form"] is None
    assert client_for(world.office_officer).post(made.url, data).status_code == 403
    assert client_for(world.outsider).get(made.url).status_code == 404
