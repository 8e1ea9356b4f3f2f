"""Records of the union catalogue: duplicates, copy cataloguing by ISBN, audited edits and merges,
the staff search."""

from __future__ import annotations

import pytest

from thuvien.access import Action, allows, resolve_scope
from thuvien.catalogue.models import Copy, Record, RecordIsbn
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import CatalogueError, copies, records


def novel(world) -> Record:
    return Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ", year=2018)


def textbook(world) -> Record:
    return Record.objects.get(title="Tiếng Việt 1", year=2025)


def test_an_isbn_10_with_hyphens_finds_the_record_catalogued_by_another_school(world):
    made = records.create_record(
        RecordData(title="Lập trình Python", author="Nguyễn Văn A", isbns=[("0-306-40615-2", "")]),
        school=world.school_a2,
        by=world.dept_admin,
    )
    assert RecordIsbn.objects.get(record=made).isbn13 == "9780306406157"
    assert records.find_by_isbn("978-0-306-40615-7") == made
    assert records.find_by_isbn("0306406152") == made


def test_an_invalid_isbn_is_refused_in_vietnamese(world):
    with pytest.raises(CatalogueError) as refused:
        records.find_by_isbn("978-604-0-35163-1")
    assert "không phải là ISBN hợp lệ" in str(refused.value) or "ISBN" in str(refused.value)
    with pytest.raises(CatalogueError):
        records.create_record(
            RecordData(title="Sách lỗi", isbns=[("0-306-40615-3", "")]),
            school=world.school,
            by=world.librarian,
        )
    assert not Record.objects.filter(title="Sách lỗi").exists()


def test_the_same_isbn_again_is_a_duplicate(world):
    with pytest.raises(CatalogueError, match="Cho tôi xin"):
        records.create_record(
            RecordData(title="Cho toi xin mot ve", isbns=[("978-604-1-12345-8", "")]),
            school=world.school,
            by=world.librarian,
        )


def test_folded_title_author_edition_and_year_catch_a_duplicate_without_isbn(world):
    with pytest.raises(CatalogueError):
        records.create_record(
            RecordData(title="CHO TOI XIN MOT VE DI TUOI THO", author="Nguyen Nhat Anh", year=2018),
            school=world.school,
            by=world.librarian,
        )
    # Another year is another edition: a new record.
    again = records.create_record(
        RecordData(title="Cho tôi xin một vé đi tuổi thơ", author="Nguyễn Nhật Ánh", year=2020),
        school=world.school,
        by=world.librarian,
    )
    assert again.pk != novel(world).pk


def test_a_textbook_of_a_new_year_is_a_new_record_even_with_the_same_isbn(world):
    made = records.create_record(
        RecordData(
            title="Tiếng Việt 1",
            part="Tập một",
            doc_type="sgk",
            grade=1,
            author="Bùi Mạnh Hùng",
            year=2026,
            isbns=[("9786040351630", "")],
        ),
        school=world.school,
        by=world.librarian,
    )
    assert made.pk != textbook(world).pk
    assert records.find_by_isbn("9786040351630") == made  # the newest printing first


def test_call_number_follows_the_province_rule(world):
    record = novel(world)
    assert record.call_number == "895.9223 NGU 2018"
    assert records.call_number(record, "class_mark1") == "895.9223 N"


def test_editing_a_shared_record_is_limited_and_audited(world):
    record = novel(world)  # catalogued by the THPT school
    librarian = resolve_scope(world.librarian, None)
    assert not allows(librarian, Action.EDIT_RECORDS, record)
    assert allows(resolve_scope(world.thpt_librarian, None), Action.EDIT_RECORDS, record)
    assert allows(resolve_scope(world.dept_officer, None), Action.EDIT_RECORDS, record)
    data = RecordData(
        title=record.title,
        author=record.author,
        year=record.year,
        publisher="Nhà xuất bản Trẻ",
        classification=record.classification,
        isbns=[("9786041123458", "")],
    )
    records.update_record(record, data, by=world.dept_officer, reason="Sửa nhà xuất bản")
    record.refresh_from_db()
    assert record.publisher == "Nhà xuất bản Trẻ"
    last = record.history.first()
    assert last.history_user == world.dept_officer
    assert last.history_change_reason == "Sửa nhà xuất bản"
    assert last.prev_record.publisher == "Trẻ"


