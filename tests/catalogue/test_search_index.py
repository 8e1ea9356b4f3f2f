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
