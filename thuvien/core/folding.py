"""One folding function for Vietnamese text, applied to indexed text and to queries alike.

"Trường THPT Nguyễn Đình Chiểu" and "truong thpt nguyen dinh chieu" fold to the same string, so a
search typed without diacritics (as on most phones and school PCs) finds what it should.
"""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """NFC, đ→d, strip combining marks, casefold, collapse white space."""
    text = unicodedata.normalize("NFC", text).translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
