"""How far the worker has got with an import, for the status page's progress bar.

The worker applies a batch in one transaction (all or nothing), so nothing it writes to the
database is seen before the end: the progress goes to a small file of its own instead
(`VAR_DIR/import-progress/<batch>.json`), which the web process reads. Written at most every
half second; removed once the batch is finished.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings


def _path(batch_id: object) -> Path:
    return Path(settings.VAR_DIR) / "import-progress" / f"{batch_id}.json"


def reporter(batch_id: object, *, every: float = 0.5) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback writing the batch's progress file."""
    path = _path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < every and done < total:
            return
        last[0] = now
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": done, "total": total}))
        temporary.replace(path)  # atomic: the page never reads half a file

    return progress


def read(batch_id: object) -> tuple[int, int] | None:
    """(done, total) as last written, or None."""
    try:
        found = json.loads(_path(batch_id).read_text())
        return int(found["done"]), int(found["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear(batch_id: object) -> None:
    _path(batch_id).unlink(missing_ok=True)
