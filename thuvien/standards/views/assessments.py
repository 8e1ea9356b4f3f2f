"""The yearly self-assessment as each role meets it.

- `/standards/assessments/`: a school's windows and its assessment, its recognitions; a
  supervisor's assessments in scope (those sent to the unit first); the department opens a window.
- `/standards/assessments/<id>/`: the criteria by group with the platform's value beside the one
  entered, evidence, the result and the gaps; the forms of the step the viewer may take.
- `/standards/profile/`: the school library's profile for a school year.
Every row is reached through the policy (`get_scoped_or_404`, `visible_to`, `scoped_file`); each
step is a service that refuses a stale or repeated request with a message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import (
    Action,
    allows,
    authorize,
    get_scoped_or_404,
    requires,
    scope_for,
    scoped_file,
)
from thuvien.core import indicators
from thuvien.organisations.models import Unit, UnitKind, current_school_year
from thuvien.standards import results, services
from thuvien.standards.forms import (
    CommentForm,
    EvidenceForm,
    ProfileForm,
    RecognitionForm,
    ValuesForm,
    WindowDatesForm,
    WindowForm,
)
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentWindow,
    DevelopmentPlan,
    Evidence,
    FrameworkVersion,
    LibraryProfile,
    Recognition,
)
from thuvien.standards.queries import assessment_in_scope

DETAIL = "standards/assessment_detail.html"
FIELDS = ("entered", "met", "note")  # a criterion's row of the values form


def _school_of(request: HttpRequest) -> Unit | None:
    unit = scope_for(request).unit
    return unit if unit is not None and unit.is_school else None


@requires(Action.VIEW_STANDARDS)
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    windows = list(AssessmentWindow.objects.visible_to(scope).select_related("framework_version"))
    school = _school_of(request)
    context: dict[str, Any] = {
        "windows": windows,
        "school": school,
        "can_open": scope.can(Action.OPEN_ASSESSMENTS) and not school,
        "can_prepare": scope.can(Action.PREPARE_ASSESSMENT),
        "can_overview": scope.can(Action.RECOGNISE_LIBRARIES) and not school,
    }
    assessments = Assessment.objects.visible_to(scope).select_related(
        "school", "window", "sent_to", "level_claimed"
    )
    if school is not None:
        mine = {a.window_id: a for a in assessments.filter(school=school)}
        context["rows"] = [(window, mine.get(window.pk)) for window in windows]
        context["recognitions"] = list(
            Recognition.objects.visible_to(scope)
            .filter(school=school)
            .select_related("level__version__framework", "decided_by")
        )
    else:
        status = request.GET.get("status", "")
        shown = (
            assessments.filter(status=status) if status in AssessmentStatus.values else assessments
        )
        unit = scope.unit
        first = Case(
            When(sent_to=unit, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        context["assessments"] = list(
            shown.annotate(for_me=first).order_by("for_me", "-window__year", "school__name_folded")[
                :500
            ]
        )
        context["status"] = status
        context["statuses"] = AssessmentStatus.choices
    return render(request, "standards/assessment_list.html", context)


@requires(Action.OPEN_ASSESSMENTS)
@require_http_methods(["GET", "POST"])
def window_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    unit = scope.unit
    versions = [
        framework_version
        for framework_version in FrameworkVersion.objects.visible_to(scope)
        .select_related("framework")
        .order_by("framework__historical", "framework__code", "-number")
    ]
    targets: list[Unit] = []
    if unit is not None:
        offices = Unit.objects.visible_to(scope).filter(parent=unit, kind=UnitKind.OFFICE)
        targets = [unit, *offices.order_by("name_folded")]
    form = WindowForm(request.POST or None, versions=versions, targets=targets)
    if not request.POST:
        form.fields["year"].initial = current_school_year()
    if request.method == "POST" and form.is_valid() and unit is not None:
        data = form.cleaned_data
        try:
            window = services.open_window(
                unit,
                framework_version=form.versions[data["framework_version"]],
                year=data["year"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                department_tiers=data["department_tiers"],
                target=form.targets[data["target"]],
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The self-assessment “%(title)s” is open.") % {"title": window.title}
            )
            return redirect("standards:assessment_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "standards/window_form.html", {"form": form}, status=status)


@requires(Action.OPEN_ASSESSMENTS)
@require_http_methods(["GET", "POST"])
def window_dates(request: HttpRequest, window_id: int) -> HttpResponse:
    window = get_scoped_or_404(
        AssessmentWindow.objects.all(), scope_for(request), Action.OPEN_ASSESSMENTS, pk=window_id
    )
    initial = {"opens_on": window.opens_on, "closes_on": window.closes_on}
    form = WindowDatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_window_dates(window, **form.cleaned_data)
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The dates of “%(title)s” are changed.") % {"title": window.title}
            )
            return redirect("standards:assessment_list")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "window": window}
    return render(request, "standards/window_dates.html", context, status=status)


@requires(Action.PREPARE_ASSESSMENT)
@require_POST
def assessment_start(request: HttpRequest, window_id: int) -> HttpResponse:
    scope = scope_for(request)
    window = get_scoped_or_404(AssessmentWindow.objects.all(), scope, pk=window_id)
    school = _school_of(request)
    if school is None:
        messages.error(request, _("A self-assessment is prepared by a school's library staff."))
        return redirect("standards:assessment_list")
    try:
        assessment = services.start_assessment(window, school)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("standards:assessment_list")
    return redirect("standards:assessment_detail", assessment_id=assessment.pk)


def _assessment(
    request: HttpRequest, assessment_id: int, action: Action | None = None
) -> Assessment:
    return assessment_in_scope(scope_for(request), assessment_id, action)


def _context(request: HttpRequest, assessment: Assessment, **forms: Any) -> dict[str, Any]:
    scope = scope_for(request)
    result = results.result_of(assessment)
    can_prepare = assessment.editable and allows(scope, Action.PREPARE_ASSESSMENT, assessment)
    can_approve = assessment.status == AssessmentStatus.SUBMITTED and allows(
        scope, Action.APPROVE_ASSESSMENT, assessment
    )
    can_review = assessment.status == AssessmentStatus.SENT and allows(
        scope, Action.RECOGNISE_LIBRARIES, assessment
    )
    values = list(assessment.values.all())
    version = assessment.window.framework_version
    registered = {indicator.code: indicator for indicator in indicators.registered()}
    recognition = Recognition.objects.visible_to(scope).filter(assessment=assessment).first()
    earlier = (
        Assessment.objects.visible_to(scope)
        .filter(school=assessment.school, window__year=assessment.window.year - 1)
        .select_related("window__framework_version", "school")
        .prefetch_related("values")
        .first()
    )
    before = (
        {row.criterion.code: row.met for row in results.result_of(earlier, live=False).criteria}
        if earlier is not None
        else None
    )
    plan = (
        DevelopmentPlan.objects.visible_to(scope)
        .filter(school=assessment.school, year=assessment.window.year)
        .first()
    )
    values_form = forms.get("values_form") or (
        ValuesForm(values=values, summary=assessment.summary) if can_prepare else None
    )
    table = [
        {
            "group": group,
            "rows": [
                {
                    "result": row,
                    "fields": [values_form[f"{name}_{row.criterion.pk}"] for name in FIELDS]
                    if values_form is not None and row.value is not None
                    else None,
                }
                for row in group.criteria
            ],
        }
        for group in result.groups
    ]
    return {
        "table": table,
        "before": before,
        "earlier": earlier,
        "plan": plan,
        "can_plan": allows(scope, Action.PREPARE_ASSESSMENT, assessment),
        "assessment": assessment,
        "window": assessment.window,
        "result": result,
        "registered": registered,
        "can_prepare": can_prepare,
        "can_approve": can_approve,
        "can_review": can_review,
        "values_form": values_form,
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "recognition_form": forms.get("recognition_form")
        or RecognitionForm(levels=list(version.levels.all()), claimed=assessment.level_claimed),
        "recognition": recognition,
        "statuses": AssessmentStatus,
    }


@requires(Action.VIEW_STANDARDS)
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    if request.method == "POST":
        authorize(scope_for(request), Action.PREPARE_ASSESSMENT, assessment)
        form = ValuesForm(request.POST, values=list(assessment.values.all()))
        if form.is_valid():
            try:
                services.save_values(
                    assessment, form.entries(), summary=form.cleaned_data["summary"]
                )
            except services.AssessmentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The values are saved."))
                return redirect("standards:assessment_detail", assessment_id=assessment.pk)
        context = _context(request, assessment, values_form=form)
        return render(request, DETAIL, context, status=422)
    return render(request, DETAIL, _context(request, assessment))


def _step(
    request: HttpRequest, assessment_id: int, action: Action, run: Any, done: str
) -> HttpResponse:
    assessment = _assessment(request, assessment_id, action)
    try:
        run(assessment)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("standards:assessment_detail", assessment_id=assessment.pk)


@requires(Action.PREPARE_ASSESSMENT)
@require_POST
def assessment_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        Action.PREPARE_ASSESSMENT,
        lambda a: services.submit(a, by=request.user),
        _("Submitted to the principal for approval."),
    )


@requires(Action.APPROVE_ASSESSMENT)
@require_POST
def assessment_approve(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        Action.APPROVE_ASSESSMENT,
        lambda a: services.approve(a, by=request.user),
        _("Approved and sent for recognition."),
    )


def _commented(
    request: HttpRequest, assessment_id: int, action: Action, run: Any, done: str
) -> HttpResponse:
    assessment = _assessment(request, assessment_id, action)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            run(assessment, form.cleaned_data)
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("standards:assessment_detail", assessment_id=assessment.pk)
    return render(request, DETAIL, _context(request, assessment, comment_form=form), status=422)


@requires(Action.APPROVE_ASSESSMENT)
@require_POST
def assessment_return_to_library(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _commented(
        request,
        assessment_id,
        Action.APPROVE_ASSESSMENT,
        lambda a, data: services.return_to_library(a, by=request.user, comment=data["comment"]),
        _("Returned to the library staff."),
    )


@requires(Action.RECOGNISE_LIBRARIES)
@require_POST
def assessment_return(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _commented(
        request,
        assessment_id,
        Action.RECOGNISE_LIBRARIES,
        lambda a, data: services.return_for_changes(
            a, by=request.user, comment=data["comment"], check_notes=data["check_notes"]
        ),
        _("Returned to the school for changes."),
    )


@requires(Action.RECOGNISE_LIBRARIES)
@require_POST
def assessment_recognise(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id, Action.RECOGNISE_LIBRARIES)
    levels = list(assessment.window.framework_version.levels.all())
    form = RecognitionForm(request.POST, levels=levels)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recognise(
                assessment,
                by=request.user,
                level=form.chosen_level(),
                decision_number=data["decision_number"],
                decided_on=data["decided_on"],
                valid_until=data["valid_until"],
                check_notes=data["check_notes"],
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("standards:assessment_detail", assessment_id=assessment.pk)
    context = _context(request, assessment, recognition_form=form)
    return render(request, DETAIL, context, status=422)


@requires(Action.PREPARE_ASSESSMENT)
@require_POST
def evidence_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id, Action.PREPARE_ASSESSMENT)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        value = assessment.values.filter(pk=form.cleaned_data["value"]).first()
        if value is None:
            form.add_error(None, _("The form is out of date: open the self-assessment again."))
        else:
            try:
                services.add_evidence(value, form.cleaned_data["file"])
            except services.AssessmentError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, _("The evidence is added."))
                url = reverse("standards:assessment_detail", args=[assessment.pk])
                return redirect(f"{url}#criterion-{value.criterion_id}")
    context = _context(request, assessment, evidence_form=form)
    return render(request, DETAIL, context, status=422)


@requires(Action.PREPARE_ASSESSMENT)
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_scoped_or_404(
        Evidence.objects.select_related("value__assessment"),
        scope_for(request),
        Action.PREPARE_ASSESSMENT,
        pk=evidence_id,
    )
    assessment_id = evidence.value.assessment_id
    try:
        services.remove_evidence(evidence)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file is removed."))
    return redirect("standards:assessment_detail", assessment_id=assessment_id)


@requires(Action.VIEW_STANDARDS)
@require_GET
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponse:
    return scoped_file(
        request,
        Evidence.objects.all(),
        lambda evidence: (evidence.file, evidence.file_name),
        pk=evidence_id,
    )


@requires(Action.VIEW_STANDARDS)
@require_GET
def indicator_rows(request: HttpRequest, assessment_id: int, metric: str) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    indicator = indicators.get(metric)
    if indicator is None:
        raise Http404
    rows = indicators.rows(metric, assessment.school_id, assessment.window.year, scope_for(request))
    value = results.computed_values(
        [c for c in [v.criterion for v in assessment.values.all()] if c.metric == metric],
        [assessment.school_id],
        assessment.window.year,
    )[assessment.school_id].get(metric)
    context = {"assessment": assessment, "indicator": indicator, "rows": rows, "value": value}
    return render(request, "standards/indicator_rows.html", context)


@requires(Action.PREPARE_ASSESSMENT)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    school = _school_of(request)
    if school is None:
        messages.error(request, _("A library profile belongs to a school."))
        return redirect("standards:assessment_list")
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else current_school_year()
    scope = scope_for(request)
    profile = LibraryProfile.objects.visible_to(scope).filter(school=school, year=year).first()
    form = ProfileForm(
        request.POST or None, instance=profile or LibraryProfile(school=school, year=year)
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        services.save_profile(school, year=year, **fields)
        messages.success(
            request, _("The library profile of %(year)s is saved.") % {"year": f"{year}–{year + 1}"}
        )
        return redirect(f"{reverse('standards:profile')}?year={year}")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "school": school, "year": year, "school_year": f"{year}–{year + 1}"}
    return render(request, "standards/profile_form.html", context, status=status)


def _patterns() -> Iterable[URLPattern]:
    yield path("assessments/", assessment_list, name="assessment_list")
    yield path("windows/new/", window_create, name="window_create")
    yield path("windows/<int:window_id>/start/", assessment_start, name="assessment_start")
    yield path("windows/<int:window_id>/dates/", window_dates, name="window_dates")
    yield path("assessments/<int:assessment_id>/", assessment_detail, name="assessment_detail")
    for name, view in (
        ("submit", assessment_submit),
        ("approve", assessment_approve),
        ("return-to-library", assessment_return_to_library),
        ("return", assessment_return),
        ("recognise", assessment_recognise),
        ("evidence", evidence_add),
    ):
        yield path(
            f"assessments/<int:assessment_id>/{name}/",
            view,
            name=f"assessment_{name.replace('-', '_')}",
        )
    yield path(
        "assessments/<int:assessment_id>/indicators/<slug:metric>/",
        indicator_rows,
        name="indicator_rows",
    )
    yield path("evidence/<int:evidence_id>/", evidence_file, name="evidence_file")
    yield path("evidence/<int:evidence_id>/remove/", evidence_remove, name="evidence_remove")
    yield path("profile/", profile_edit, name="profile")


urlpatterns: list[URLPattern] = list(_patterns())