def test_an_edit_keeps_the_fields_of_the_marc_record_the_form_does_not_show(world):
    record = textbook(world)
    record.marc = {
        "leader": "00000nam a2200000 a 4500",
        "fields": [{"500": {"ind1": " ", "ind2": " ", "subfields": [{"a": "Ghi chú riêng"}]}}],
    }
    record.save()
    records.update_record(
        record, RecordData(title="Tiếng Việt 1", doc_type="sgk", grade=1), by=world.librarian
    )
    record.refresh_from_db()
    assert record.marc["fields"][0]["500"]["subfields"][0]["a"] == "Ghi chú riêng"


def test_a_merge_moves_every_schools_copies_and_is_audited(world):
    keep = novel(world)
    drop = records.create_record(
        RecordData(title="Cho tôi xin một vé đi tuổi thơ", author="Nguyễn Nhật Ánh", year=2019),
        school=world.school,
        by=world.librarian,
    )
    copies.add_copies(drop, school=world.school, count=2, by=world.librarian)
    before = Copy.objects.filter(record=keep).count()
    moved = records.merge_records(keep, drop, by=world.dept_admin)
    assert moved == 2
    assert Copy.objects.filter(record=keep).count() == before + 2
    drop.refresh_from_db()
    assert drop.deleted_at is not None and drop.merged_into == keep
    assert drop.history.first().history_user == world.dept_admin
    assert drop not in Record.objects.live()
    with pytest.raises(CatalogueError):
        records.merge_records(keep, drop, by=world.dept_admin)


def test_staff_search_ignores_diacritics_and_ranks_exact_marks_first(world):
    for title in ("Đường lên đỉnh Olympia", "Dương Quá", "đường về nhà", "Duong pho"):
        records.create_record(RecordData(title=title), school=world.school, by=world.librarian)
    found = [r.title for r in records.search("duong")]
    assert set(found) == {"Đường lên đỉnh Olympia", "Dương Quá", "đường về nhà", "Duong pho"}
    ranked = [r.title for r in records.search("đường")]
    assert set(ranked[:2]) == {"Đường lên đỉnh Olympia", "đường về nhà"}
    assert [r.title for r in records.search("Ðường")][:2] == ranked[:2]  # the look-alike eth
    assert [r.title for r in records.search("9786041123458")] == ["Cho tôi xin một vé đi tuổi thơ"]
    assert [r.title for r in records.search("nguyen nhat anh tuoi tho")] == [
        "Cho tôi xin một vé đi tuổi thơ"
    ]


def test_text_is_stored_in_one_tone_placement(world):
    made = records.create_record(
        RecordData(title="Hòa bình và thủy chung", author="Lê Thúy"),
        school=world.school,
        by=world.librarian,
    )
    assert made.title == "Hoà bình và thuỷ chung"
    assert made.author == "Lê Thuý"


def test_records_sort_in_vietnamese_order_in_the_database(world):
    from tests.core.test_folding import ALPHABETICAL, VIETNAMESE_WORDS

    # Words that fold alike ("Ăn", "Ân") would be duplicates of each other: a year apart each.
    for year, word in enumerate(VIETNAMESE_WORDS, start=1990):
        records.create_record(
            RecordData(title=word, author="Tác giả thử", year=year),
            school=world.school,
            by=world.librarian,
        )
    ordered = list(
        Record.objects.filter(author="Tác giả thử")
        .order_by("sort_key")
        .values_list("title", flat=True)
    )
    assert ordered == ALPHABETICAL
