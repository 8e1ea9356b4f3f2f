"""The school's readers: the list (search by name, code or class, without diacritics), a reader's
page with what they hold and have held, a reader added or changed, the start of a school year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.circulation.forms import ReaderForm, StartYearForm
from thuvien.circulation.models import ACTIVE, Hold, Loan, Reader
from thuvien.circulation.services import CirculationError, readers
from thuvien.circulation.views import cards
from thuvien.core.folding import fold
from thuvien.organisations.models import current_school_year

FORM = "circulation/reader_form.html"


@requires(Action.VIEW_CIRCULATION)
@require_GET
def reader_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    query = request.GET.get("q", "").strip()
    rows = Reader.objects.visible_to(scope).select_related("school")
    if query:
        folded = fold(query)
        rows = rows.filter(
            Q(folded_name__contains=folded) | Q(code=query) | Q(class_name__iexact=query)
        )
    if request.GET.get("active") != "all":
        rows = rows.filter(active=True)
    rows = rows.annotate(holding=Count("loans", filter=Q(loans__returned_at__isnull=True)))
    page = Paginator(rows.order_by("school__path", "class_name", "folded_name"), 100).get_page(
        request.GET.get("page")
    )
    school = scope_for(request).school
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "many_schools": scope.is_subtree,
        "can_lend": scope.can(Action.LEND) and school is not None,
        "year_form": StartYearForm(initial={"year": current_school_year()}),
    }
    return render(request, "circulation/reader_list.html", context)


@requires(Action.VIEW_CIRCULATION)
@require_GET
def reader_detail(request: HttpRequest, reader_id: int) -> HttpResponse:
    scope = scope_for(request)
    reader = get_scoped_or_404(Reader.objects.select_related("school"), scope, pk=reader_id)
    loans = Loan.objects.visible_to(scope).filter(reader=reader).select_related("copy__record")
    context = {
        "reader": reader,
        "open_loans": list(loans.open().order_by("due_on", "pk")),
        "past": list(loans.filter(returned_at__isnull=False).order_by("-returned_at")[:200]),
        "reader_holds": list(
            Hold.objects.visible_to(scope)
            .filter(reader=reader, status__in=ACTIVE)
            .select_related("record")
        ),
        "today": timezone.localdate(),
        "can_lend": scope.can(Action.LEND) and scope_for(request).school == reader.school,
    }
    return render(request, "circulation/reader_detail.html", context)


def _save(request: HttpRequest, form: ReaderForm, reader: Reader | None) -> HttpResponse | None:
    school = scope_for(request).school
    if request.method != "POST" or school is None or not form.is_valid():
        return None
    try:
        saved = readers.save_reader(school, reader=reader, **form.cleaned_data)
    except CirculationError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, _("Reader %(reader)s is saved.") % {"reader": saved})
    return redirect("circulation:reader_detail", saved.pk)


@requires(Action.LEND)
@require_http_methods(["GET", "POST"])
def reader_new(request: HttpRequest) -> HttpResponse:
    form = ReaderForm(request.POST or None, initial={"school_year": current_school_year()})
    if scope_for(request).school is None:
        messages.error(request, _("Readers are kept by a school's library staff."))
        return render(request, FORM, {"form": form}, status=403)
    done = _save(request, form, None)
    return done or render(request, FORM, {"form": form}, status=422 if form.is_bound else 200)


@requires(Action.LEND)
@require_http_methods(["GET", "POST"])
def reader_edit(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = get_scoped_or_404(Reader.objects.all(), scope_for(request), Action.LEND, pk=reader_id)
    form = ReaderForm(request.POST or None, initial=ReaderForm.initial_of(reader))
    if scope_for(request).school != reader.school:
        messages.error(request, _("Readers are kept by a school's library staff."))
        return render(request, FORM, {"form": form, "reader": reader}, status=403)
    done = _save(request, form, reader)
    status = 422 if form.is_bound else 200
    return done or render(request, FORM, {"form": form, "reader": reader}, status=status)


@requires(Action.LEND)
@require_POST
def start_year(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    form = StartYearForm(request.POST)
    if school is None:
        messages.error(request, _("Readers are kept by a school's library staff."))
    elif not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        promoted, left = readers.start_school_year(school, **form.cleaned_data)
        messages.success(
            request,
            _(
                "%(promoted)s students moved up a grade; %(left)s who finished the school "
                "were deactivated."
            )
            % {"promoted": promoted, "left": left},
        )
    return redirect("circulation:reader_list")


@requires(Action.LEND)
@require_POST
def reader_pin(request: HttpRequest, reader_id: int) -> HttpResponse:
    """A new PIN for the public catalogue, shown once to be handed to the reader."""
    reader = get_scoped_or_404(Reader.objects.all(), scope_for(request), Action.LEND, pk=reader_id)
    pin = readers.new_pin(reader)
    messages.success(
        request,
        _(
            "The PIN of %(reader)s for the public catalogue is %(pin)s. Give it to the "
            "reader: it is not shown again."
        )
        % {"reader": reader.full_name, "pin": pin},
    )
    return redirect("circulation:reader_detail", reader.pk)


urlpatterns: list[URLPattern] = [
    path("readers/", reader_list, name="reader_list"),
    path("readers/new/", reader_new, name="reader_new"),
    path("readers/start-year/", start_year, name="start_year"),
    path("readers/<int:reader_id>/", reader_detail, name="reader_detail"),
    path("readers/<int:reader_id>/edit/", reader_edit, name="reader_edit"),
    path("readers/<int:reader_id>/pin/", reader_pin, name="reader_pin"),
    path("readers/cards.pdf", cards.cards, name="cards"),
    path("readers/<int:reader_id>/card.pdf", cards.reader_card, name="reader_card"),
]
