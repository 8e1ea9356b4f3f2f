"""The demo's parts, gathered from every app that adds rows to the demo province.

Domain-free, as `core.history` is: `organisations.demo.build_province` writes the units and people,
then seeds every registered part in `order`; `clear_demo_data` clears the parts in the reverse
order before the units and people go. Each app registers its part in its `AppConfig.ready()`,
by dotted path so that nothing is imported until a demo is seeded; so the organisations app builds
the whole demo without importing the apps that add to it (training campaigns, training events, and
later the library pillars):

    demo.register("events", seed="thuvien.events.demo.seed_events",
                  clear="thuvien.events.demo.clear_events_data", order=20)

`seed` is called as `seed(today=<the seeding day>, seed=<the random seed>)` and must add nothing
that is already there; `clear()` deletes the part's rows, files and audit rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoPart:
    name: str  # "training", "events"
    seed: str  # dotted path of seed(*, today, seed)
    clear: str  # dotted path of clear()
    order: int  # seeded in ascending order: a part may read the rows of an earlier one


_PARTS: dict[str, DemoPart] = {}


def register(name: str, *, seed: str, clear: str, order: int = 100) -> None:
    """Add (or replace: `ready()` may run twice) the app's part of the demo."""
    _PARTS[name] = DemoPart(name, seed, clear, order)


def parts() -> list[DemoPart]:
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


@contextmanager
def only(*names: str) -> Iterator[None]:
    """Seed and clear only the named parts while inside: a test of one app's part, or (no name)
    of the units and people alone, without waiting for the others'."""
    unknown = set(names) - set(_PARTS)
    if unknown:
        raise LookupError(f"no demo part named {sorted(unknown)}; registered: {sorted(_PARTS)}")
    kept = dict(_PARTS)
    _PARTS.clear()
    _PARTS.update({name: part for name, part in kept.items() if name in names})
    try:
        yield
    finally:
        _PARTS.clear()
        _PARTS.update(kept)


def seed_parts(today: dt.date, *, seed: int) -> None:
    for part in parts():
        seed_part: Any = import_string(part.seed)
        seed_part(today=today, seed=seed)


def clear_parts() -> None:
    """Last seeded, first cleared: a later part's rows may point to an earlier part's."""
    for part in reversed(parts()):
        import_string(part.clear)()
