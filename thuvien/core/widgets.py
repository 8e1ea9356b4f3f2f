"""Form widgets every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 (`2025-09-05`), whatever the
    language of the page."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MoneyField(forms.IntegerField):
    """An amount in đồng as people type it: "1.500.000", "1 500 000", "1,500,000 đ" or
    "1500000" (Django's own parsing drops group separators only with USE_THOUSAND_SEPARATOR,
    which stays off: `thuvien.formats.vi`)."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip().removesuffix("đ").removesuffix("VND").strip()
            if value and all(
                part.isdigit() for part in value.replace(",", ".").replace(" ", ".").split(".")
            ):
                value = value.replace(".", "").replace(",", "").replace(" ", "")
        return super().to_python(value)
