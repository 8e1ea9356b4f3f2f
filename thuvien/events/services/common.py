"""What every events use case shares."""

from __future__ import annotations

from typing import Any

from django.db import models


class EventError(Exception):
    """A rule of training events was broken; the message says what to fix."""


def audit(row: models.Model, by: Any) -> None:
    """Name the acting person in the row's history (simple-history reads `_history_user`)."""
    row._history_user = by  # type: ignore[attr-defined]
