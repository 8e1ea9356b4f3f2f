"""The event report: attendance by school and office, feedback, schools that sent nobody — on
screen, as XLSX and as an official BÁO CÁO (PDF), for the organiser and the department
(`Action.REPORT_EVENTS` on `Event.policy`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from thuvien.access import Action, file_response, get_scoped_or_404, requires, scope_for
from thuvien.core.htmx import render_page_or_partial
from thuvien.documents import official_filename, render_pdf
from thuvien.events import reports
from thuvien.events.models import Event


def reporting_event(request: HttpRequest, event_id: int) -> Event:
    """The event, for its organisers and the department's roles; 404 outside the scope, 403 for
    others who see it (an office, a school)."""
    rows = Event.objects.select_related("organiser", "target")
    return get_scoped_or_404(rows, scope_for(request), Action.REPORT_EVENTS, pk=event_id)


def _report(request: HttpRequest, event_id: int) -> reports.EventReport:
    return reports.event_report(reporting_event(request, event_id), scope_for(request))


@requires(Action.VIEW_EVENTS)
@require_GET
def report_page(request: HttpRequest, event_id: int) -> HttpResponse:
    report = _report(request, event_id)
    context = {"event": report.event, "report": report}
    return render_page_or_partial(request, "events/report_page.html", "figures", context)


@requires(Action.VIEW_EVENTS)
@require_GET
def report_xlsx(request: HttpRequest, event_id: int) -> HttpResponse:
    workbook = reports.report_workbook(_report(request, event_id))
    return file_response(workbook, f"bao-cao-su-kien-{event_id}.xlsx")


@requires(Action.VIEW_EVENTS)
@require_GET
def report_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    # Signed by hand by the organiser's head: not by whoever downloads the draft.
    document = reports.report_document(_report(request, event_id))
    return file_response(render_pdf(document), official_filename(document, "pdf"))


urlpatterns: list[URLPattern] = [
    path("<int:event_id>/report/", report_page, name="report"),
    path("<int:event_id>/report.xlsx", report_xlsx, name="report_xlsx"),
    path("<int:event_id>/report.pdf", report_pdf, name="report_pdf"),
]
