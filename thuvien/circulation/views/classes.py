"""A class at the desk: its students (ticked off one by one as copies are scanned), what the
class still holds, a class set lent in one action and taken back together."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, requires, scope_for
from thuvien.catalogue.models import Record
from thuvien.circulation.models import Reader, ReaderKind
from thuvien.circulation.services import CirculationError, class_sets


def _back(class_name: str) -> HttpResponse:
    return redirect(f"{_url()}?{urlencode({'class': class_name})}")


def _url() -> str:
    from django.urls import reverse

    return reverse("circulation:class_desk")


@requires(Action.LEND)
@require_GET
def class_desk(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    class_name = request.GET.get("class", "").strip()[:20]
    context: dict[str, Any] = {"school": school, "class_name": class_name}
    if school is None:
        return render(request, "circulation/class_desk.html", context, status=403)
    students = Reader.objects.visible_to(scope_for(request)).filter(
        school=school, kind=ReaderKind.STUDENT, active=True
    )
    context["classes"] = sorted(
        set(students.exclude(class_name="").values_list("class_name", flat=True))
    )
    if class_name:
        context["students"] = list(
            students.filter(class_name=class_name)
            .annotate(holding=Count("loans", filter=Q(loans__returned_at__isnull=True)))
            .order_by("folded_name", "code")
        )
        context["holdings"] = class_sets.class_holdings(school, class_name)
    return render(request, "circulation/class_desk.html", context)


@requires(Action.LEND)
@require_POST
def class_lend(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    class_name = request.POST.get("class", "").strip()[:20]
    if school is None:
        messages.error(request, _("The loan desk is a school's: choose your school's role."))
        return redirect("circulation:class_desk")
    try:
        record = class_sets.title_of(school, request.POST.get("title_code", ""))
        result = class_sets.lend_class_set(school, record, class_name, by=request.user)
    except CirculationError as error:
        messages.error(request, str(error))
        return _back(class_name)
    if result.lent:
        messages.success(
            request,
            _("%(n)s copies of %(title)s lent to class %(class)s.")
            % {"n": result.lent, "title": record.title, "class": class_name},
        )
    else:
        messages.info(
            request,
            _("Every student of class %(class)s holds %(title)s already: nothing lent.")
            % {"class": class_name, "title": record.title},
        )
    return _back(class_name)


@requires(Action.LEND)
@require_POST
def class_return(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    class_name = request.POST.get("class", "").strip()[:20]
    if school is None:
        messages.error(request, _("The loan desk is a school's: choose your school's role."))
        return redirect("circulation:class_desk")
    wanted = request.POST.get("record", "")
    rows = Record.objects.visible_to(scope_for(request))
    record = rows.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    if record is None:
        messages.error(request, _("Choose the title the class brings back."))
        return _back(class_name)
    count = class_sets.return_class_set(school, record, class_name, by=request.user)
    messages.success(
        request,
        _("%(n)s copies of %(title)s taken back from class %(class)s.")
        % {"n": count, "title": record.title, "class": class_name},
    )
    return _back(class_name)


urlpatterns: list[URLPattern] = [
    path("classes/", class_desk, name="class_desk"),
    path("classes/lend/", class_lend, name="class_lend"),
    path("classes/return/", class_return, name="class_return"),
]
