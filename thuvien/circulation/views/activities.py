"""Reading-promotion activities (with photos) and the day's on-site reading count."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuvien.access import Action, requires, scope_for, scoped_file
from thuvien.circulation.models import ActivityPhoto, OnSiteReading, ReadingActivity
from thuvien.circulation.services import CirculationError, activities
from thuvien.core.widgets import DateInput


class ActivityForm(forms.ModelForm[ReadingActivity]):
    class Meta:
        model = ReadingActivity
        fields = ["kind", "title", "held_on", "participants", "classes", "description"]
        widgets = {"held_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}


class OnSiteForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=DateInput)
    readers = forms.IntegerField(label=gettext_lazy("Readers"), min_value=1, max_value=2000)
    class_name = forms.CharField(
        label=gettext_lazy("Class (optional)"), max_length=20, required=False
    )


def _context(request: HttpRequest, form: ActivityForm | None = None) -> dict[str, object]:
    scope = scope_for(request)
    school = scope_for(request).school
    today = timezone.localdate()
    return {
        "activities": list(
            ReadingActivity.objects.visible_to(scope)
            .select_related("school")
            .prefetch_related("photos")[:100]
        ),
        "on_site": list(
            OnSiteReading.objects.visible_to(scope).filter(day__gte=today.replace(day=1))[:62]
        ),
        "form": form or ActivityForm(initial={"held_on": today}),
        "on_site_form": OnSiteForm(initial={"day": today, "readers": 1}),
        "can_edit": scope.can(Action.LEND) and school is not None,
        "many_schools": scope.is_subtree,
    }


@requires(Action.VIEW_CIRCULATION)
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    return render(request, "circulation/activity_list.html", _context(request))


@requires(Action.LEND)
@require_http_methods(["POST"])
def activity_add(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    form = ActivityForm(request.POST)
    if school is not None and form.is_valid():
        try:
            activities.record_activity(
                school, by=request.user, photos=request.FILES.getlist("photos"),
                **form.cleaned_data,
            )  # fmt: skip
            messages.success(request, _("The activity is recorded."))
            return redirect("circulation:activity_list")
        except CirculationError as error:
            form.add_error(None, str(error))
    if school is None:
        form.add_error(None, _("Activities are recorded by a school's library staff."))
    return render(request, "circulation/activity_list.html", _context(request, form), status=422)


@requires(Action.LEND)
@require_POST
def on_site_add(request: HttpRequest) -> HttpResponse:
    school = scope_for(request).school
    form = OnSiteForm(request.POST)
    if school is None or not form.is_valid():
        messages.error(request, _("Give the day and how many read in the library (1 to 2,000)."))
        return redirect("circulation:activity_list")
    try:
        total = activities.add_on_site(school, **form.cleaned_data)
        messages.success(
            request,
            _("On-site reading on %(day)s: %(n)s readers.")
            % {"day": f"{form.cleaned_data['day']:%d/%m/%Y}", "n": total},
        )
    except CirculationError as error:
        messages.error(request, str(error))
    return redirect("circulation:activity_list")


@requires(Action.VIEW_CIRCULATION)
@require_GET
def activity_photo(request: HttpRequest, activity_photo_id: int) -> HttpResponse:
    return scoped_file(
        request,
        ActivityPhoto.objects.all(),
        lambda photo: (photo.image, (photo.image.name or "anh").rsplit("/", 1)[-1]),
        pk=activity_photo_id,
    )


urlpatterns: list[URLPattern] = [
    path("activities/", activity_list, name="activity_list"),
    path("activities/new/", activity_add, name="activity_add"),
    path("activities/on-site/", on_site_add, name="on_site_add"),
    path("activities/photos/<int:activity_photo_id>/", activity_photo, name="activity_photo"),
]
