"""Governing agencies and places of issue read from official unit names."""

import pytest

from thuvien.organisations.agencies import governing_agency, place_of_issue
from thuvien.organisations.models import Unit, UnitKind


@pytest.mark.parametrize(
    ("kind", "name", "agency", "place"),
    [
        (UnitKind.OFFICE, "Phòng Văn hóa – Xã hội phường An Hội", "UBND PHƯỜNG AN HỘI", "An Hội"),
        (UnitKind.OFFICE, "Phòng Văn hóa – Xã hội xã Thuận Mỹ", "UBND XÃ THUẬN MỸ", "Thuận Mỹ"),
        (UnitKind.OFFICE, "Phòng GD&ĐT thị xã Bình Minh", "UBND THỊ XÃ BÌNH MINH", "Bình Minh"),
        (UnitKind.OFFICE, "Phòng GD&ĐT huyện Châu Thành", "UBND HUYỆN CHÂU THÀNH", "Châu Thành"),
        (UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo tỉnh Vĩnh Long", "UBND TỈNH VĨNH LONG",
         "Vĩnh Long"),
        (UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo Bến Tre", "UBND TỈNH BẾN TRE", "Bến Tre"),
        (UnitKind.OFFICE, "Phòng Giáo dục", "", ""),
    ],
)  # fmt: skip
def test_names_give_the_governing_agency_and_the_place(kind, name, agency, place):
    unit = Unit(kind=kind, name=name)
    assert governing_agency(unit) == agency
    assert place_of_issue(unit) == place


def test_a_school_is_governed_by_its_supervisor():
    office = Unit(kind=UnitKind.OFFICE, name="Phòng Văn hóa – Xã hội phường An Hội")
    school = Unit(kind=UnitKind.SCHOOL, name="Trường Tiểu học Nguyễn Du")
    assert governing_agency(school, office) == "PHÒNG VĂN HÓA – XÃ HỘI PHƯỜNG AN HỘI"
    assert governing_agency(school) == ""
