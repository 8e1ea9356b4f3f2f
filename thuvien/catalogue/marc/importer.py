"""Import a MARC21 file into the union catalogue for one school: new records are created,
duplicates (of the catalogue, or within the file) are matched, holdings become the school's
copies. All or nothing: a file with a refused record writes nothing unless `valid_only`.

Records are read and written in chunks (CHUNK records at a time, a few queries each), so a
200,000-record file is never held in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from thuvien.catalogue import text
from thuvien.catalogue.marc import reader
from thuvien.catalogue.models import Collection, Copy, Record, Source
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies as copy_services
from thuvien.catalogue.services import records as record_services
from thuvien.organisations.models import Unit

CHUNK = 1000


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    matched: int = 0
    copies_created: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


class _Undo(Exception):
    """Raised inside the transaction to roll the whole import back."""


def import_marc(
    content: bytes,
    *,
    school: Unit,
    by: Any,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import `content` (ISO 2709 or MARCXML). The report lists every refused record even
    when nothing was written; `written` says whether the catalogue changed."""
    report = ImportReport()
    size = len(content)
    try:
        with transaction.atomic():
            state = _State(school, by)
            for chunk in _chunks(reader.read(content), report):
                state.write(chunk, report)
                if progress is not None:
                    progress(report.total, size)
            if dry_run or (report.rejected and not valid_only):
                raise _Undo
            report.written = True
    except _Undo:
        pass
    return report


def _chunks(
    results: Iterator[reader.ReadResult], report: ImportReport
) -> Iterator[list[tuple[int, RecordData]]]:
    chunk: list[tuple[int, RecordData]] = []
    for result in results:
        report.total += 1
        report.warnings += [(result.position, w) for w in result.warnings]
        if result.data is None:
            report.rejected.append((result.position, result.error))
            continue
        chunk.append((result.position, result.data))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _State:
    def __init__(self, school: Unit, by: Any) -> None:
        self.school = school
        self.by = by
        self.rule, self.local_class = record_services.province_rule(school)
        self.collections: dict[str, Collection] = {}
        self.barcodes = set(Copy.objects.filter(school=school).values_list("barcode", flat=True))
        self.held: set[int] = set()
        self.today = timezone.localdate()

    def write(self, chunk: list[tuple[int, RecordData]], report: ImportReport) -> None:
        candidates = []
        for _position, data in chunk:
            record = record_services.build(data, catalogued_by=self.school, rule=self.rule)
            if not data.call_number:
                record.call_number = record_services.call_number(
                    record, self.rule, use_local_class=self.local_class
                )
            candidates.append(record)
        isbn_lists = [data.isbns for _p, data in chunk]
        existing = record_services.duplicates_of(candidates, isbn_lists)
        # Within the chunk: the first of two equal records is created, the second matches it.
        by_key: dict[str, Record] = {}
        by_isbn: dict[str, Record] = {}
        new: list[Record] = []
        new_isbns: list[list[tuple[str, str]]] = []
        targets: list[Record] = []
        for candidate, isbns, found in zip(candidates, isbn_lists, existing, strict=True):
            digits = [d for d in (text.isbn13(v) for v, _q in isbns) if d]
            twin = found or next((by_isbn[d] for d in digits if d in by_isbn), None)
            twin = twin or by_key.get(candidate.dedup_key)
            if twin is not None:
                report.matched += 1
                targets.append(twin)
                continue
            by_key.setdefault(candidate.dedup_key, candidate)
            for d in digits:
                by_isbn.setdefault(d, candidate)
            new.append(candidate)
            new_isbns.append(isbns)
            targets.append(candidate)
        if new:
            bulk_create_with_history(new, Record, batch_size=CHUNK, default_user=self.by)
            if any(r.pk is None for r in new):  # a database that returns no ids
                raise RuntimeError("bulk_create returned no primary keys")
            record_services.index(new, new_isbns)
            report.created += len(new)
        matched_ids = [t.pk for t in targets if t.pk not in {r.pk for r in new}]
        if matched_ids:
            self.held |= set(
                Copy.objects.filter(school=self.school, record_id__in=matched_ids).values_list(
                    "record_id", flat=True
                )
            )
        self._copies(chunk, targets, report)

    def _collection(self, doc_type: str) -> Collection:
        if doc_type not in self.collections:
            self.collections[doc_type] = copy_services.collection_for(self.school, doc_type)
        return self.collections[doc_type]

    def _copies(
        self, chunk: list[tuple[int, RecordData]], targets: list[Record], report: ImportReport
    ) -> None:
        wanted: list[tuple[int, Record, Any]] = []
        for (position, data), record in zip(chunk, targets, strict=True):
            for holding in data.holdings:
                if holding.barcode and holding.barcode in self.barcodes:
                    continue  # this copy is already the school's (the same file imported again)
                if not holding.barcode and record.pk in self.held:
                    continue
                wanted.append((position, record, holding))
        by_collection: dict[int, list[tuple[int, Record, Any]]] = {}
        for item in wanted:
            collection = self._collection(item[1].doc_type)
            by_collection.setdefault(collection.pk, []).append(item)
        made: list[Copy] = []
        for items in by_collection.values():
            collection = self._collection(items[0][1].doc_type)
            sequence = collection.sequence
            for number, (position, record, holding) in zip(
                copy_services.take_numbers(sequence, len(items)), items, strict=True
            ):
                registration = sequence.format(number)
                barcode = holding.barcode
                if not barcode or barcode in self.barcodes:
                    barcode = registration
                if barcode in self.barcodes:
                    report.warnings.append(
                        (
                            position,
                            _("Barcode %(barcode)s is already in use: copy not added.")
                            % {"barcode": barcode},
                        )
                    )
                    continue
                self.barcodes.add(barcode)
                made.append(
                    Copy(
                        school=self.school,
                        record=record,
                        collection=collection,
                        sequence=sequence,
                        number=number,
                        registration_number=registration,
                        barcode=barcode,
                        location=holding.location,
                        price_vnd=holding.price_vnd,
                        source=Source.PURCHASE,
                        registered_on=self.today,
                    )
                )
        if made:
            bulk_create_with_history(made, Copy, batch_size=CHUNK, default_user=self.by)
            report.copies_created += len(made)
            self.held |= {c.record_id for c in made}
