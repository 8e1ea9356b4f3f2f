"""Data versions: a token per named piece of data (a campaign's records, the organisation tree)
that changes with every write to it, so that a figure computed from that data can be kept in the
cache under the token and is never served once the data has changed.

- `bump(key)` gives the key a new random token. It is written in the writer's own transaction:
  committed with the data, rolled back with it, never seen before the data is.
- `track(model, keys_of)` bumps the keys a row names on every save and delete of the model
  (signals). Writes that send no signal (`QuerySet.update`, `bulk_create`) call `bump` themselves.
- `tokens(*keys)` reads the current tokens in one query; a key never bumped reads as "".

A token is random, not a counter: a rolled-back transaction (every test) or a restored backup
cannot bring back a token that names other data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from thuvien.core.models import DataVersion


def bump(*keys: str) -> None:
    """New tokens for `keys` (one upsert)."""
    if not keys:
        return
    rows = [DataVersion(key=key, token=uuid.uuid4().hex) for key in dict.fromkeys(keys)]
    DataVersion.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["key"], update_fields=["token"]
    )


def tokens(*keys: str) -> tuple[str, ...]:
    """The current token of each key, in order ("" for a key never bumped)."""
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "token"))
    return tuple(found.get(key, "") for key in keys)


def track(model: type[models.Model], keys_of: Callable[[Any], Iterable[str]]) -> None:
    """Bump `keys_of(row)` after each save and each delete of a `model` row."""

    def changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        bump(*keys_of(instance))

    uid = f"thuvien.core.versions:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
