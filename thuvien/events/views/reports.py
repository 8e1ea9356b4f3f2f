"""The event report: attendance by school and office, feedback, schools that sent nobody — on
screen, as XLSX and as an official BÁO CÁO (PDF), for the organiser and the department."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from thuvien.core.htmx import render_page_or_partial
from thuvien.core.spreadsheets import xlsx_response
from thuvien.documents import official_filename, render_pdf
from thuvien.events import reports
from thuvien.events.models import Event
from thuvien.events.views.gallery import manages
from thuvien.organisations.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.organisations.models import UnitKind


def reporting_event(request: HttpRequest, event_id: int) -> Event:
    """The event, for its organisers and the department's roles; 404 outside the scope, 403 for
    others who see it (an office, a school)."""
    scope = scope_for(request)
    rows = Event.objects.select_related("organiser", "target")
    event = get_scoped_or_404(rows, scope, pk=event_id)
    unit = scope.unit
    department = unit is not None and unit.kind == UnitKind.DEPARTMENT and scope.is_subtree
    if not (department or manages(scope, event)):
        raise PermissionDenied
    return event


@requires(Action.VIEW_EVENTS)
@require_GET
def report_page(request: HttpRequest, event_id: int) -> HttpResponse:
    report = reports.event_report(reporting_event(request, event_id))
    context = {"event": report.event, "report": report}
    return render_page_or_partial(request, "events/report_page.html", "figures", context)


@requires(Action.VIEW_EVENTS)
@require_GET
def report_xlsx(request: HttpRequest, event_id: int) -> HttpResponse:
    report = reports.event_report(reporting_event(request, event_id))
    response = xlsx_response(reports.report_workbook(report), f"bao-cao-su-kien-{event_id}.xlsx")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Action.VIEW_EVENTS)
@require_GET
def report_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    report = reports.event_report(reporting_event(request, event_id))
    # Signed by hand by the organiser's head: not by whoever downloads the draft.
    document = reports.report_document(report)
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    name = official_filename(document, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("<int:event_id>/report/", report_page, name="report"),
    path("<int:event_id>/report.xlsx", report_xlsx, name="report_xlsx"),
    path("<int:event_id>/report.pdf", report_pdf, name="report_pdf"),
]
