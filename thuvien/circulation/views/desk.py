"""The loan desk: scan a reader card, then copies; return by scanning the copy alone; renew.

The page queues every scan in the browser (static/thuvien/js/desk.js) and sends them one by one
to `desk_scan`, each with a key of its own: a scan sent again after a time-out or a dropped
connection is answered as done, never done twice. `desk_scan` answers JSON: 200 done (or done
before), 422 refused with the message to show; anything else the page retries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, file_response, get_scoped_or_404, requires, scope_for
from thuvien.circulation.models import Loan, Reader
from thuvien.circulation.services import CirculationError, desk, notices

DESK = "circulation/desk.html"


def _refused(message: str, status: int = 422) -> JsonResponse:
    return JsonResponse({"state": "refused", "message": message}, status=status)


@requires(Action.LEND)
@require_GET
def desk_page(request: HttpRequest) -> HttpResponse:
    """Lend (`?reader=` the card scanned: the reader and what they hold) or return (`?mode=in`)."""
    school = scope_for(request).school
    code = request.GET.get("reader", "").strip()[:30]
    context: dict[str, Any] = {
        "school": school,
        "mode": "in" if request.GET.get("mode") == "in" else "out",
        "reader_code": code,
        "today": timezone.localdate(),
    }
    if school is None:
        return render(request, DESK, context, status=403)
    if code:
        try:
            reader = desk.find_reader(school, code)
            context.update(reader=reader, loans=desk.open_loans(reader))
        except CirculationError as error:
            context["error"] = str(error)
    return render(request, DESK, context)


@requires(Action.LEND)
@require_POST
def desk_scan(request: HttpRequest) -> JsonResponse:
    school = scope_for(request).school
    if school is None:
        return _refused(_("The loan desk is a school's: choose your school's role."), 403)
    barcode = request.POST.get("barcode", "").strip()
    key = request.POST.get("key", "").strip()
    if not barcode:
        return _refused(_("Scan or type the copy's barcode."))
    try:
        if request.POST.get("mode") == "in":
            outcome = desk.check_in(school, barcode, by=request.user, key=key)
        else:
            reader = desk.find_reader(school, request.POST.get("reader", ""))
            outcome = desk.check_out(school, reader, barcode, by=request.user, key=key)
    except CirculationError as error:
        return _refused(str(error))
    answer = outcome.as_dict()
    answer["due"] = f"{outcome.loan.due_on:%d/%m/%Y}"  # shown as it is in the page's table
    return JsonResponse(answer)


@requires(Action.LEND)
@require_POST
def loan_renew(request: HttpRequest, loan_id: int) -> HttpResponse:
    rows = Loan.objects.select_related("copy__record", "copy__collection", "reader", "school")
    loan = get_scoped_or_404(rows, scope_for(request), Action.LEND, pk=loan_id)
    try:
        desk.renew(loan, by=request.user)
        messages.success(
            request,
            _("Renewed: %(title)s, due on %(due)s.")
            % {"title": loan.copy.record.title, "due": loan.due_on.strftime("%d/%m/%Y")},
        )
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("circulation:reader_detail", loan.reader_id)


@requires(Action.LEND)
@require_POST
def reader_renew_all(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = get_scoped_or_404(Reader.objects.all(), scope_for(request), Action.LEND, pk=reader_id)
    done, refused = desk.renew_all(reader, by=request.user)
    if done:
        messages.success(request, _("%(n)s loans renewed.") % {"n": done})
    for message in refused:
        messages.warning(request, message)
    if not done and not refused:
        messages.info(request, _("This reader holds nothing to renew."))
    return redirect("circulation:reader_detail", reader.pk)


@requires(Action.VIEW_CIRCULATION)
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    loans = (
        Loan.objects.visible_to(scope_for(request))
        .overdue(today)
        .select_related("copy__record", "reader", "school")
        .order_by("due_on", "reader__class_name", "reader__folded_name")
    )
    rows = [(loan, (today - loan.due_on).days) for loan in loans[:500]]
    context = {"rows": rows, "today": today, "many_schools": scope_for(request).is_subtree}
    return render(request, "circulation/overdue_list.html", context)


@requires(Action.VIEW_CIRCULATION)
@require_GET
def overdue_slips(request: HttpRequest) -> HttpResponse:
    """The overdue notices as slips to print, class by class (readers without an account)."""
    today = timezone.localdate()
    loans = list(
        Loan.objects.visible_to(scope_for(request))
        .overdue(today)
        .select_related("copy__record", "reader", "school")[:2000]
    )
    school = scope_for(request).school
    name = school.name if school is not None else ""
    pdf = notices.notice_slips_pdf(loans, school_name=name, today=today)
    return file_response(pdf, f"phieu-nhac-tra-sach-{today:%Y%m%d}.pdf")


@requires(Action.LEND)
@require_POST
def loan_end(request: HttpRequest, loan_id: int) -> HttpResponse:
    """A copy lost by its reader, or returned damaged, with the cost asked of the reader."""
    rows = Loan.objects.select_related("copy__record", "reader")
    loan = get_scoped_or_404(rows, scope_for(request), Action.LEND, pk=loan_id)
    cost_text = request.POST.get("replacement_vnd", "").replace(".", "").replace(",", "").strip()
    cost = int(cost_text) if cost_text.isdigit() else None
    how = desk.mark_lost if request.POST.get("how") == "lost" else desk.return_damaged
    try:
        ended = how(loan, by=request.user, replacement_vnd=cost)
        messages.success(
            request,
            _("%(title)s: %(how)s, %(cost)s VND to pay.")
            % {
                "title": loan.copy.record.title,
                "how": ended.get_ended_display(),
                "cost": f"{ended.replacement_vnd or 0:,}".replace(",", "."),
            },
        )
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("circulation:reader_detail", loan.reader_id)


urlpatterns: list[URLPattern] = [
    path("desk/", desk_page, name="desk"),
    path("desk/scan/", desk_scan, name="desk_scan"),
    path("loans/<int:loan_id>/renew/", loan_renew, name="loan_renew"),
    path("readers/<int:reader_id>/renew/", reader_renew_all, name="reader_renew_all"),
    path("overdue/", overdue_list, name="overdue_list"),
    path("overdue/slips.pdf", overdue_slips, name="overdue_slips"),
    path("loans/<int:loan_id>/end/", loan_end, name="loan_end"),
]
