"""One folding function for Vietnamese text, applied to indexed text and to queries alike.

"Trường THPT Nguyễn Đình Chiểu" and "truong thpt nguyen dinh chieu" fold to the same string, so a
search typed without diacritics (as on most phones and school PCs) finds what it should.
"""

import unicodedata
from typing import Any

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """NFC, đ→d, strip combining marks, casefold, collapse white space."""
    text = unicodedata.normalize("NFC", text).translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def keep_folded(instance: Any, source: str, target: str, save_kwargs: dict[str, Any]) -> None:
    """Call from a model's `save()`: store `source` folded in `target` (its search key), and save
    `target` too when only some fields are saved (`update_fields` naming `source`)."""
    setattr(instance, target, fold(getattr(instance, source)))
    fields = save_kwargs.get("update_fields")
    if fields is not None and source in fields:
        save_kwargs["update_fields"] = {*fields, target}
