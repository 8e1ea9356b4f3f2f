"""A query of words and ISBNs is answered from the index tables alone (`search.record_ids`):
it finds exactly what the general filter on records (`search.to_q`) finds, merged records
included (their terms go with them)."""

from __future__ import annotations

import pytest

from tests.catalogue.marc_fixtures import vietnamese_file
from thuvien.catalogue.interop import cql, search
from thuvien.catalogue.marc.importer import import_marc
from thuvien.catalogue.models import Record
from thuvien.catalogue.services import records

pytestmark = pytest.mark.django_db

QUERIES = [
    "dc.title = mắt",
    'dc.title = "mat biec"',
    'dc.title any "biếc mộng"',
    "dc.creator = nguyễn and dc.title = đảo",
    'cql.anywhere = "nguyen nhat anh"',
    "dc.title = ma*",
    "bath.isbn = 978-604-1-00001-8",
    "bath.isbn = 978604*",
    "dc.subject = truyện and bath.isbn = 9786041000025",
    "dc.title = khôngcóđâu",
]


def _both(query: str) -> tuple[set[int], set[int] | None]:
    tree = cql.parse(query)
    general = set(Record.objects.live().filter(search.to_q(tree)).values_list("pk", flat=True))
    ids = search.record_ids(tree)
    if ids is None:
        return general, None
    found = list(search.found_ids(ids))
    assert found == sorted(set(found)) and search.count(search.found_ids(ids)) == len(found)
    return general, set(found)


@pytest.mark.parametrize("query", QUERIES)
def test_the_index_finds_what_the_records_filter_finds(world, query):
    import_marc(vietnamese_file(), school=world.school, by=None)
    general, from_index = _both(query)
    assert from_index == general


def test_queries_that_need_the_records_are_left_to_them():
    for query in ('dc.title == "Mắt biếc"', "dc.title = a or dc.title = b", "cql.allrecords = 1"):
        assert search.record_ids(cql.parse(query)) is None


def test_a_merged_record_is_found_by_neither(world):
    import_marc(vietnamese_file(), school=world.school, by=None)
    keep = Record.objects.get(title="Mắt biếc")
    drop = Record.objects.get(title="Đảo mộng mơ")
    records.merge_records(keep, drop, by=world.dept_admin)
    general, from_index = _both("dc.title = đảo")
    assert general == from_index == set()


@pytest.mark.postgresql  # SQLite's planner keeps no per-value statistics
def test_postgresql_knows_how_often_a_term_outside_the_commonest_hundred_occurs():
    """Migration 0005: a word of 250 title rows, after 150 words of 300 rows and 20,000 words
    of one row (numbers, names) is estimated near 250 rows. With PostgreSQL's default
    statistics it is estimated at 2 or 3 — and a two-word query then probes the second word
    once per row of the first instead of merging the two lists."""
    import json

    from django.db import connection

    from thuvien.catalogue import bulk
    from thuvien.catalogue.models import RecordTerm

    rows = [(r, "t", f"tu{w}") for w in range(150) for r in range(w * 1000, w * 1000 + 300)]
    rows += [(r, "t", "mua") for r in range(200_000, 200_250)]
    rows += [(300_000 + n, "t", f"so{n}") for n in range(20_000)]
    bulk.Table(RecordTerm).insert_plain(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_recordterm")
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT record_id FROM catalogue_recordterm "
            "WHERE term = 'mua' AND field = 't'"
        )
        plan = cursor.fetchone()[0]
    estimated = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
    assert 125 <= estimated <= 500, estimated
