"""The office's side (and the department's, for the schools it supervises directly): its schools'
status, a school's package (return, accept), the aggregate report (narrative, figures, PDF, DOCX,
XLSX, submit or finalise), and for the department the offices' reports (return, accept).

Who reaches what is the models' declared policy: a package is seen through the school's scope or
by the unit it was SENT TO (a school that moved to another office after sending stays reachable
by the office that received its package); only the unit a package or report was sent to reviews it
(REVIEW_PACKAGES), and only the unit that writes a report sends it (WRITE_REPORTS): 403 for
anyone else who can see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import (
    Action,
    allows,
    file_response,
    get_scoped_or_404,
    requires,
    scope_for,
)
from thuvien.core.htmx import render_page_or_partial
from thuvien.core.spreadsheets import xlsx_response
from thuvien.documents import official_filename, render_docx, render_pdf
from thuvien.organisations.models import Unit
from thuvien.training import record_queries, report_documents, services
from thuvien.training.figures import unit_figures
from thuvien.training.forms import UnitReportForm
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    PackageStatus,
    SchoolPackage,
    UnitReport,
    UnitReportStatus,
)
from thuvien.training.record_forms import CommentForm
from thuvien.training.sending_forms import ConfirmMissingForm
from thuvien.training.services import reports, sending

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _unit(request: HttpRequest) -> Unit:
    """The office or department of the active scope (supervising roles only reach here)."""
    unit = scope_for(request).unit
    if unit is None or not unit.is_supervising:
        raise Http404
    return unit


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    _unit(request)
    rows = Campaign.objects.exclude(status=CampaignStatus.DRAFT).select_related("issuer", "target")
    return get_scoped_or_404(rows, scope_for(request), pk=campaign_id)


def _package(request: HttpRequest, package_id: int, action: Action | None = None) -> SchoolPackage:
    """A package of a school in scope, or sent to a unit in scope (the package's policy)."""
    _unit(request)
    rows = SchoolPackage.objects.select_related(
        "campaign", "school", "submitted_to", "submitted_by"
    )
    return get_scoped_or_404(rows, scope_for(request), action, pk=package_id)


def _report(request: HttpRequest, report_id: int, action: Action | None = None) -> UnitReport:
    _unit(request)
    rows = UnitReport.objects.select_related("campaign__issuer", "unit", "submitted_to", "signer")
    return get_scoped_or_404(rows, scope_for(request), action, pk=report_id)


@requires(Action.REVIEW_PACKAGES)
@require_GET
def office_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, unit = _campaign(request, campaign_id), _unit(request)
    received = UnitReport.objects.visible_to(scope_for(request)).filter(
        campaign=campaign, submitted_to=unit
    )
    context = {
        "campaign": campaign,
        "unit": unit,
        "figures": unit_figures(campaign, unit, province=False),
        "received": received.select_related("unit").order_by("unit__name"),
    }
    return render_page_or_partial(request, "training/office_page.html", "schools", context)


def _package_page(request: HttpRequest, package: SchoolPackage, form: Any = None) -> HttpResponse:
    # The package is in reach (above): its people are read with it, even for a school moved away.
    people = list(record_queries.package_records(package).order_by("left_on", "user__full_name"))
    context = {
        "package": package,
        "campaign": package.campaign,
        "people": people,
        # Sent with these listed as not submitted (past their deadline, confirmed by the school).
        "not_submitted": [p for p in people if p.left_on is None and not p.handed_in],
        "can_review": package.status == PackageStatus.SUBMITTED
        and allows(scope_for(request), Action.REVIEW_PACKAGES, package),
        "return_form": form or CommentForm(),
    }
    return render(request, "training/package_detail.html", context, status=422 if form else 200)


@requires(Action.REVIEW_PACKAGES)
@require_GET
def package_detail(request: HttpRequest, package_id: int) -> HttpResponse:
    return _package_page(request, _package(request, package_id))


_DETAIL = {SchoolPackage: "training:package_detail", UnitReport: "training:report_detail"}


def _return(
    request: HttpRequest,
    row: SchoolPackage | UnitReport,
    act: Callable[..., object],
    done: str,
    page: Callable[[HttpRequest, Any, Any], HttpResponse],
) -> HttpResponse:
    """Send a package or report back with the reviewer's comment (`row` was fetched for
    REVIEW_PACKAGES: only the unit it was sent to)."""
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            act(row, by=request.user, comment=form.cleaned_data["comment"])
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(_DETAIL[type(row)], row.pk)
    return page(request, row, form)


def _accept(
    request: HttpRequest, row: SchoolPackage | UnitReport, act: Callable[..., object], done: str
) -> HttpResponse:
    try:
        act(row, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_DETAIL[type(row)], row.pk)


@requires(Action.REVIEW_PACKAGES)
@require_POST
def package_return(request: HttpRequest, package_id: int) -> HttpResponse:
    done = _("The package was returned to the school.")
    package = _package(request, package_id, Action.REVIEW_PACKAGES)
    return _return(request, package, services.return_school_package, done, _package_page)


@requires(Action.REVIEW_PACKAGES)
@require_POST
def package_accept(request: HttpRequest, package_id: int) -> HttpResponse:
    package = _package(request, package_id, Action.REVIEW_PACKAGES)
    return _accept(request, package, services.accept_school_package, _("The package was accepted."))


def _confirm_form(
    unsent: list[Unit], data: Any = None, *, final: bool = False
) -> ConfirmMissingForm | None:
    """The box to tick when the report goes while schools have not sent their package (or, for
    the issuer's own report, offices and schools have not sent theirs)."""
    if not unsent:
        return None
    if final:
        label = ngettext(
            "I confirm: finalise the report without this unit's.",
            "I confirm: finalise the report without those of these %(count)d units.",
            len(unsent),
        ) % {"count": len(unsent)}
    else:
        label = ngettext(
            "I confirm: send the report without this school's package.",
            "I confirm: send the report without the packages of these %(count)d schools.",
            len(unsent),
        ) % {"count": len(unsent)}
    ids = [school.pk for school in unsent]
    return ConfirmMissingForm(data, label=label, missing=ids, prefix="send")


def _report_page(
    request: HttpRequest,
    campaign: Campaign,
    unit: Unit,
    form: UnitReportForm | None = None,
    confirm: ConfirmMissingForm | None = None,
) -> HttpResponse:
    report = UnitReport.objects.visible_to(scope_for(request)).filter(campaign=campaign, unit=unit)
    current = report.select_related("submitted_to").first()
    initial = {f: getattr(current, f) for f in UnitReportForm.base_fields} if current else {}
    if current is not None:
        initial["signatory"] = current.signer_id
    figures = unit_figures(campaign, unit)
    final_kind = unit.pk == campaign.issuer_id
    # Who has not sent, named above the button (the service's own list): the schools, or for the
    # issuer's own report the offices and the schools directly under it.
    unsent = sending.not_sent_to_issuer(figures) if final_kind else sending.unsent_schools(figures)
    context = {
        "campaign": campaign,
        "unit": unit,
        "report": current,
        "is_final_kind": final_kind,
        "editable": current is None or current.status in reports.EDITABLE,
        "form": form or UnitReportForm(initial=initial, unit=unit),
        "figures": figures,
        "unsent": unsent,
        "confirm_form": confirm or _confirm_form(unsent, final=final_kind),
    }
    status = 422 if form or confirm else 200
    return render(request, "training/unit_report_page.html", context, status=status)


@requires(Action.WRITE_REPORTS)
@require_http_methods(["GET", "POST"])
def unit_report(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, unit = _campaign(request, campaign_id), _unit(request)
    if request.method == "GET":
        return _report_page(request, campaign, unit)
    form = UnitReportForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            reports.prepare_unit_report(campaign, unit, by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report was saved."))
            return redirect("training:unit_report", campaign.pk)
    return _report_page(request, campaign, unit, form)


@requires(Action.WRITE_REPORTS)
@require_POST
def unit_report_send(request: HttpRequest, report_id: int) -> HttpResponse:
    """Submit to the supervisor, or finalise the issuer's own report."""
    report = _report(request, report_id, Action.WRITE_REPORTS)
    campaign, unit, today = report.campaign, report.unit, timezone.localdate()
    final = report.unit_id == campaign.issuer_id
    missing = sending.final_not_sent if final else sending.schools_not_sent
    confirm = _confirm_form(missing(campaign, unit, today), request.POST, final=final)
    confirmed = confirm.confirmed() if confirm and confirm.is_valid() else []
    send = reports.finalise_province_report if final else reports.submit_unit_report
    try:
        send(report, by=request.user, not_sent=confirmed)
    except sending.Unconfirmed as error:
        if confirm is not None and confirm.errors:  # the box not ticked: say so at the box
            return _report_page(request, report.campaign, report.unit, confirm=confirm)
        messages.error(request, str(error))  # the list changed: the page shows the new one
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        sent = _("The report was sent to %(unit)s.") % {"unit": report.submitted_to}
        messages.success(request, _("The report is final.") if final else sent)
    return redirect("training:unit_report", report.campaign_id)


@requires(Action.REVIEW_PACKAGES)
@require_GET
def report_download(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report = _report(request, report_id)
    figures = unit_figures(report.campaign, report.unit)
    signer = report_documents.signer_name(report, request.user)
    document = report_documents.unit_report_document(
        report, figures, signer=signer, signatory=report.signer
    )
    filename = official_filename(document, fmt)
    sent = getattr(report, f"sent_{fmt}")
    if sent and report.status not in (UnitReportStatus.DRAFT, UnitReportStatus.RETURNED):
        return file_response(sent, filename)  # as it was sent, not today's figures
    if fmt == "xlsx":
        return xlsx_response(report_documents.workbook(figures), filename)
    content = render_pdf(document) if fmt == "pdf" else render_docx(document)
    return file_response(content, filename, content_type=CONTENT_TYPES[fmt])


def _detail_page(request: HttpRequest, report: UnitReport, form: Any = None) -> HttpResponse:
    context = {
        "report": report,
        "campaign": report.campaign,
        "can_review": report.status == UnitReportStatus.SUBMITTED
        and allows(scope_for(request), Action.REVIEW_PACKAGES, report),
        "return_form": form or CommentForm(),
        "figures": unit_figures(report.campaign, report.unit),
    }
    return render(request, "training/unit_report_detail.html", context, status=422 if form else 200)


@requires(Action.REVIEW_PACKAGES)
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _detail_page(request, _report(request, report_id))


@requires(Action.REVIEW_PACKAGES)
@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, Action.REVIEW_PACKAGES)
    done = _("The report was returned to %(unit)s.") % {"unit": report.unit}
    return _return(request, report, reports.return_unit_report, done, _detail_page)


@requires(Action.REVIEW_PACKAGES)
@require_POST
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, Action.REVIEW_PACKAGES)
    return _accept(request, report, reports.accept_unit_report, _("The report was accepted."))


urlpatterns: list[URLPattern] = [
    path("campaigns/<int:campaign_id>/office/", office_page, name="office_page"),
    path("campaigns/<int:campaign_id>/report/", unit_report, name="unit_report"),
    path("packages/<int:package_id>/", package_detail, name="package_detail"),
    path("packages/<int:package_id>/return/", package_return, name="package_return"),
    path("packages/<int:package_id>/accept/", package_accept, name="package_accept"),
    path("reports/<int:report_id>/", report_detail, name="report_detail"),
    path("reports/<int:report_id>/send/", unit_report_send, name="unit_report_send"),
    path("reports/<int:report_id>/return/", report_return, name="report_return"),
    path("reports/<int:report_id>/accept/", report_accept, name="report_accept"),
    *(
        path(f"reports/<int:report_id>/report.{fmt}", report_download, {"fmt": fmt},
             name=f"unit_report_{fmt}")
        for fmt in ("pdf", "docx", "xlsx")
    ),
]  # fmt: skip
