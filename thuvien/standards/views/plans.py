"""The library's development plan: made from an assessment's gaps, then kept by the school's
staff (who does what, by when, for how much, how far it is); read by the school's supervisors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thuvien.access import Action, allows, authorize, get_scoped_or_404, requires, scope_for
from thuvien.standards import services
from thuvien.standards.forms import NewActionForm, PlanActionsForm
from thuvien.standards.models import Assessment, DevelopmentPlan
from thuvien.standards.services.plans import overdue

PAGE = "standards/plan.html"


@requires(Action.PREPARE_ASSESSMENT)
@require_POST
def plan_from_assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_scoped_or_404(
        Assessment.objects.select_related("window__framework_version", "school"),
        scope_for(request),
        Action.PREPARE_ASSESSMENT,
        pk=assessment_id,
    )
    plan = services.plan_from_gaps(assessment)
    messages.success(request, _("The development plan lists what the library still misses."))
    return redirect("standards:plan_detail", plan_id=plan.pk)


def _page(request: HttpRequest, plan: DevelopmentPlan, **forms: Any) -> dict[str, Any]:
    scope = scope_for(request)
    actions = list(plan.actions.all())
    editable = allows(scope, Action.PREPARE_ASSESSMENT, plan)
    form = forms.get("form") or (PlanActionsForm(actions=actions) if editable else None)
    return {
        "plan": plan,
        "actions": actions,
        "rows": [(action, form.row_fields(action) if form else None) for action in actions],
        "form": form,
        "new_form": forms.get("new_form") or NewActionForm(),
        "editable": editable,
        "overdue": {action.pk for action in overdue(plan, timezone.localdate())},
        "total_budget": sum(action.budget_vnd or 0 for action in actions),
    }


@requires(Action.VIEW_STANDARDS)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    scope = scope_for(request)
    plan = get_scoped_or_404(DevelopmentPlan.objects.select_related("school"), scope, pk=plan_id)
    if request.method == "GET":
        return render(request, PAGE, _page(request, plan))
    authorize(scope, Action.PREPARE_ASSESSMENT, plan)
    if "add" in request.POST:
        new_form = NewActionForm(request.POST)
        if new_form.is_valid():
            try:
                services.add_action(plan, **new_form.cleaned_data)
            except services.AssessmentError as error:
                new_form.add_error(None, str(error))
            else:
                messages.success(request, _("The action is added to the plan."))
                return redirect("standards:plan_detail", plan_id=plan.pk)
        return render(request, PAGE, _page(request, plan, new_form=new_form), status=422)
    form = PlanActionsForm(request.POST, actions=list(plan.actions.all()))
    if form.is_valid():
        try:
            services.save_actions(plan, form.rows())
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("standards:plan_detail", plan_id=plan.pk)
    return render(request, PAGE, _page(request, plan, form=form), status=422)


urlpatterns: list[URLPattern] = [
    path(
        "assessments/<int:assessment_id>/plan/", plan_from_assessment, name="plan_from_assessment"
    ),
    path("plans/<int:plan_id>/", plan_detail, name="plan_detail"),
]
