"""One folding function for Vietnamese text, applied to indexed text and to queries alike.

"Trường THPT Nguyễn Đình Chiểu" and "truong thpt nguyen dinh chieu" fold to the same string, so a
search typed without diacritics (as on most phones and school PCs) finds what it should.
"""

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Đ/đ, and the look-alike Latin eth (U+00D0/U+00F0) that imported data carries: no decomposition.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "\u00d0": "d", "\u00f0": "d"})
_ETH_TO_D = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining)
# "hòa", "hòe", "thủy" (the older placement, tone on the first vowel of an open oa/oe/uy) →
# "hoà", "hoè", "thuỷ": one placement, so exact-diacritic matches compare alike. "quý" and
# closed syllables ("hoàn", "thuyền") are the same in both placements and are left alone.
_OLD_TONE = re.compile(
    rf"(?P<v1>[oO]|(?<![qQ])[uU])(?P<tone>[{_TONES}])(?P<v2>[aAeEyY])(?![\w\u0300-\u036f])"
)
_PAIRS = {"o": "ae", "u": "y"}


# Short texts repeat (names, publishers, subjects, query words): they are folded once. A long one
# (a summary) is not kept, so the caches stay small whatever is imported.
_CACHED = 200


def fold(text: str) -> str:
    """NFC, đ→d, strip combining marks, casefold, collapse white space."""
    if text.isascii():
        return " ".join(text.lower().split())
    if len(text) <= _CACHED:
        return _fold_cached(text)
    return _fold(text)


@lru_cache(maxsize=4096)
def _fold_cached(text: str) -> str:
    return _fold(text)


# The combining marks Latin and Vietnamese text carries (U+0300–U+036F), dropped at once; any
# other combining character is dropped one by one.
_LATIN_MARKS = dict.fromkeys(range(0x300, 0x370))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_D_MAP)
    stripped = unicodedata.normalize("NFD", text).translate(_LATIN_MARKS)
    if not stripped.isascii():
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def canonical(text: str) -> str:
    """The one form Vietnamese text is stored in: NFC, Đ for the look-alike eth, one tone
    placement ("hòa" → "hoà"). Folding is unchanged by it; exact matches compare alike."""
    if text.isascii():
        return text
    if len(text) <= _CACHED:
        return _canonical_cached(text)
    return _canonical(text)


@lru_cache(maxsize=4096)
def _canonical_cached(text: str) -> str:
    return _canonical(text)


# What an older tone placement looks like in NFC text (ò, ú… before a, e or y): text without
# it, NFC already and without the eth, is canonical as it is (most text: no decomposing).
_MAYBE_OLD_TONE = re.compile("[òóõỏọÒÓÕỎỌùúũủụÙÚŨỦỤ][aAeEyY]")


def _canonical(text: str) -> str:
    if (
        unicodedata.is_normalized("NFC", text)
        and "\u00d0" not in text
        and "\u00f0" not in text
        and not _MAYBE_OLD_TONE.search(text)
    ):
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_ETH_TO_D))

    def move(match: re.Match[str]) -> str:
        v1, tone, v2 = match["v1"], match["tone"], match["v2"]
        if v2.lower() not in _PAIRS[v1.lower()]:
            return match[0]
        return f"{v1}{v2}{tone}"

    return unicodedata.normalize("NFC", _OLD_TONE.sub(move, decomposed))


# The Vietnamese alphabet: ă â ê ô ơ ư đ are letters of their own; the tones order the same
# letters afterwards (không dấu, huyền, hỏi, ngã, sắc, nặng).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_SHAPES = {"\u0306": "ă", "\u0302": "^", "\u031b": "'"}
_TONE_RANK = {"": "a", "\u0300": "b", "\u0309": "c", "\u0303": "d", "\u0301": "e", "\u0323": "f"}


def _rank(n: int) -> str:
    # Two lower-case ASCII letters a rank: such strings compare alike under every collation
    # (SQLite's binary, PostgreSQL's libc or ICU default), so ORDER BY on the key is the order.
    return chr(97 + n // 26) + chr(97 + n % 26)


_LETTER_RANK = {letter: _rank(3 + 10 + i) for i, letter in enumerate(_ALPHABET)}
_DIGIT_RANK = {str(d): _rank(3 + d) for d in range(10)}
_SPACE, _END = _rank(1), _rank(0)


def _letter(base: str, marks: str) -> tuple[str, str]:
    """(the letter with its shape, its tone) of one decomposed character."""
    tone = next((m for m in marks if m in _TONE_RANK), "")
    if base == "a" and "\u0306" in marks:
        return "ă", tone
    if "\u0302" in marks and base in "aeo":
        return {"a": "â", "e": "ê", "o": "ô"}[base], tone
    if "\u031b" in marks and base in "ou":
        return {"o": "ơ", "u": "ư"}[base], tone
    return base, tone


def sort_key(text: str, length: int = 120) -> str:
    """A key that sorts text in Vietnamese alphabetical order (a ă â b c d đ e ê …, then the
    tones), case-insensitively, the same on every database. The first `length` characters."""
    letters: list[str] = []
    tones: list[str] = []
    for ch in canonical(text).casefold()[:length]:
        rank, tone = _char_key(ch)
        if not tone:  # white space or punctuation: one separator
            if letters and letters[-1] != _SPACE:
                letters.append(_SPACE)
            continue
        letters.append(rank)
        tones.append(tone)
    while letters and letters[-1] == _SPACE:
        letters.pop()
    return "".join(letters) + _END + "".join(tones)


@lru_cache(maxsize=4096)
def _char_key(ch: str) -> tuple[str, str]:
    """(letter rank, tone rank) of one character; ("", "") for a separator."""
    if ch == "đ":
        return _LETTER_RANK["đ"], "a"
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if base.isspace() or not base.isalnum():
        return "", ""
    letter, tone = _letter(base, marks)
    return _LETTER_RANK.get(letter) or _DIGIT_RANK.get(letter) or _rank(2), _TONE_RANK[tone]


def keep_folded(instance: Any, source: str, target: str, save_kwargs: dict[str, Any]) -> None:
    """Call from a model's `save()`: store `source` folded in `target` (its search key), and save
    `target` too when only some fields are saved (`update_fields` naming `source`)."""
    setattr(instance, target, fold(getattr(instance, source)))
    fields = save_kwargs.get("update_fields")
    if fields is not None and source in fields:
        save_kwargs["update_fields"] = {*fields, target}
