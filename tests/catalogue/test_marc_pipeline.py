"""The MARC import's two halves (`marc.prepare` and `marc.importer`): records prepared in two
child processes give exactly what one process gives, chunk by chunk, refusals at their true
positions; a file is read from its path a block at a time; the rows written directly carry
what the ORM would have written (audit rows, search terms, ids never given twice)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from tests.catalogue.marc_fixtures import record, vietnamese_file
from tests.catalogue.test_marc_reader import SAMPLES
from thuvien.catalogue import bulk
from thuvien.catalogue.marc import prepare, reader
from thuvien.catalogue.marc.importer import import_marc
from thuvien.catalogue.models import Copy, Record, RecordIsbn, RecordTerm
from thuvien.catalogue.services.records import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    # Chunks of 7 records: a sample file spans many, and both children get several (the
    # children are forked, so they see this value too).
    monkeypatch.setattr(prepare, "CHUNK", 7)
    monkeypatch.setattr(reader, "BLOCK", 4096)  # and a file is read in many blocks
    with translation.override("en"):
        yield


def _file_with_faults() -> bytes:
    """Jazz records with two damaged ones (a lying leader at 10, a cut-off end at 40)."""
    good = (SAMPLES / "evergreen/jazz_1k.mrc").read_bytes().split(b"\x1d")[:40]
    records = [part + b"\x1d" for part in good]
    records[9] = b"99999" + records[9][5:]
    records[-1] = records[-1][:-30]  # the last one loses its end (and its terminator)
    return b"".join(records[:-1]) + records[-1][:-1]


class _Undone(Exception):
    pass


def _state() -> dict[str, object]:
    return {
        "records": sorted(
            Record.objects.values_list("title", "dedup_key", "call_number", "sort_key", "year")
        ),
        "terms": sorted(RecordTerm.objects.values_list("record__title", "field", "term")),
        "isbns": sorted(RecordIsbn.objects.values_list("record__title", "isbn13")),
        "copies": sorted(
            Copy.objects.values_list("registration_number", "barcode", "record__title")
        ),
    }


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "two children"])
def test_refusals_at_their_positions_and_nothing_written(world, parallel, tmp_path):
    path = tmp_path / "faults.mrc"
    path.write_bytes(_file_with_faults())
    before = Record.objects.count()
    report = import_marc(path, school=world.school, by=world.librarian, parallel=parallel)
    assert report.total == 40
    assert [position for position, _reason in report.rejected] == [10, 40]
    assert "leader says the record is 99999 bytes" in report.rejected[0][1]
    assert "cut off" in report.rejected[1][1]
    assert not report.written and Record.objects.count() == before


def test_two_children_write_what_one_process_writes(world, tmp_path):
    path = tmp_path / "jazz.mrc"
    whole = (SAMPLES / "evergreen/jazz_1k.mrc").read_bytes().split(b"\x1d")[:240]
    path.write_bytes(b"".join(part + b"\x1d" for part in whole))
    try:  # the one-process import, seen then undone: both start from the same catalogue
        with transaction.atomic():
            one = import_marc(path, school=world.school, by=world.librarian, parallel=False)
            state_one = _state()
            raise _Undone
    except _Undone:
        pass
    assert one.written and one.created > 100
    two = import_marc(path, school=world.school, by=world.librarian, parallel=True)
    assert (two.total, two.created, two.matched, len(two.rejected), len(two.warnings)) == (
        one.total,
        one.created,
        one.matched,
        len(one.rejected),
        len(one.warnings),
    )
    assert _state() == state_one


def test_rows_written_directly_are_whole(world):
    report = import_marc(vietnamese_file(), school=world.school, by=world.librarian)
    made = Record.objects.get(title="Mắt biếc")
    # What the ORM reads back: dates, JSON, the audit row by its author, the search terms.
    assert made.created_at is not None and made.updated_at == made.created_at
    assert made.catalogued_by == world.school and made.marc["fields"]
    assert made.subjects and isinstance(made.other_authors, list)
    (created,) = made.history.all()
    assert created.history_type == "+" and created.history_user == world.librarian
    assert made.title_folded.startswith("mat biec")
    copy = Copy.objects.get(barcode="VN0001")
    assert copy.status == "available" and copy.donor == "" and copy.registered_on is not None
    assert copy.history.get().history_type == "+"
    assert "Mắt biếc" in [r.title for r in search("mat biec")]
    assert report.copies_created == 2


def test_ids_are_never_given_twice(world):
    import_marc(record("Một").as_marc(), school=world.school, by=None)
    first = Record.objects.get(title="Một").pk
    RecordTerm.objects.filter(record_id=first).delete()
    Record.objects.filter(pk=first).delete()
    (next_id,) = bulk.new_ids(Record, 1)
    assert next_id > first
    import_marc(record("Hai").as_marc(), school=world.school, by=None)
    assert Record.objects.get(title="Hai").pk >= next_id


def test_a_marcxml_file_read_from_its_path_in_two_children(world, tmp_path):
    path = tmp_path / "badisbns.xml"
    path.write_bytes((SAMPLES / "evergreen/badisbns.xml").read_bytes())
    one = import_marc(path, school=world.school, by=None, parallel=False, dry_run=True)
    two = import_marc(path, school=world.school, by=None, parallel=True, dry_run=True)
    assert (one.total, one.created, one.rejected) == (two.total, two.created, two.rejected)
    assert one.total > 7  # more than one chunk


def test_a_failure_in_a_child_is_raised_and_writes_nothing(world, monkeypatch):
    def broken(self, position, data):
        raise ValueError("broken on purpose")

    monkeypatch.setattr(prepare._Preparer, "prepare", broken)
    before = Record.objects.count()
    with pytest.raises(RuntimeError, match="broken on purpose"):
        import_marc(vietnamese_file(), school=world.school, by=None, parallel=True)
    assert Record.objects.count() == before
