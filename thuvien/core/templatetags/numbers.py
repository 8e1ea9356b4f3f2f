"""Numbers written the way the page's language writes them: `{{ n|number }}` (15.067; 2,5 in
Vietnamese, 15,067 and 2.5 in English) and `{{ share|percent }}` (33,3 % in Vietnamese, with a
space before the sign; 33.3% in English). The same functions serve documents built in Python
(`format_number`, `format_percent`). The separators come from the language's formats
(thuvien/formats/vi/formats.py for Vietnamese)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import get_format

register = template.Library()

NO_BREAK_SPACE = "\u00a0"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Any, digits: int = 2, *, language: str | None = None) -> str:
    """`value` with the separators of `language` (the active one by default; an official
    document passes "vi"), at most `digits` decimals (none shown when they are zero); "" when
    it is not a number."""
    number = _decimal(value)
    if number is None:
        return ""
    rounded = round(number, digits)
    shown = max(0, -int(rounded.normalize().as_tuple().exponent)) if rounded else 0
    if language is None:  # the active language: nothing to switch
        return str(floatformat(rounded, f"{shown}g"))
    with translation.override(language):
        return str(floatformat(rounded, f"{shown}g"))


def group_thousands(n: int) -> str:
    """A whole number grouped in thousands the active language's way: 15.067 in Vietnamese,
    15,067 in English (Django's own grouping needs USE_THOUSAND_SEPARATOR, which stays off)."""
    return f"{n:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


def format_percent(value: Any, digits: int = 1, *, language: str | None = None) -> str:
    """`value`, a share in percent (33.33), as "33,3 %" in Vietnamese and "33.3%" in English."""
    language = language or translation.get_language()
    shown = format_number(value, digits, language=language)
    if not shown:
        return ""
    sign_after = "%" if language == "en" else f"{NO_BREAK_SPACE}%"
    return f"{shown}{sign_after}"


@register.filter
def number(value: Any, digits: int = 2) -> str:
    return format_number(value, int(digits))


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    return format_percent(value, int(digits))
