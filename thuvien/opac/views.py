"""The public catalogue's pages: the search (one school's or the province's), a record with
where its copies are and whether one is free, the reader's login (code and PIN), their loans
(renew) and holds (place, cancel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.catalogue.models import DocType
from thuvien.circulation.services import CirculationError, desk, holds
from thuvien.opac import accounts, search
from thuvien.organisations.models import Unit


def _library(library_id: int) -> Unit:
    unit = search.library_of(library_id)
    if unit is None:
        raise Http404
    return unit


def _base(request: HttpRequest, library: Unit) -> dict[str, Any]:
    return {"library": library, "reader": accounts.reader_of(request)}


@require_GET
def opac_home(request: HttpRequest) -> HttpResponse:
    """The province's catalogue (a deployment serves one province), or a reader's school's."""
    reader = accounts.reader_of(request)
    if reader is not None:
        return redirect("opac:library", reader.school_id)
    department = search.default_library()
    if department is None:
        raise Http404
    return redirect("opac:library", department.pk)


@require_GET
def library_page(request: HttpRequest, library_id: int) -> HttpResponse:
    library = _library(library_id)
    query = request.GET.get("q", "").strip()[:200]
    filters = {
        name: request.GET.get(name, "").strip()[:100] for name in (*search.FACETS, "available")
    }
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    context = _base(request, library)
    if query or any(filters.values()):
        context["results"] = search.search(library, query, filters=filters, page=page)
    else:
        context["new"] = search.new_acquisitions(library)
    context.update(query=query, filters=filters, doc_types=dict(DocType.choices))
    return render(request, "opac/library.html", context)


@require_GET
def record_page(request: HttpRequest, library_id: int, record_id: int) -> HttpResponse:
    library = _library(library_id)
    record = search.public_record(record_id)
    if record is None:
        raise Http404
    here, elsewhere = search.holdings(library, record)
    if not here and not elsewhere:
        raise Http404
    context = _base(request, library)
    reader = context["reader"]
    context.update(
        record=record,
        here=here,
        elsewhere=elsewhere,
        doc_types=dict(DocType.choices),
        can_hold=reader is not None
        and any(h.school.pk == reader.school_id for h in [*here, *elsewhere]),
    )
    return render(request, "opac/record.html", context)


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest, library_id: int) -> HttpResponse:
    library = _library(library_id)
    context = _base(request, library)
    if not library.is_school:
        # At the province's catalogue a reader first finds their school.
        name = request.GET.get("school", "").strip()[:100]
        if name:
            context["schools"] = search.schools_named(library, name)
        context["school_query"] = name
        return render(request, "opac/login.html", context)
    if request.method == "POST":
        try:
            accounts.log_in(
                request, library, request.POST.get("code", ""), request.POST.get("pin", "")
            )
        except CirculationError as error:
            context["error"] = str(error)
            context["code"] = request.POST.get("code", "")[:30]
            return render(request, "opac/login.html", context, status=422)
        return redirect("opac:account")
    return render(request, "opac/login.html", context)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    accounts.log_out(request)
    return redirect("opac:home")


@require_GET
def account_page(request: HttpRequest) -> HttpResponse:
    reader = accounts.reader_of(request)
    if reader is None:
        return redirect("opac:home")
    context = _base(request, reader.school)
    context.update(
        loans=accounts.own_loans(reader),
        holds=[(hold, holds.queue_position(hold)) for hold in accounts.own_holds(reader)],
        today=timezone.localdate(),
    )
    return render(request, "opac/account.html", context)


@require_POST
def renew_page(request: HttpRequest, loan_id: int) -> HttpResponse:
    reader = accounts.reader_of(request)
    loan = accounts.own_open_loan(reader, loan_id)
    if loan is None:
        raise Http404
    try:
        desk.renew(loan, by=None)
        messages.success(
            request,
            _("Renewed: %(title)s, due on %(due)s.")
            % {"title": loan.copy.record.title, "due": f"{loan.due_on:%d/%m/%Y}"},
        )
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("opac:account")


@require_POST
def hold_page(request: HttpRequest, library_id: int, record_id: int) -> HttpResponse:
    _library(library_id)
    reader = accounts.reader_of(request)
    record = search.public_record(record_id)
    if reader is None or record is None:
        raise Http404
    try:
        hold = holds.place_hold(reader.school, reader, record)
        messages.success(
            request,
            _("%(title)s is on hold for you: number %(place)s in the queue.")
            % {"title": record.title, "place": holds.queue_position(hold)},
        )
    except CirculationError as error:
        messages.error(request, str(error))
        return redirect("opac:record", library_id, record_id)
    return redirect("opac:account")


@require_POST
def cancel_hold_page(request: HttpRequest, hold_id: int) -> HttpResponse:
    reader = accounts.reader_of(request)
    hold = accounts.own_hold(reader, hold_id)
    if hold is None:
        raise Http404
    try:
        holds.cancel_hold(hold)
        messages.success(
            request, _("The hold on %(title)s is cancelled.") % {"title": hold.record.title}
        )
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("opac:account")


urlpatterns: list[URLPattern] = [
    path("", opac_home, name="home"),
    path("account/", account_page, name="account"),
    path("logout/", logout_page, name="logout"),
    path("loans/<int:loan_id>/renew/", renew_page, name="renew"),
    path("holds/<int:hold_id>/cancel/", cancel_hold_page, name="cancel_hold"),
    path("<int:library_id>/", library_page, name="library"),
    path("<int:library_id>/login/", login_page, name="login"),
    path("<int:library_id>/records/<int:record_id>/", record_page, name="record"),
    path("<int:library_id>/records/<int:record_id>/hold/", hold_page, name="hold"),
]
