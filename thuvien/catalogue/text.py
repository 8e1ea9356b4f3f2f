"""The catalogue's text rules: ISBNs, search terms, duplicate keys and call numbers."""

from __future__ import annotations

import re
from functools import lru_cache

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError

from thuvien.core.folding import canonical, fold

_ISBN_CHARS = re.compile(r"[0-9Xx][0-9Xx\- ]{8,20}[0-9Xx]")
_SYLLABLE = re.compile(r"[^\W_]+")
MAX_TERM = 40


# Small: a record asks for its ISBNs twice in a row (the reader's check, then the index); an
# import's ISBNs are otherwise all different.
@lru_cache(maxsize=1024)
def isbn13(value: str) -> str | None:
    """The ISBN-13 digits of an ISBN-10 or -13 as typed or catalogued ("978-604-0-…",
    "0-306-40615-2 (pbk.)"); None when there is none or its check digit is wrong."""
    match = _ISBN_CHARS.search(value or "")
    if not match:
        return None
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(match.group(0)))
    except ValidationError:
        return None


def looks_like_isbn(value: str) -> bool:
    """Typed like an ISBN (10 or 13 digits, hyphens allowed), valid or not."""
    digits = re.sub(r"[\s-]", "", value or "")
    return bool(re.fullmatch(r"(97[89])?\d{9}[\dXx]", digits))


def terms(text: str) -> set[str]:
    """The folded syllables of a text, as the term index keeps them."""
    return {word[:MAX_TERM] for word in _SYLLABLE.findall(fold(text))}


def dedup_key(title: str, author: str, edition: str, year: int | None) -> str:
    """The second duplicate test, after the ISBN: folded title, author, edition and year."""
    parts = [fold(title), fold(author), fold(edition), str(year or "")]
    return "|".join(parts)[:255]


def clean(text: str | None) -> str:
    """Catalogue text as stored: canonical Vietnamese, ISBD punctuation at the ends trimmed
    ("Tiếng Việt 1 /" → "Tiếng Việt 1"), white space collapsed."""
    if not text:
        return ""
    if len(text) <= _CACHED:  # names, publishers, places, subjects: they repeat
        return _clean_cached(text)
    return _clean(text)


_CACHED = 200


@lru_cache(maxsize=4096)
def _clean_cached(text: str) -> str:
    return _clean(text)


def _clean(text: str) -> str:
    text = " ".join(canonical(text).split())
    return text.strip(" /:;,=+").strip()


def mark(entry: str, letters: int) -> str:
    """The author or title mark of a call number: the first letters of the main entry, without
    diacritics, upper case ("Nguyễn Nhật Ánh" → "NGU"; a leading article is not skipped)."""
    word = fold(entry).replace(" ", "")
    return word[:letters].upper()
