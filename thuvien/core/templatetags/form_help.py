"""`{% field_widget field %}`: the field's widget, with `autofocus` on the form's first invalid
field, so that after an error the page (or the htmx partial) opens with the cursor there, in view.
Django adds `aria-invalid="true"` and `aria-describedby="<id>_helptext <id>_error"` itself;
includes/form_fields.html renders the error with that id next to the field."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.utils.safestring import SafeString

register = template.Library()


def first_invalid(form: BaseForm) -> str | None:
    """The name of the form's first visible field with an error, in the order shown."""
    if not form.is_bound or not form.errors:
        return None
    for field in form.visible_fields():
        if field.errors:
            return field.name
    return None


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    attrs: dict[str, Any] = {}
    if field.errors and first_invalid(field.form) == field.name:
        attrs["autofocus"] = True
    return field.as_widget(attrs=attrs)


@register.filter
def focus_on_form_errors(form: BaseForm) -> bool:
    """True when the form has errors but none at a visible field: its error list takes focus."""
    return bool(form.is_bound and form.errors and first_invalid(form) is None)
