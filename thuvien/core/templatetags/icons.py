"""`{% icon "name" %}`: an icon of the vendored Lucide set (thuvien/static/vendor/lucide-*), inline.

Inline SVG needs no request and no inline style, so the Content Security Policy stays 'self'. An
icon is decoration: it is hidden from screen readers, and the text beside it (or the control's
label) says what it means. Only the icons copied into the vendored folder exist; a name that is not
there fails when the template is compiled, not silently on the page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ICON_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "lucide-1.62.0" / "icons"
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_OPEN_TAG = re.compile(r"<svg\b[^>]*>", re.S)
_NAME = re.compile(r"^[a-z0-9-]+$")


def icon_names() -> list[str]:
    return sorted(path.stem for path in ICON_DIR.glob("*.svg"))


@cache
def icon_svg(name: str) -> SafeString:
    """The markup: Lucide's paths in an <svg> of ours (a class; hidden from assistive tech)."""
    if not _NAME.match(name) or not (ICON_DIR / f"{name}.svg").is_file():
        raise template.TemplateSyntaxError(
            f"Unknown icon {name!r}; vendored icons: {', '.join(icon_names())}"
        )
    source = _COMMENT.sub("", (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8"))
    opening = (
        f'<svg class="icon icon-{name}" xmlns="http://www.w3.org/2000/svg" width="24" height="24"'
        ' viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"'
        ' stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">'
    )
    body = _OPEN_TAG.sub(opening, source.strip(), count=1)
    return mark_safe(re.sub(r">\s+<", "><", body))  # our own vendored files


class IconNode(template.Node):
    def __init__(self, name: str) -> None:
        self.markup = icon_svg(name)

    def render(self, context: template.Context) -> str:
        return self.markup


@register.tag("icon")
def icon(parser: template.base.Parser, token: template.base.Token) -> IconNode:
    """{% icon "menu" %} — the name is a literal, checked when the template is compiled."""
    parts = token.split_contents()
    if len(parts) != 2 or parts[1][0] not in "\"'" or parts[1][0] != parts[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% icon "name" %}')
    return IconNode(parts[1][1:-1])
