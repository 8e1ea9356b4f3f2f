"""The confirmation that goes with sending a school package or an office report while someone has
not submitted (see `services.sending`): the ids of the people or schools the page listed, and a
box the sender must tick. It works without JavaScript: the names are on the page, above the box
and the button; the service refuses when the list changed since."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class IdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            return [int(v) for v in values]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Reload the page and confirm again.")) from None


class ConfirmMissingForm(forms.Form):
    missing = IdsField(required=False)
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm, or wait for them.")},
    )

    def __init__(self, *args: Any, label: str, missing: list[int], **kwargs: Any) -> None:
        kwargs["initial"] = {"missing": missing}
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label

    def confirmed(self) -> list[int]:
        return list(self.cleaned_data["missing"])
