"""What a spreadsheet cell names: a row found by its code, else by its name (diacritics and case
aside). Every import that refers to existing rows (the supervising unit of a unit, the unit of a
staff member, later a reader's class or a book's shelf) matches cells the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar

from thuvien.core.folding import fold


class Named(Protocol):
    """A row a cell may name: it has a code (possibly empty) and a name."""

    @property
    def code(self) -> str | None: ...

    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


def lookup_keys(code: Any, name: Any) -> list[str]:
    """The keys a row or a cell is known by: its upper-cased code first, then its folded name."""
    keys = [f"code:{str(code).strip().upper()}"] if str(code).strip() else []
    return keys + ([f"name:{fold(str(name))}"] if str(name).strip() else [])


def index_named(rows: Iterable[N]) -> dict[str, list[N]]:
    """Rows by upper-cased code and by folded name, for `find_named`."""
    index: dict[str, list[N]] = {}
    for row in rows:
        for key in lookup_keys(row.code or "", row.name):
            index.setdefault(key, []).append(row)
    return index


def find_named(index: Mapping[str, list[N]], raw: str) -> list[N]:
    """The rows a cell names: by code, else by name; several when the name is shared."""
    return next((index[key] for key in lookup_keys(raw, raw) if key in index), [])
