"""The school's loan rules (reader type × collection) and its calendar (weekly closed days and
closures): due dates move to the next open day."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.catalogue.models import Collection
from thuvien.circulation.forms import ClosureForm, LoanRuleForm, WeekdaysForm
from thuvien.circulation.models import DEFAULT_RULE, Closure, DeskSettings, LoanRule
from thuvien.circulation.services import CirculationError, rules

PAGE = "circulation/rules.html"


def _context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    scope = scope_for(request)
    school = scope_for(request).school
    collections = Collection.objects.visible_to(scope).filter(school=school)
    settings = DeskSettings.objects.visible_to(scope).filter(school=school).first()
    closed = sorted(settings.weekdays) if settings else [6]
    return {
        "school": school,
        "rules": LoanRule.objects.visible_to(scope).select_related("collection", "school"),
        "closures": Closure.objects.visible_to(scope)
        .select_related("school")
        .order_by("-starts_on")[:100],
        "default_rule": DEFAULT_RULE,
        "can_edit": scope.can(Action.LEND) and school is not None,
        "rule_form": forms.get("rule_form") or LoanRuleForm(collections=collections),
        "closure_form": forms.get("closure_form") or ClosureForm(),
        "weekdays_form": forms.get("weekdays_form")
        or WeekdaysForm(initial={"closed": [str(day) for day in closed]}),
        "many_schools": scope.is_subtree,
    }


@requires(Action.VIEW_CIRCULATION)
@require_GET
def rules_page(request: HttpRequest) -> HttpResponse:
    return render(request, PAGE, _context(request))


@requires(Action.LEND)
@require_POST
def rule_add(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    scope = scope_for(request)
    collections = Collection.objects.visible_to(scope).filter(school=school)
    form = LoanRuleForm(request.POST, collections=collections)
    if school is not None and form.is_valid():
        try:
            rules.save_rule(school, form.save(commit=False))
            messages.success(request, _("The loan rule is saved."))
            return redirect("circulation:rules")
        except CirculationError as error:
            form.add_error(None, str(error))
    if school is None:
        form.add_error(None, _("Loan rules are kept by a school's library staff."))
    return render(request, PAGE, _context(request, rule_form=form), status=422)


@requires(Action.LEND)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    scope = scope_for(request)
    rule = get_scoped_or_404(LoanRule.objects.all(), scope, Action.LEND, pk=rule_id)
    collections = Collection.objects.visible_to(scope).filter(school=rule.school)
    form = LoanRuleForm(request.POST or None, instance=rule, collections=collections)
    if request.method == "POST" and form.is_valid():
        try:
            rules.save_rule(rule.school, form.save(commit=False))
            messages.success(request, _("The loan rule is saved."))
            return redirect("circulation:rules")
        except CirculationError as error:
            form.add_error(None, str(error))
    status = 422 if form.is_bound else 200
    return render(
        request, "circulation/rule_form.html", {"form": form, "rule": rule}, status=status
    )


@requires(Action.LEND)
@require_POST
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_scoped_or_404(LoanRule.objects.all(), scope_for(request), Action.LEND, pk=rule_id)
    rule.delete()
    messages.success(request, _("The loan rule is deleted: those loans follow the general rule."))
    return redirect("circulation:rules")


@requires(Action.LEND)
@require_POST
def closure_add(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    form = ClosureForm(request.POST)
    if school is not None and form.is_valid():
        try:
            rules.add_closure(school, **form.cleaned_data)
            messages.success(request, _("The closure is added: due dates move past it."))
            return redirect("circulation:rules")
        except CirculationError as error:
            form.add_error(None, str(error))
    if school is None:
        form.add_error(None, _("Loan rules are kept by a school's library staff."))
    return render(request, PAGE, _context(request, closure_form=form), status=422)


@requires(Action.LEND)
@require_POST
def closure_delete(request: HttpRequest, closure_id: int) -> HttpResponse:
    closure = get_scoped_or_404(
        Closure.objects.all(), scope_for(request), Action.LEND, pk=closure_id
    )
    closure.delete()
    messages.success(request, _("The closure is deleted."))
    return redirect("circulation:rules")


@requires(Action.LEND)
@require_POST
def weekdays_save(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    form = WeekdaysForm(request.POST)
    if school is not None and form.is_valid():
        try:
            rules.set_closed_weekdays(school, form.cleaned_data["closed"])
            messages.success(request, _("The weekly closed days are saved."))
            return redirect("circulation:rules")
        except CirculationError as error:
            form.add_error(None, str(error))
    if school is None:
        form.add_error(None, _("Loan rules are kept by a school's library staff."))
    return render(request, PAGE, _context(request, weekdays_form=form), status=422)


urlpatterns: list[URLPattern] = [
    path("rules/", rules_page, name="rules"),
    path("rules/new/", rule_add, name="rule_add"),
    path("rules/<int:rule_id>/", rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", rule_delete, name="rule_delete"),
    path("calendar/closures/", closure_add, name="closure_add"),
    path("calendar/closures/<int:closure_id>/delete/", closure_delete, name="closure_delete"),
    path("calendar/weekdays/", weekdays_save, name="weekdays_save"),
]
