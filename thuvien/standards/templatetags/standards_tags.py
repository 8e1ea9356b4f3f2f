"""Template helpers of the standards pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_count(counts: Mapping[str, Any], key: str) -> Any:
    """`counts[key]`, 0 when absent (a Counter of schools per level)."""
    return counts.get(key, 0)
