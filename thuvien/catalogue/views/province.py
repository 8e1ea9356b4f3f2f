"""The province's catalogue settings, kept by the department (Sở): the call-number rule (every
library role of the province reads it) and the external SRU targets its librarians search."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thuvien.access import Action, allows, get_scoped_or_404, requires, scope_for
from thuvien.catalogue.forms import CatalogueSettingsForm, SruTargetForm
from thuvien.catalogue.models import CallNumberRule, CatalogueSettings, SruTarget
from thuvien.catalogue.services import CatalogueError
from thuvien.catalogue.services.province import province_of, save_settings, save_target
from thuvien.organisations.models import Unit, UnitKind

SETTINGS_FORM = "catalogue/settings_form.html"
TARGET_FORM = "catalogue/sru_target_form.html"


def _department(request: HttpRequest) -> Unit | None:
    unit = scope_for(request).unit
    return unit if unit is not None and unit.kind == UnitKind.DEPARTMENT else None


def _settings(request: HttpRequest) -> CatalogueSettings | None:
    scope = scope_for(request)
    rows = CatalogueSettings.objects.visible_to(scope)
    return rows.filter(department_id=province_of(scope.unit)).first()


def _targets(request: HttpRequest) -> QuerySet[SruTarget]:
    scope = scope_for(request)
    return SruTarget.objects.visible_to(scope).filter(department_id=province_of(scope.unit))


@requires(Action.VIEW_CATALOGUE)
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    settings = _settings(request)
    can_keep = _department(request) is not None and (
        allows(scope, Action.KEEP_CATALOGUE, settings)
        if settings
        else scope.can(Action.KEEP_CATALOGUE)
    )
    context = {
        "rule": CallNumberRule(
            settings.call_number_rule if settings else CallNumberRule.CLASS_MARK3_YEAR
        ),
        "use_local_class": settings.use_local_class if settings else False,
        "targets": list(_targets(request)),
        "can_keep": can_keep,
    }
    return render(request, "catalogue/settings.html", context)


@requires(Action.KEEP_CATALOGUE)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    department = _department(request)
    settings = _settings(request)
    if settings is not None:  # 403 unless the scope keeps it (the model's policy)
        settings = get_scoped_or_404(
            CatalogueSettings.objects.all(),
            scope_for(request),
            Action.KEEP_CATALOGUE,
            pk=settings.pk,
        )
    initial = {
        "call_number_rule": settings.call_number_rule
        if settings
        else CallNumberRule.CLASS_MARK3_YEAR,
        "use_local_class": settings.use_local_class if settings else False,
    }
    form = CatalogueSettingsForm(request.POST or None, initial=initial)
    if department is None:
        messages.error(request, _("Only the department keeps the province's catalogue settings."))
        return render(request, SETTINGS_FORM, {"form": form}, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            save_settings(department, **form.cleaned_data)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The call-number rule is saved for the new records."))
            return redirect("catalogue:settings")
    status = 422 if request.method == "POST" else 200
    return render(request, SETTINGS_FORM, {"form": form}, status=status)


def _target_form(
    request: HttpRequest, department: Unit | None, target: SruTarget | None
) -> HttpResponse:
    initial = {"record_schema": "marcxml", "version": "2.0", "enabled": True}
    if target is not None:
        initial = {
            n: getattr(target, n) for n in ("name", "url", "record_schema", "version", "enabled")
        }
    form = SruTargetForm(request.POST or None, initial=initial)
    context = {"form": form, "target": target}
    if department is None:
        messages.error(request, _("Only the department keeps the province's catalogue settings."))
        return render(request, TARGET_FORM, context, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_target(department, target=target, **form.cleaned_data)
        except CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("SRU target “%(name)s” is saved.") % {"name": saved.name})
            return redirect("catalogue:settings")
    status = 422 if request.method == "POST" else 200
    return render(request, TARGET_FORM, context, status=status)


@requires(Action.KEEP_CATALOGUE)
@require_http_methods(["GET", "POST"])
def sru_target_new(request: HttpRequest) -> HttpResponse:
    return _target_form(request, _department(request), None)


@requires(Action.KEEP_CATALOGUE)
@require_http_methods(["GET", "POST"])
def sru_target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    scope = scope_for(request)
    rows = SruTarget.objects.filter(department_id=province_of(scope.unit))
    target = get_scoped_or_404(rows, scope, Action.KEEP_CATALOGUE, pk=target_id)
    return _target_form(request, _department(request), target)


urlpatterns: list[URLPattern] = [
    path("settings/", settings_page, name="settings"),
    path("settings/edit/", settings_edit, name="settings_edit"),
    path("settings/sru/new/", sru_target_new, name="sru_target_new"),
    path("settings/sru/<int:target_id>/edit/", sru_target_edit, name="sru_target_edit"),
]
