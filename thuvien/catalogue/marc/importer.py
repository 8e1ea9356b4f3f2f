"""Import a MARC21 file into the union catalogue for one school: new records are created,
duplicates (of the catalogue, or within the file) are matched, holdings become the school's
copies. All or nothing: a file with a refused record writes nothing unless `valid_only`.

Records are read and written in chunks (CHUNK records at a time, a few queries each), so a
200,000-record file is never held in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.catalogue import bulk
from thuvien.catalogue.marc import prepare
from thuvien.catalogue.models import Collection, Copy, Record, RecordIsbn, RecordTerm, Source
from thuvien.catalogue.services import copies as copy_services
from thuvien.catalogue.services import records as record_services
from thuvien.organisations.models import Unit


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


ANALYZE_FROM = 10_000  # records created by one import


class _Undo(Exception):
    """Raised inside the transaction to roll the whole import back."""


def import_marc(
    source: bytes | Path,
    *,
    school: Unit,
    by: Any,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Import `source` (the bytes or the path of an ISO 2709 or MARCXML file). The report lists
    every refused record even when nothing was written; `written` says whether the catalogue
    changed. `parallel`: prepare the records in a second process (None: when the file is large,
    see `prepare`)."""
    report = ImportReport()
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    rule, local_class = record_services.province_rule(school)
    try:
        with transaction.atomic(), prepare.no_cyclic_gc():
            state = _State(school, by)
            for done, chunk in enumerate(
                prepare.chunks(
                    source,
                    rule=rule,
                    local_class=local_class,
                    catalogued_by_id=school.pk,
                    user_id=getattr(by, "pk", None),
                    parallel=parallel,
                ),
                start=1,
            ):
                report.total += chunk.read
                report.rejected += chunk.rejected
                report.warnings += chunk.warnings
                if chunk.items:
                    state.write(chunk.items, report)
                if progress is not None:
                    progress(report.total, size)
                prepare.collect_now(done)
            if dry_run or (report.rejected and not valid_only):
                raise _Undo
            report.written = True
    except _Undo:
        pass
    if report.written and report.created >= ANALYZE_FROM and connection.vendor == "postgresql":
        # The planner's statistics, at once: until autovacuum gets to it, a search of words
        # common in the new records would be planned for the catalogue as it was before.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE catalogue_record, catalogue_recordterm, catalogue_recordisbn, "
                "catalogue_copy"
            )
    return report


# A record a copy is added to: a record of the catalogue, or one this import creates.
Target = Record | prepare.Candidate


