"""The audience picker's htmx endpoint: units of the person's scope found by name, or the branch
below a unit of the tree (`audience_widget.find_units`). It answers a fragment, never a page."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuvien.access import Action, requires, scope_for
from thuvien.organisations.audience_widget import find_units


class AudienceSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    parent = forms.IntegerField(required=False, min_value=1)


@requires(Action.VIEW_UNITS)
@require_GET
def audience_search(request: HttpRequest) -> HttpResponse:
    form = AudienceSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    found = find_units(scope_for(request), query=data.get("q") or "", parent=data.get("parent"))
    context = {"found": found, "branch": data.get("parent") is not None}
    return render(request, "organisations/audience/units.html", context)
