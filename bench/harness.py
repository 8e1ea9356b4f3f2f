"""What every benchmark module under bench/ shares: the result row, the context, timing helpers.

A benchmark module is a file `bench/bench_<topic>.py` with `def run(ctx: Context) -> list[Result]`;
it runs inside a configured Django (one process per database backend, see run.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: float
    better: Literal["lower", "higher"] = "lower"
    note: str = ""
    backend: str = ""
    machine: str = ""

    @property
    def missed(self) -> bool:
        if self.better == "lower":
            return self.value > self.target
        return self.value < self.target

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Context:
    backend: str
    schools: int
    requests: int = 50
    warmup: int = 5
    extra: dict[str, Any] = field(default_factory=dict)

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def time_get(
        self,
        client: Client,
        url: str,
        *,
        give_up_ms: float = math.inf,
        before_each: Callable[[], object] | None = None,
    ) -> tuple[float, float, int]:
        """(p50, p95) in milliseconds of `requests` GETs of `url` after `warmup` untimed ones, and
        how many were timed: a page far over its target (median of ten > `give_up_ms`) is not
        worth minutes of a shared machine. `before_each` runs, untimed, before every request (a
        write that changes what the page shows)."""
        for _ in range(self.warmup):
            _get_ok(client, url)
        timings: list[float] = []
        for _ in range(self.requests):
            if before_each is not None:
                before_each()
            started = time.perf_counter()
            _get_ok(client, url)
            timings.append((time.perf_counter() - started) * 1000)
            if len(timings) == 10 and percentile(timings, 50) > give_up_ms:
                break
        return percentile(timings, 50), percentile(timings, 95), len(timings)

    def latency(
        self,
        name: str,
        client: Client,
        url: str,
        *,
        target_ms: float = 100,
        before_each: Callable[[], object] | None = None,
        what: str = "",
    ) -> Result:
        p50, p95, count = self.time_get(
            client, url, give_up_ms=10 * target_ms, before_each=before_each
        )
        note = f"p50 {p50:.1f} ms, {count} requests{what}, {self.schools} schools: GET {url}"
        return Result(name, round(p95, 1), "ms p95", target_ms, "lower", note)


def _get_ok(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}, not 200")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `pct` % of values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def count_queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)
