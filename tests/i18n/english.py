"""Telling English left in a Vietnamese page: the visible text of a page (tags, scripts and
styles stripped; titles, labels for screen readers, placeholders and button values kept), and
what in it is English — a sentence of the catalogue's English that has a Vietnamese translation,
or a common English word that is no Vietnamese syllable.

Allowed: proper names and codes (they are not in either list), URLs and addresses, and the
language switch, which names English in English."""

from __future__ import annotations

import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

MO = Path(settings.BASE_DIR) / "thuvien" / "locale" / "vi" / "LC_MESSAGES" / "django.mo"

# Common English words that are not Vietnamese syllables (so not "an", "in", "do", "to", "no",
# "can", "me", "the", "ban", "tin", "long"…), and the role codes a page must not show.
ENGLISH_WORDS = frozenset(
    """
    and of is are was were for with this that these those your you has have been from please
    field enter valid invalid closed registration event events marked held librarian
    principal officer trainer reader required submitted draft report school campaign password
    username error must cannot should will which there here more only not yet none
    already sent returned accepted evaluated open cancelled missing late back next previous
    save edit delete remove add upload download search name date status none when where what
    who why how new list page view show hide select choose choice file files unit parent link
    stats
    department_admin department_officer office_officer teacher_librarian
    """.split()  # noqa: SIM905 — a list of words reads better as words
)
# Shown in English on purpose: the language switch names each language in itself.
ALLOWED = frozenset({"English"})
SKIPPED_TAGS = frozenset({"script", "style", "code", "kbd", "samp", "template", "svg"})
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
URL_OR_ADDRESS = re.compile(r"(https?://\S+|\S+@\S+\.\S+|(?<!\S)/[a-z][\w\-./%?=&]*)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}")
WORD = re.compile(r"[^\W\d]+")  # letters, Vietnamese ones included: "Trường" is one word


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
            return
        values = dict(attrs)
        self.parts += [values[name] or "" for name in SHOWN_ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"] or "")
        self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return URL_OR_ADDRESS.sub(" ", "".join(parser.parts))


@cache
def translated_sentences() -> tuple[str, ...]:
    """The catalogue's English that has a different Vietnamese translation, cut at its
    placeholders: each piece of two words or more (a piece found verbatim is English left)."""
    with MO.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    pieces: set[str] = set()
    for key, translation in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or translation == msgid:
            continue
        for piece in PLACEHOLDER.split(msgid):
            piece = piece.strip(" .,:;()–—-")
            if len(piece.split()) >= 2 and len(piece) >= 8:
                pieces.add(piece)
    return tuple(sorted(pieces, key=len, reverse=True))


@cache
def translated_words() -> frozenset[str]:
    """The catalogue's one-word English ("Draft", "Held") that has a Vietnamese translation and
    that no Vietnamese translation uses (as "PDF" or "Email" might be)."""
    with MO.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    used = {
        word.lower()
        for translation in catalog.values()
        for word in WORD.findall(translation)
        if word.isascii()
    }
    return frozenset(
        msgid
        for msgid, translation in catalog.items()
        if isinstance(msgid, str)
        and msgid != translation
        and len(msgid) >= 4
        and msgid.isascii()
        and msgid.isalpha()
        and msgid.lower() not in used
    )


def english_in(text: str) -> list[str]:
    """What of `text` (a page's visible text) is English."""
    found: list[str] = []
    flat = " ".join(text.split())
    for sentence in translated_sentences():
        if sentence in flat:
            found.append(sentence)
            flat = flat.replace(sentence, " ")
    for word in WORD.findall(flat):
        if word in ALLOWED or not word.isascii():
            continue
        if word.lower() in ENGLISH_WORDS or word in translated_words():
            found.append(word)
    return list(dict.fromkeys(found))


def in_context(text: str, found: str, width: int = 40) -> str:
    """`found` with the text around it, to tell where on the page it is."""
    flat = " ".join(text.split())
    at = flat.find(found)
    return found if at < 0 else f"…{flat[max(0, at - width) : at + len(found) + width]}…"


class _Headings(HTMLParser):
    """The column headings (`<th>` of a `<thead>`) of each table of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[str]] = []
        self.open: list[list[str]] = []
        self.in_head = 0
        self.heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.open.append([])
        elif tag == "thead":
            self.in_head += 1
        elif tag == "th" and self.in_head and self.open:
            self.heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self.heading is not None and self.open:
            self.open[-1].append(" ".join("".join(self.heading).split()))
            self.heading = None
        elif tag == "thead" and self.in_head:
            self.in_head -= 1
        elif tag == "table" and self.open:
            self.tables.append(self.open.pop())

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)


def repeated_headings(html: str) -> list[str]:
    """Headings that name two columns of one table (two "Đạt")."""
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return sorted(
        {
            heading
            for table in parser.tables
            for heading in table
            if heading and table.count(heading) > 1
        }
    )
