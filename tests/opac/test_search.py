"""The public catalogue's search: diacritics ignored both ways, ranked, faceted, counted once
per copy, and only what the library shows."""

from __future__ import annotations

import pytest

from thuvien.catalogue.models import Collection, Copy, CopyStatus, Record
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies, records
from thuvien.opac import search


def book(world, title: str, *, author: str = "", subjects: tuple[str, ...] = (), count: int = 1,
         school=None, doc_type: str = "stk") -> Record:  # fmt: skip
    record = records.create_record(
        RecordData(title=title, author=author, subjects=list(subjects), doc_type=doc_type,
                   year=2020),
        school=school or world.school, by=None,
    )  # fmt: skip
    copies.add_copies(record, school=school or world.school, count=count, by=None)
    return record


@pytest.fixture
def roads(world):
    return {
        "đường": book(world, "Con đường mùa hè"),
        "Đường": book(world, "Đường về nhà"),
        "dương": book(world, "Biển dương xanh"),
        "duong": book(world, "Duong and the sea"),
        "author": book(world, "Tuổi thơ", author="Nguyễn Đường"),
        "subject": book(world, "Sách ảnh", subjects=("Đường phố",)),
        "other": book(world, "Tiếng gà trưa"),
    }


def titles(results) -> list[str]:
    return [record.title for record in results.records]


def test_a_word_without_diacritics_finds_every_spelling(world, roads):
    found = titles(search.search(world.school, "duong"))
    for key in ("đường", "Đường", "dương", "duong"):
        assert roads[key].title in found
    assert "Tiếng gà trưa" not in found
    # ... and typed with its marks it finds them all too.
    assert set(titles(search.search(world.school, "Đường"))) == set(found)


def test_title_ranks_above_author_above_subject_and_marks_typed_rank_first(world, roads):
    found = titles(search.search(world.school, "Đường"))
    # Titles first: of those, "đường" with its marks (two of them) before "dương" and "duong".
    assert set(found[:2]) == {"Con đường mùa hè", "Đường về nhà"}
    assert set(found[2:4]) == {"Biển dương xanh", "Duong and the sea"}
    assert found[4:] == ["Tuổi thơ", "Sách ảnh"]  # the author, then the subject


def test_two_words_must_both_be_there(world, roads):
    assert titles(search.search(world.school, "duong mua")) == ["Con đường mùa hè"]
    assert titles(search.search(world.school, "duong nha")) == ["Đường về nhà"]


def test_a_classroom_collection_kept_out_of_the_public_view_is_not_found(world, roads):
    hidden = roads["other"]
    collection = Copy.objects.filter(record=hidden).first().collection
    Collection.objects.filter(pk=collection.pk).update(public=False)
    assert titles(search.search(world.school, "tieng ga")) == []


def test_facets_and_availability_count_each_copy_once(world, roads):
    record = roads["đường"]
    copies.add_copies(record, school=world.school, count=2, by=None)  # three copies here
    copy = Copy.objects.filter(record=record).first()
    Copy.objects.filter(pk=copy.pk).update(status=CopyStatus.ON_LOAN)
    results = search.search(world.school, "con duong")
    assert results.free[record.pk] == 2 and results.held[record.pk] == 3
    assert dict(results.facets["doc_type"]) == {"stk": 1}
    assert results.facets["available"] == [("1", 1)]
    Copy.objects.filter(record=record).update(status=CopyStatus.ON_LOAN)
    only_free = search.search(world.school, "con duong", filters={"available": "1"})
    assert only_free.total == 0


def test_the_province_finds_every_school_and_the_record_counts_here_and_elsewhere(world, roads):
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    province = world.department
    assert novel.title in titles(search.search(province, "ve di tuoi tho"))
    here, elsewhere = search.holdings(world.school, novel)
    assert [(h.school.pk, h.copies) for h in here] == [(world.school.pk, 2)]
    assert world.school.pk not in [h.school.pk for h in elsewhere]
    assert [h.school.pk for h in elsewhere] == [world.outsider_school.pk]
    everywhere_here, everywhere = search.holdings(province, novel)
    assert everywhere_here == [] and sum(h.copies for h in everywhere) == 3


def test_new_acquisitions_list_the_last_titles_in(world, roads):
    newest = search.new_acquisitions(world.school)
    assert newest[0].title == "Tiếng gà trưa"


def test_an_older_tone_placement_typed_ranks_like_the_stored_one(world):
    book(world, "Hoa bình")  # before "Hòa ca" in the alphabet
    book(world, "Hòa ca")  # stored canonical: "Hoà ca"
    found = titles(search.search(world.school, "hòa"))
    assert found[:2] == ["Hoà ca", "Hoa bình"]
