"""Matching a spreadsheet cell to the row it names, the same way in every import."""

from dataclasses import dataclass

from thuvien.core.import_lookup import find_named, index_named, lookup_keys


@dataclass(frozen=True)
class Row:
    code: str | None
    name: str


LE_LOI = Row("83000101", "Trường THCS Lê Lợi")
LE_LOI_2 = Row("", "Trường THCS Lê Lợi")
QUANG_TRUNG = Row(None, "Trường Tiểu học Quang Trung")
INDEX = index_named([LE_LOI, LE_LOI_2, QUANG_TRUNG])


def test_a_code_names_its_row_whatever_the_case_and_spaces():
    assert find_named(INDEX, " 83000101 ") == [LE_LOI]


def test_a_name_matches_without_marks_or_case_and_may_name_several():
    assert find_named(INDEX, "truong tieu hoc QUANG TRUNG") == [QUANG_TRUNG]
    assert find_named(INDEX, "Trường THCS Lê Lợi") == [LE_LOI, LE_LOI_2]


def test_a_code_wins_over_a_name_and_nothing_matches_nothing():
    named_like_a_code = index_named([Row("", "83000101"), LE_LOI])
    assert find_named(named_like_a_code, "83000101") == [LE_LOI]
    assert find_named(INDEX, "Trường THPT Không Có") == []
    assert lookup_keys("", "") == []
