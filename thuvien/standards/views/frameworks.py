"""The standards frameworks: the list, one framework's criteria (any version, by tier), its
export as YAML or XLSX, and, for the department administrator (KEEP_FRAMEWORKS), importing a
framework file (checked, previewed, then confirmed) and correcting a criterion. Every change makes
a new version; the versions before it stay readable."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core import signing
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, authorize, get_scoped_or_404, requires, scope_for
from thuvien.core.spreadsheets import xlsx_response
from thuvien.standards import framework_files, services
from thuvien.standards.forms import ConfirmImportForm, CriterionForm, FrameworkFileForm
from thuvien.standards.models import Criterion, Framework, FrameworkVersion, Tier

SIGNING_SALT = "thuvien.standards.import"


@requires(Action.VIEW_STANDARDS)
@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    frameworks = list(Framework.objects.visible_to(scope))
    versions = FrameworkVersion.objects.visible_to(scope).order_by("framework_id", "-number")
    latest: dict[int, FrameworkVersion] = {}
    for version in versions:
        latest.setdefault(version.framework_id, version)
    counts = {
        version.pk: (version.criteria.count(), version.criteria.filter(verified=False).count())
        for version in latest.values()
    }
    rows = [
        (
            framework,
            latest.get(framework.pk),
            counts.get(getattr(latest.get(framework.pk), "pk", 0)),
        )
        for framework in frameworks
    ]
    return render(
        request,
        "standards/framework_list.html",
        {"rows": rows, "can_keep": scope.can(Action.KEEP_FRAMEWORKS)},
    )


@dataclass
class GroupShown:
    group: Any
    criteria: list[Criterion]


def _version(request: HttpRequest, framework: Framework) -> FrameworkVersion:
    """The version asked for (`?version=N`), else the current one."""
    versions = FrameworkVersion.objects.filter(framework=framework)
    number = request.GET.get("version", "")
    if not number.isdigit():
        number = str(versions.aggregate(last=Max("number"))["last"] or 0)
    return get_scoped_or_404(versions, scope_for(request), number=int(number))


@requires(Action.VIEW_STANDARDS)
@require_GET
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    scope = scope_for(request)
    framework = get_scoped_or_404(Framework.objects.all(), scope, pk=framework_id)
    version = _version(request, framework)
    tier = request.GET.get("tier", "")
    criteria = list(version.criteria.select_related("level", "group"))
    if tier in Tier.values:
        criteria = [criterion for criterion in criteria if tier in criterion.tiers]
    else:
        tier = ""
    groups = [
        GroupShown(group, [c for c in criteria if c.group_id == group.pk])
        for group in version.groups.all()
    ]
    versions = list(framework.versions.order_by("-number"))
    latest = versions[0] if versions else version
    context = {
        "framework": framework,
        "version": version,
        "is_latest": version.pk == latest.pk,
        "latest": latest,
        "versions": versions,
        "levels": list(version.levels.all()),
        "groups": groups,
        "shown": len(criteria),
        "unverified": sum(not criterion.verified for criterion in criteria),
        "tier": tier,
        "tiers": Tier.choices,
        "tier_names": dict(Tier.choices),
        "can_keep": scope.can(Action.KEEP_FRAMEWORKS),
    }
    return render(request, "standards/framework_detail.html", context)


@requires(Action.VIEW_STANDARDS)
@require_GET
def framework_export(request: HttpRequest, framework_id: int, fmt: str) -> HttpResponse:
    framework = get_scoped_or_404(Framework.objects.all(), scope_for(request), pk=framework_id)
    version = _version(request, framework)
    data = framework_files.data_of(version)
    filename = f"{framework.code}-v{version.number}"
    if fmt == "xlsx":
        return xlsx_response(framework_files.write_xlsx(data), f"{filename}.xlsx")
    return HttpResponse(
        framework_files.write_yaml(data),
        content_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.yaml"'},
    )


def _sign(content: bytes) -> str:
    packed = base64.b64encode(zlib.compress(content)).decode("ascii")
    return signing.dumps(packed, salt=SIGNING_SALT, compress=False)


def _unsign(token: str) -> bytes | None:
    try:
        packed = signing.loads(token, salt=SIGNING_SALT, max_age=60 * 60)
        return zlib.decompress(base64.b64decode(packed))
    except (signing.BadSignature, ValueError, zlib.error):
        return None


def _changes(
    data: framework_files.FrameworkData, current: FrameworkVersion | None
) -> dict[str, list[str]]:
    """Criteria added, removed and changed against the current version (by code)."""
    if current is None:
        return {"added": [c.code for c in data.criteria], "removed": [], "changed": []}
    before = {c.code: c for c in framework_files.data_of(current).criteria}
    after = {c.code: c for c in data.criteria}
    return {
        "added": [code for code in after if code not in before],
        "removed": [code for code in before if code not in after],
        "changed": [code for code in after if code in before and after[code] != before[code]],
    }


def _current_of(code: str, request: HttpRequest) -> FrameworkVersion | None:
    versions = FrameworkVersion.objects.visible_to(scope_for(request))
    return versions.filter(framework__code=code).order_by("-number").first()


@requires(Action.KEEP_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    form = FrameworkFileForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(framework_files.MAX_BYTES + 1)
        try:
            data = framework_files.read(content, upload.name)
        except framework_files.FrameworkFileError as error:
            context["problems"] = error.problems
            return render(request, "standards/framework_import.html", context, status=422)
        current = _current_of(data.code, request)
        context.update(
            data=data,
            current=current,
            changes=_changes(data, current),
            confirm=ConfirmImportForm(
                initial={
                    "content": _sign(content),
                    "filename": upload.name,
                    "note": form.cleaned_data["note"],
                }
            ),
        )
        return render(request, "standards/framework_import.html", context)
    status = 422 if request.method == "POST" else 200
    return render(request, "standards/framework_import.html", context, status=status)


@requires(Action.KEEP_FRAMEWORKS)
@require_POST
def framework_import_confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmImportForm(request.POST)
    content = _unsign(form.data.get("content", "")) if form.is_valid() else None
    if content is None:
        messages.error(request, _("The preview has expired: choose the file again."))
        return redirect("standards:framework_import")
    try:
        data = framework_files.read(content, form.cleaned_data["filename"])
    except framework_files.FrameworkFileError as error:
        messages.error(request, " ".join(error.problems))
        return redirect("standards:framework_import")
    note = form.cleaned_data["note"] or _("Imported from %(file)s.") % {
        "file": form.cleaned_data["filename"]
    }
    version = services.import_framework(data, by=request.user, note=note)
    messages.success(
        request,
        _("Version %(number)d of “%(name)s” is now the current one.")
        % {"number": version.number, "name": version.framework.name},
    )
    return redirect(reverse("standards:framework_detail", args=[version.framework_id]))


@requires(Action.KEEP_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def criterion_correct(request: HttpRequest, criterion_id: int) -> HttpResponse:
    scope = scope_for(request)
    criterion = get_scoped_or_404(
        Criterion.objects.select_related("version__framework", "level"), scope, pk=criterion_id
    )
    authorize(scope, Action.KEEP_FRAMEWORKS, criterion)
    form = CriterionForm(request.POST or None, criterion=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            corrected = services.correct_criterion(
                criterion, by=request.user, change=form.cleaned_data["change"], **form.changes()
            )
        except services.StandardsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Criterion %(code)s corrected: version %(number)d is now the current one.")
                % {"code": corrected.code, "number": corrected.version.number},
            )
            url = reverse("standards:framework_detail", args=[corrected.version.framework_id])
            return redirect(f"{url}#criterion-{corrected.code}")
    status = 422 if request.method == "POST" else 200
    context = {"criterion": criterion, "form": form}
    return render(request, "standards/criterion_form.html", context, status=status)


@requires(Action.KEEP_FRAMEWORKS)
@require_http_methods(["GET", "POST"])
def criterion_add(request: HttpRequest, framework_id: int) -> HttpResponse:
    scope = scope_for(request)
    framework = get_scoped_or_404(Framework.objects.all(), scope, pk=framework_id)
    authorize(scope, Action.KEEP_FRAMEWORKS, framework)
    version = _version(request, framework)
    form = CriterionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_criterion(
                version, by=request.user, change=form.cleaned_data["change"], **form.changes()
            )
        except services.StandardsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Criterion %(code)s added: version %(number)d is now the current one.")
                % {"code": added.code, "number": added.version.number},
            )
            url = reverse("standards:framework_detail", args=[framework.pk])
            return redirect(f"{url}#criterion-{added.code}")
    status = 422 if request.method == "POST" else 200
    context = {"framework": framework, "version": version, "form": form}
    return render(request, "standards/criterion_add.html", context, status=status)


def _patterns() -> Iterable[URLPattern]:
    yield path("", framework_list, name="framework_list")
    yield path("frameworks/import/", framework_import, name="framework_import")
    yield path(
        "frameworks/import/confirm/", framework_import_confirm, name="framework_import_confirm"
    )
    yield path("frameworks/<int:framework_id>/", framework_detail, name="framework_detail")
    for fmt in ("yaml", "xlsx"):
        yield path(
            f"frameworks/<int:framework_id>/export.{fmt}",
            framework_export,
            {"fmt": fmt},
            name=f"framework_export_{fmt}",
        )
    yield path("criteria/<int:criterion_id>/correct/", criterion_correct, name="criterion_correct")
    yield path("frameworks/<int:framework_id>/criteria/add/", criterion_add, name="criterion_add")


urlpatterns: list[URLPattern] = list(_patterns())
