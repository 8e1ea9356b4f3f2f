"""`{% icon "name" %}` (thuvien/core/templatetags/icons.py): the vendored Lucide icons, inline and
hidden from screen readers; an unknown name fails when the template is compiled. (No browser
needed: these run wherever the suite runs.)"""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

from thuvien.core.templatetags.icons import ICON_DIR, icon_names


def render(source: str) -> str:
    return Template("{% load icons %}" + source).render(Context())


def test_icon_is_inline_svg_hidden_from_assistive_technology():
    html = render('<button>{% icon "menu" %} Menu</button>')
    assert html.startswith('<button><svg class="icon icon-menu"')
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert "<!--" not in html and "@license" not in html
    assert 'stroke="currentColor"' in html  # the colour of the text around it


@pytest.mark.parametrize("source", ['{% icon "no-such-icon" %}', "{% icon menu %}", "{% icon %}"])
def test_unknown_or_unquoted_names_fail_at_compile_time(source):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load icons %}" + source)


def test_only_path_like_names_are_read():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load icons %}{% icon "../LICENSE" %}')


def test_the_vendored_set_carries_its_licence():
    assert (ICON_DIR.parent / "LICENSE").read_text().startswith("ISC License")
    assert {"menu", "bell", "check", "square-check", "square", "arrow-up", "arrow-down"} <= set(
        icon_names()
    )
