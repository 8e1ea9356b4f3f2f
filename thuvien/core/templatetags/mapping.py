"""A value of a dict by key in a template: `{{ counts|get_item:record.pk }}`."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if not hasattr(mapping, "get"):
        return None
    value = mapping.get(key)
    if value is None and isinstance(key, str) and key.isdigit():
        value = mapping.get(int(key))
    return value
