"""A person's training history, gathered from every app that trains people.

Domain-free: the profile asks `rows_for(user, scope)`; each app that keeps training records
(self-training campaigns, training events…) registers a provider in its `AppConfig.ready()`. So the
accounts app lists a person's history without importing the apps that make it, and the standards
pillar can read the same rows later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HistoryRow:
    """One line of a person's training history."""

    date: dt.date
    kind: str  # "Self-training campaign", "Training event" (translated)
    title: str
    outcome: str  # "Evaluated: Good", "Attended 3/4 sessions, certificate"
    url: str  # "" when the active role cannot open it
    school_year: str = ""
    school: str = ""
    submitted_at: dt.datetime | None = None
    late: bool = False


# (user, the active scope or None) → rows; the scope decides which rows link to their pages.
Provider = Callable[[Any, Any], list[HistoryRow]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def rows_for(user: Any, scope: Any = None) -> list[HistoryRow]:
    """Everything the person trained in, newest first."""
    rows = [row for provider in _PROVIDERS for row in provider(user, scope)]
    return sorted(rows, key=lambda row: row.date, reverse=True)
