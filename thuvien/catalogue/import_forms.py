"""The forms of the catalogue's imports: the MARC file, and the column mapping of a spreadsheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.catalogue.spreadsheet import FIELD_KEYS, FIELD_LABELS, check_mapping


def marc_max_bytes() -> int:
    return int(getattr(settings, "MARC_IMPORT_MAX_BYTES", 200 * 1024 * 1024))


class MarcFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("MARC file"),
        help_text=gettext_lazy("MARC21 in ISO 2709 (.mrc, .iso, .dat) or MARCXML (.xml)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".mrc,.iso,.dat,.marc,.xml"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > marc_max_bytes():
            raise forms.ValidationError(
                _("The file is too large: at most %(size)d MB.")
                % {"size": marc_max_bytes() // 2**20}
            )
        return upload


class MappingForm(forms.Form):
    """One select a header of the file: which of our fields its column holds."""

    def __init__(self, headers: list[str], mapping: dict[str, str], *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.headers = [header for header in headers if header]
        choices = [("", _("— not imported —"))] + [(k, FIELD_LABELS[k]) for k in FIELD_KEYS]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.mapping = {
            header: cleaned.get(f"column_{index}", "") for index, header in enumerate(self.headers)
        }
        for problem in check_mapping(self.mapping):
            self.add_error(None, problem)
        return cleaned
