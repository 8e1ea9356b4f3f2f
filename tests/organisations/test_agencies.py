"""Governing agencies and places of issue read from official unit names."""

from importlib import import_module

import pytest
from django.apps import apps

from thuvien.organisations.agencies import governing_agency, place_of_issue, read_governing_body
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


def test_the_data_migration_keeps_todays_governing_bodies_and_reverses(world):
    migration = import_module(
        "thuvien.organisations.migrations.0003_fill_governing_bodies_from_names"
    )
    before = {u.pk: governing_agency(u) for u in (world.department, world.office)}
    migration.fill(apps, None)
    migration.fill(apps, None)  # twice: nothing changes the second time
    filled = {u.pk: u.governing_body for u in Unit.objects.filter(pk__in=before)}
    assert filled == {
        world.department.pk: "UBND tỉnh Bến Tre",
        world.office.pk: "UBND phường An Hội",
    }
    for unit in Unit.objects.filter(pk__in=before):
        assert governing_agency(unit) == before[unit.pk] == read_governing_body(unit)
    for unit in Unit.objects.filter(kind__in=[UnitKind.SCHOOL]):
        assert unit.governing_body == ""  # a school follows its supervisor on the day
    assert Unit.objects.get(pk=world.partner.pk).governing_body == "Trường Đại học Tôn Đức Thắng"
    migration.empty(apps, None)
    assert set(Unit.objects.filter(pk__in=before).values_list("governing_body", flat=True)) == {""}
