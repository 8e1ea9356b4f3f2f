"""The registers and the label sheets of a school's library.

- `/catalogue/registers/`: choose the register (general, individual, textbooks), the period and
  the format; `download/` sends it (PDF or XLSX). A school's own people get their school's; a
  supervisor (office, department) chooses one of the schools in scope.
- `/catalogue/registers/labels/`: choose the copies (a batch, a range of registration numbers or
  a selection of copy ids), the label sheet, the kind of label and the first free position;
  `labels/pdf/` sends the sheets.
Schools, batches and copies are reached through the policy only (`visible_to`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from thuvien.access import Action, Scope, file_response, requires, scope_for
from thuvien.catalogue import labels, registers
from thuvien.catalogue.models import AcquisitionBatch, Copy
from thuvien.core.uploads import CONTENT_TYPES
from thuvien.core.widgets import DateInput
from thuvien.organisations.models import Unit, UnitKind, current_school_year

REGISTERS_PAGE = "catalogue/registers/page.html"
LABELS_PAGE = "catalogue/labels/page.html"
MOST_LABELS = 2000


def _own_school(scope: Scope) -> Unit | None:
    unit = scope.unit
    return unit if unit is not None and unit.is_school else None


def _schools(scope: Scope) -> QuerySet[Unit]:
    return Unit.objects.visible_to(scope).filter(kind=UnitKind.SCHOOL).order_by("name_folded")


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Register"),
        choices=[
            ("general", gettext_lazy("General register (accessions, withdrawals, stocktakes)")),
            ("individual", gettext_lazy("Individual register (SNV, STK, STN)")),
            ("textbook", gettext_lazy("Textbook register (SGK, SGV)")),
        ],
    )
    school: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=None
    )
    start = forms.DateField(label=gettext_lazy("From"), widget=DateInput)
    end = forms.DateField(label=gettext_lazy("To"), widget=DateInput)
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("pdf", "PDF"), ("xlsx", "XLSX")]
    )

    def __init__(self, scope: Scope, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _own_school(scope) is not None:
            del self.fields["school"]
        else:
            field = self.fields["school"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _schools(scope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _register_page(request: HttpRequest, form: RegisterForm, status: int = 200) -> HttpResponse:
    return render(request, REGISTERS_PAGE, {"form": form}, status=status)


@requires(Action.VIEW_CATALOGUE)
@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    year = current_school_year()
    initial = {"start": dt.date(year, 9, 1), "end": timezone.localdate(), "fmt": "pdf"}
    return _register_page(request, RegisterForm(scope_for(request), initial=initial))


@requires(Action.VIEW_CATALOGUE)
@require_GET
def register_download(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = RegisterForm(scope, data=request.GET)
    if not form.is_valid():
        return _register_page(request, form, status=422)
    data = form.cleaned_data
    school = _own_school(scope) or data["school"]
    write = registers.register_pdf if data["fmt"] == "pdf" else registers.register_xlsx
    content = write(data["kind"], school, data["start"], data["end"])
    name = registers.build_name(data["kind"], school, data["start"], data["end"], data["fmt"])
    return file_response(content, name, content_type=CONTENT_TYPES[data["fmt"]])


# --- Labels -------------------------------------------------------------------------------------


class LabelForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("Print"),
        choices=[
            ("batch", gettext_lazy("The copies of an acquisition batch")),
            ("range", gettext_lazy("A range of registration numbers")),
            ("selection", gettext_lazy("The chosen copies")),
        ],
    )
    batch: forms.ModelChoiceField[AcquisitionBatch] = forms.ModelChoiceField(
        label=gettext_lazy("Acquisition batch"),
        queryset=None,
        required=False,
    )
    first = forms.CharField(label=gettext_lazy("From registration number"), required=False)
    last = forms.CharField(label=gettext_lazy("To registration number"), required=False)
    ids = forms.CharField(label=gettext_lazy("Copies (ids, separated by commas)"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Labels"),
        choices=[
            ("barcode", gettext_lazy("Barcode labels")),
            ("spine", gettext_lazy("Spine labels")),
            ("both", gettext_lazy("Both, one after the other")),
        ],
    )
    grid = forms.ChoiceField(
        label=gettext_lazy("Label sheet"),
        choices=[(key, grid.name) for key, grid in labels.PRESETS.items()]
        + [("custom", gettext_lazy("Another sheet (the sizes below)"))],
    )
    columns = forms.IntegerField(
        label=gettext_lazy("Columns"), min_value=1, max_value=20, required=False
    )
    rows = forms.IntegerField(label=gettext_lazy("Rows"), min_value=1, max_value=40, required=False)
    width = forms.FloatField(label=gettext_lazy("Label width (mm)"), required=False)
    height = forms.FloatField(label=gettext_lazy("Label height (mm)"), required=False)
    top = forms.FloatField(label=gettext_lazy("Top margin (mm)"), required=False)
    left = forms.FloatField(label=gettext_lazy("Left margin (mm)"), required=False)
    gap_x = forms.FloatField(label=gettext_lazy("Gap between columns (mm)"), required=False)
    gap_y = forms.FloatField(label=gettext_lazy("Gap between rows (mm)"), required=False)
    start = forms.IntegerField(
        label=gettext_lazy("Start at label No."),
        min_value=1,
        initial=1,
        help_text=gettext_lazy(
            "On a sheet partly used before: the first free label, counted by rows."
        ),
    )

    def __init__(self, scope: Scope, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["batch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AcquisitionBatch.objects.visible_to(scope).order_by(
            "-received_on", "-number"
        )

    def clean_ids(self) -> list[int]:
        text = self.cleaned_data.get("ids") or ""
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Enter the copies' ids as numbers separated by commas."))
        return [int(part) for part in parts]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == "batch" and not data.get("batch"):
            self.add_error("batch", _("Choose the batch."))
        if source == "range" and not (data.get("first") and data.get("last")):
            self.add_error("first", _("Enter the first and the last registration number."))
        if source == "selection" and not data.get("ids"):
            self.add_error("ids", _("Choose at least one copy."))
        if data.get("grid"):
            data["sheet"] = self._grid(data)
        return data

    def _grid(self, data: dict[str, Any]) -> labels.LabelGrid | None:
        if data["grid"] != "custom":
            return labels.PRESETS[data["grid"]]
        needed = ("columns", "rows", "width", "height")
        if any(data.get(name) is None for name in needed):
            self.add_error("grid", _("Enter the columns, rows and the size of the labels."))
            return None
        grid = labels.LabelGrid(
            data["columns"], data["rows"], data["width"], data["height"],
            data.get("top") or 0, data.get("left") or 0, data.get("gap_x") or 0,
            data.get("gap_y") or 0, _("Another sheet"),
        )  # fmt: skip
        for problem in grid.problems():
            self.add_error("grid", problem)
        return grid


def chosen_copies(scope: Scope, data: dict[str, Any]) -> tuple[list[Copy], str]:
    """The copies the form chose, among those the scope sees, in number order (or a problem)."""
    rows = Copy.objects.visible_to(scope).select_related("record", "school")
    if data["source"] == "batch":
        rows = rows.filter(batch=data["batch"])
    elif data["source"] == "selection":
        rows = rows.filter(pk__in=data["ids"])
    else:
        ends = list(rows.filter(registration_number__in=[data["first"], data["last"]])[:3])
        first = next((c for c in ends if c.registration_number == data["first"]), None)
        last = next((c for c in ends if c.registration_number == data["last"]), None)
        if first is None or last is None or len(ends) > 2 or first.sequence_id != last.sequence_id:
            return [], _("Both numbers must be registration numbers of one of your collections.")
        low, high = sorted((first.number, last.number))
        rows = rows.filter(sequence_id=first.sequence_id, number__range=(low, high))
    copies = list(rows.order_by("school_id", "sequence_id", "number")[: MOST_LABELS + 1])
    if not copies:
        return [], _("No copy of yours matches this choice.")
    if len(copies) > MOST_LABELS:
        return [], _("Print at most 2,000 copies at a time.")
    return copies, ""


@requires(Action.CATALOGUE)
@require_GET
def label_page(request: HttpRequest) -> HttpResponse:
    form = LabelForm(scope_for(request), initial={"start": 1, "kind": "barcode", "grid": "a4-65"})
    return render(request, LABELS_PAGE, {"form": form})


@requires(Action.CATALOGUE)
@require_GET
def labels_download(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = LabelForm(scope, data=request.GET)
    copies: list[Copy] = []
    if form.is_valid():
        copies, problem = chosen_copies(scope, form.cleaned_data)
        if problem:
            form.add_error(None, problem)
    if not copies:
        return render(request, LABELS_PAGE, {"form": form}, status=422)
    data = form.cleaned_data
    shown = [labels.as_label(copy, copy.school.name) for copy in copies]
    content = labels.labels_pdf(shown, grid=data["sheet"], kind=data["kind"], start=data["start"])
    name = f"nhan-{data['kind']}-{copies[0].registration_number}.pdf"
    return file_response(content, name, content_type=CONTENT_TYPES["pdf"])


urlpatterns: list[URLPattern] = [
    path("", register_page, name="registers"),
    path("download/", register_download, name="register_download"),
    path("labels/", label_page, name="labels"),
    path("labels/pdf/", labels_download, name="labels_pdf"),
]
