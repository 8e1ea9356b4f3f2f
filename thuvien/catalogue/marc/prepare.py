"""The first half of a MARC import, which needs no database: read each record, map it to a
`Record` with its keys, call number, search terms and ISBN digits, and turn it into the row the
database will take. The importer (`importer.py`) then matches duplicates and writes.

A large file is prepared in a second process (`parallel=True`), CHUNK records at a time, while
this one writes the chunk before: the two halves of an import cost about the same, so a
two-core machine imports about twice as fast. The child never touches the database; it is
forked, so it has the settings, the language and the code of its parent. A small file, or a
platform without `fork`, is prepared in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.utils import timezone

from thuvien.catalogue import bulk
from thuvien.catalogue.marc import reader
from thuvien.catalogue.models import Record
from thuvien.catalogue.services import records as record_services

CHUNK = 1000
# Chunks prepared ahead of the writer: enough to keep both processes busy, few enough that a
# 200,000-record file never sits in memory.
AHEAD = 2
WORKERS = 2  # the two cores of a school's or a province's small server, with the writer
PARALLEL_FROM = 4 * 1024 * 1024  # bytes: below that, a second process costs more than it saves


class Candidate:
    """What the duplicate test and the copies need of a record (a saved one, or one to be)."""

    __slots__ = ("dedup_key", "doc_type", "pk", "year")

    def __init__(self, pk: int | None, doc_type: str, year: int | None, dedup_key: str) -> None:
        self.pk = pk
        self.doc_type = doc_type
        self.year = year
        self.dedup_key = dedup_key

    def __reduce__(self) -> tuple[Any, ...]:  # sent between processes: as a plain tuple
        return Candidate, (self.pk, self.doc_type, self.year, self.dedup_key)


class Holding(NamedTuple):
    """What a copy takes from a holdings field (852/952)."""

    barcode: str
    location: str
    price_vnd: int | None


class Prepared(NamedTuple):
    """One readable record, ready to write: its rows as the database takes them, their ids
    (the first column) to fill in. A tuple: it goes between processes by the thousand."""

    position: int
    record: Candidate
    row: tuple[Any, ...]
    history_row: tuple[Any, ...]
    isbns: list[tuple[str, str]]  # (ISBN-13 digits, qualifier), valid ones only
    terms: list[tuple[str, str]]  # (field, folded term)
    holdings: list[Holding]


@dataclass
class Chunk:
    items: list[Prepared] = field(default_factory=list)
    read: int = 0  # records read, refused ones included
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


Source = bytes | Path


class _Preparer:
    def __init__(
        self, rule: str, local_class: bool, catalogued_by_id: int | None, user_id: int | None
    ) -> None:
        self.rule = rule
        self.local_class = local_class
        self.catalogued_by_id = catalogued_by_id
        self.user_id = user_id
        self.table = bulk.Table(Record)
        self.history = bulk.HistoryTable(Record)
        self.now = timezone.now()

    def chunks(self, stream: IO[bytes], share: tuple[int, int] = (0, 1)) -> Iterator[Chunk]:
        """The file's chunks; with `share` (k, n), only every n-th chunk from the k-th (the
        others' records are counted, not read)."""
        mine, every = share

        def wanted(position: int) -> bool:
            return ((position - 1) // CHUNK) % every == mine

        chunk = Chunk()
        results = reader.read(stream, wanted if every > 1 else None)
        for position, result in enumerate(results, start=1):
            if result is not reader.SKIPPED:
                chunk.read += 1
                chunk.warnings += [(result.position, str(w)) for w in result.warnings]
                if result.data is None:
                    chunk.rejected.append((result.position, str(result.error)))
                else:
                    chunk.items.append(self.prepare(result.position, result.data))
            if position % CHUNK == 0 and chunk.read:
                yield chunk
                chunk = Chunk()
        if chunk.read:
            yield chunk

    def prepare(self, position: int, data: Any) -> Prepared:
        record = record_services.build(
            data, catalogued_by=None, rule=self.rule, use_local_class=self.local_class, cleaned=True
        )
        record.catalogued_by_id = self.catalogued_by_id
        record.created_at = record.updated_at = self.now
        row = self.table.row([getattr(record, name) for name in self.table.attnames])
        return Prepared(
            position=position,
            record=Candidate(None, record.doc_type, record.year, record.dedup_key),
            row=row,
            history_row=self.history.created_row(
                self.table, row, user_id=self.user_id, now=self.now
            ),
            isbns=record_services.isbn_values(data.isbns),
            terms=record_services.term_values(record),
            holdings=[Holding(h.barcode, h.location, h.price_vnd) for h in data.holdings],
        )


def chunks(
    source: Source,
    *,
    rule: str,
    local_class: bool,
    catalogued_by_id: int | None,
    user_id: int | None,
    parallel: bool | None = None,
) -> Iterator[Chunk]:
    """The file's records, prepared, CHUNK at a time. `parallel` None: by the file's size."""
    preparer = _Preparer(rule, local_class, catalogued_by_id, user_id)
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if parallel is None:
        parallel = size >= PARALLEL_FROM
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        yield from _in_children(preparer, source)
        return
    with _open(source) as stream:
        yield from preparer.chunks(stream)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector off while an import makes its millions of short-lived tuples
    (reference counting frees them): with it on, it walks every live object again and again,
    which cost a third of the import's time. What few cycles the libraries leave are collected
    every COLLECT_EVERY chunks (`collect_now`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


COLLECT_EVERY = 20


def collect_now(chunks_done: int) -> None:
    if chunks_done % COLLECT_EVERY == 0:
        gc.collect()


def _open(source: Source) -> IO[bytes]:
    import io

    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def _in_children(preparer: _Preparer, source: Source) -> Iterator[Chunk]:
    """The chunks, prepared by WORKERS child processes in turn (chunk i by child i % WORKERS),
    yielded in the file's order."""
    context = multiprocessing.get_context("fork")
    queues: list[Any] = [context.Queue(maxsize=AHEAD) for _ in range(WORKERS)]
    children = [
        context.Process(
            target=_child, args=(preparer, source, (k, WORKERS), queues[k]), daemon=True
        )
        for k in range(WORKERS)
    ]
    for child in children:
        child.start()
    try:
        turn = 0
        while True:
            kind, payload = queues[turn % WORKERS].get()
            if kind == "done":  # the next chunk would have been this child's: there is none
                break
            if kind == "error":
                raise RuntimeError(f"preparing the MARC file failed in a child:\n{payload}")
            yield payload
            turn += 1
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()
        for queue in queues:
            queue.close()


def _child(preparer: _Preparer, source: Source, share: tuple[int, int], queue: Any) -> None:
    # What the child inherits stays shared with its parent: the collector never walks it
    # (walking it would copy every page of the parent's memory into the child's).
    gc.freeze()
    try:
        with no_cyclic_gc(), _open(source) as stream:
            for done, chunk in enumerate(preparer.chunks(stream, share), start=1):
                queue.put(("chunk", chunk))
                collect_now(done)
        queue.put(("done", None))
    except BaseException:  # everything goes back to the parent, which raises it
        queue.put(("error", traceback.format_exc()))
