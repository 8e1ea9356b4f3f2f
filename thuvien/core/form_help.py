"""Forms that help (issue 9): length limits with a message that says the limit and how much was
typed, and ids of a form's own (`OwnIds`) for pages that render several forms.

The limits are checked twice: by the form (the message shows at the field) and by the service,
the last guard whatever the path (form, API, command). Both use `too_long`, so they read alike.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from thuvien.core.templatetags.numbers import group_thousands

# A study note says what was studied on one day: 5,000 characters is about two printed pages.
NOTE_MAX_CHARS = 5_000
# The report's visible text: 60,000 characters is about 25 printed pages, several times a long
# "bài thu hoạch" (usually 3 to 10 pages).
REPORT_TEXT_MAX_CHARS = 60_000
# Its sanitised HTML: room for lists, tables and links around that text, not for a markup bomb
# (thousands of empty tags with no text in them).
REPORT_HTML_MAX_CHARS = 300_000
# A principal's or an office's comment, a reason, a survey answer: a long paragraph.
COMMENT_MAX_CHARS = 2_000
# A section of an aggregate report (results, limitations, proposals) or a school's summary: about
# eight printed pages, more than any of them needs.
SECTION_MAX_CHARS = 20_000


def _count(n: int) -> str:
    """5,000 in English, 5.000 in Vietnamese."""
    return group_thousands(n)


def too_long(limit: int, typed: int, what: str = "") -> str | None:
    """The message for a text of `typed` characters over `limit`, or None when it fits."""
    if typed <= limit:
        return None
    if what:
        return _(
            "%(what)s is too long: at most %(limit)s characters, you typed %(typed)s. Shorten it."
        ) % {"what": what, "limit": _count(limit), "typed": _count(typed)}
    return _("At most %(limit)s characters, you typed %(typed)s. Shorten it.") % {
        "limit": _count(limit),
        "typed": _count(typed),
    }


@deconstructible
class MaxChars:
    """A form validator: at most `limit` characters, or the `too_long` message at the field."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> None:
        message = too_long(self.limit, len(value or ""))
        if message:
            raise ValidationError(message, code="max_length")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxChars) and other.limit == self.limit


class OwnIds:
    """A form whose ids start with `id_<id_prefix>_`, so that it can share a page with other forms
    that have fields of the same names (the field names posted stay as they are)."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix and "auto_id" not in kwargs:
            kwargs["auto_id"] = f"id_{self.id_prefix}_%s"
        super().__init__(*args, **kwargs)