class _State:
    def __init__(self, school: Unit, by: Any) -> None:
        self.school = school
        self.by = by
        self.collections: dict[str, Collection] = {}
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.records = bulk.Table(Record)
        self.record_history = bulk.HistoryTable(Record)
        self.terms = bulk.Table(RecordTerm)
        self.isbns = bulk.Table(RecordIsbn, exclude=("id",))
        self.copies = bulk.Table(Copy)
        self.copy_history = bulk.HistoryTable(Copy)

    def write(self, items: list[prepare.Prepared], report: ImportReport) -> None:
        candidates = [item.record for item in items]
        existing = record_services.duplicates_of_digits(
            candidates, [[d for d, _q in item.isbns] for item in items]
        )
        # Within the chunk: the first of two equal records is created, the second matches it.
        by_key: dict[str, Target] = {}
        by_isbn: dict[str, Target] = {}
        new: list[prepare.Prepared] = []
        targets: list[Target] = []
        for item, found in zip(items, existing, strict=True):
            candidate = item.record
            digits = [d for d, _q in item.isbns]
            twin = found or next((by_isbn[d] for d in digits if d in by_isbn), None)
            twin = twin or by_key.get(candidate.dedup_key)
            if twin is not None:
                report.matched += 1
                targets.append(twin)
                continue
            by_key.setdefault(candidate.dedup_key, candidate)
            for d in digits:
                by_isbn.setdefault(d, candidate)
            new.append(item)
            targets.append(candidate)
        if new:
            self._write_records(new)
            report.created += len(new)
        created = {item.record.pk for item in new}
        matched_ids = {t.pk for t in targets if t.pk is not None and t.pk not in created}
        # Records the school already holds a copy of (from before, or from an earlier chunk:
        # the transaction sees its own rows), asked chunk by chunk, never all kept in memory.
        held = set(
            Copy.objects.filter(school=self.school, record_id__in=matched_ids).values_list(
                "record_id", flat=True
            )
            if matched_ids
            else ()
        )
        self._copies(items, targets, held, report)

    def _barcodes_in_use(self, barcodes: set[str]) -> set[str]:
        """Which of `barcodes` the school's copies carry (theirs from before, or this import's
        earlier chunks')."""
        if not barcodes:
            return set()
        return set(
            Copy.objects.filter(school=self.school, barcode__in=barcodes).values_list(
                "barcode", flat=True
            )
        )

    def _write_records(self, new: list[prepare.Prepared]) -> None:
        """The new records, their audit rows, search terms and ISBNs: one statement each."""
        ids = bulk.new_ids(Record, len(new))
        at = self.record_history.id_index
        for item, pk in zip(new, ids, strict=True):
            item.record.pk = pk
        self.records.insert([(pk, *item.row[1:]) for item, pk in zip(new, ids, strict=True)])
        self.record_history.insert(
            [(*h[:at], pk, *h[at + 1 :]) for h, pk in ((i.history_row, i.record.pk) for i in new)]
        )
        self.terms.insert_plain(  # folded syllables: letters and digits only
            [(item.record.pk, field, term) for item in new for field, term in item.terms]
        )
        self.isbns.insert(
            [
                (item.record.pk, digits, qualifier)
                for item in new
                for digits, qualifier in item.isbns
            ]
        )

    def _collection(self, doc_type: str) -> Collection:
        if doc_type not in self.collections:
            self.collections[doc_type] = copy_services.collection_for(self.school, doc_type)
        return self.collections[doc_type]

    def _copies(
        self,
        items: list[prepare.Prepared],
        targets: list[Target],
        held: set[int],
        report: ImportReport,
    ) -> None:
        in_use = self._barcodes_in_use(
            {h.barcode for item in items for h in item.holdings if h.barcode}
        )
        wanted: list[tuple[int, Target, Any]] = []
        for item, record in zip(items, targets, strict=True):
            position = item.position
            for holding in item.holdings:
                if holding.barcode and holding.barcode in in_use:
                    continue  # this copy is already the school's (the same file imported again)
                if not holding.barcode and record.pk in held:
                    continue
                wanted.append((position, record, holding))
        by_collection: dict[int, list[tuple[int, Target, Any]]] = {}
        for want in wanted:
            collection = self._collection(want[1].doc_type)
            by_collection.setdefault(collection.pk, []).append(want)
        numbered: list[tuple[int, Target, Any, Collection, int, str]] = []
        for group in by_collection.values():
            collection = self._collection(group[0][1].doc_type)
            sequence = collection.sequence
            for number, (position, record, holding) in zip(
                copy_services.take_numbers(sequence, len(group)), group, strict=True
            ):
                registration = sequence.format(number)
                numbered.append((position, record, holding, collection, number, registration))
        # A copy without a barcode of its own (or with one twice in the file) takes its
        # registration number, unless a copy of the school carries that already.
        in_use |= self._barcodes_in_use({entry[5] for entry in numbered} - in_use)
        made: list[dict[str, Any]] = []
        for position, record, holding, collection, number, registration in numbered:
            barcode = holding.barcode
            if not barcode or barcode in in_use:
                barcode = registration
            if barcode in in_use:
                report.warnings.append(
                    (
                        position,
                        _("Barcode %(barcode)s is already in use: copy not added.")
                        % {"barcode": barcode},
                    )
                )
                continue
            in_use.add(barcode)
            made.append(
                {
                    "school_id": self.school.pk,
                    "record_id": record.pk,
                    "collection_id": collection.pk,
                    "sequence_id": collection.sequence.pk,
                    "number": number,
                    "registration_number": registration,
                    "barcode": barcode,
                    "location": holding.location,
                    "price_vnd": holding.price_vnd,
                    "source": Source.PURCHASE,
                    "registered_on": self.today,
                    "created_at": self.now,
                }
            )
        if made:
            for values, pk in zip(made, bulk.new_ids(Copy, len(made)), strict=True):
                values["id"] = pk
            rows = [self.copies.row_from(values) for values in made]
            self.copies.insert(rows)
            user_id = getattr(self.by, "pk", None)
            self.copy_history.insert(
                [
                    self.copy_history.created_row(self.copies, row, user_id=user_id, now=self.now)
                    for row in rows
                ]
            )
            report.copies_created += len(made)
