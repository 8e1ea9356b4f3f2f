"""Numbers and dates as a Vietnamese office writes them (15.067; 2,5; 33,3 %; 05/09/2025), and
as English writes them on the English pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from thuvien.core.templatetags.numbers import format_number, format_percent

NBSP = "\u00a0"


def render(text: str, **values: object) -> str:
    return Template("{% load humanize numbers %}" + text).render(Context(values))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", f"15.067 2,5 1.234.567,89 33,3{NBSP}% 50{NBSP}% 0{NBSP}% 15.067 05/09/2025"),
        ("en", "15,067 2.5 1,234,567.89 33.3% 50% 0% 15,067 Sept. 5, 2025"),
    ],
)
def test_the_filters_write_numbers_the_way_the_language_does(language, expected):
    with translation.override(language):
        shown = render(
            "{{ n|number }} {{ d|number }} {{ big|number }} {{ share|percent }} {{ half|percent }}"
            " {{ none|percent }} {{ n|intcomma }} {{ day|date }}",
            n=15067, d=Decimal("2.50"), big=1234567.891, share=100 / 3, half=50, none=0,
            day=dt.date(2025, 9, 5),
        )  # fmt: skip
    assert shown == expected


def test_vietnamese_formats_group_thousands_and_write_day_month_year():
    with translation.override("vi"):
        assert formats.get_format("NUMBER_GROUPING") == 3
        assert formats.get_format("THOUSAND_SEPARATOR") == "."
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
        assert formats.date_format(dt.date(2025, 9, 5), "SHORT_DATE_FORMAT") == "05/09/2025"
        assert formats.date_format(dt.datetime(2025, 9, 5, 14, 30), "DATETIME_FORMAT") == (
            "05/09/2025 14:30"
        )


def test_a_year_or_an_id_is_never_grouped():
    """Grouping only where asked: `USE_THOUSAND_SEPARATOR` stays off."""
    with translation.override("vi"):
        assert render("{{ year }}", year=2025) == "2025"


def test_documents_pass_their_own_language_whatever_the_page():
    with translation.override("en"):
        assert format_number(15067, language="vi") == "15.067"
        assert format_percent(33.333, language="vi") == f"33,3{NBSP}%"
        assert format_percent(33.333) == "33.3%"


@pytest.mark.parametrize("value", [None, "", "abc", float("nan"), True])
def test_what_is_no_number_shows_nothing(value):
    assert format_number(value) == "" and format_percent(value) == ""
