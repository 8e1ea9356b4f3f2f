"""Reading promotion, on-site reading, the year's statistics (a school's, an office's across its
schools), the XLSX export and the standards indicators."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from thuvien.catalogue.models import Copy
from thuvien.circulation.models import (
    ActivityPhoto,
    DeskSettings,
    OnSiteReading,
    Reader,
    ReadingActivity,
)
from thuvien.circulation.services import activities, desk
from thuvien.circulation.statistics import figures
from thuvien.core import indicators

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def png(name: str = "anh.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def lend_some(world) -> None:
    an = Reader.objects.get(school=world.school, code="HS0001")
    duong = Reader.objects.get(school=world.school, code="HS0002")
    stn = list(Copy.objects.filter(school=world.school, collection__code="STN"))
    sgk = list(Copy.objects.filter(school=world.school, collection__code="SGK"))
    desk.check_out(world.school, an, stn[0].barcode, by=None,
                   now=dt.datetime(2025, 10, 6, 9, tzinfo=HANOI))  # fmt: skip
    desk.check_in(world.school, stn[0].barcode, by=None, now=dt.datetime(2025, 10, 9, tzinfo=HANOI))
    desk.check_out(world.school, duong, stn[0].barcode, by=None,
                   now=dt.datetime(2025, 11, 3, 9, tzinfo=HANOI))  # fmt: skip
    desk.check_out(world.school, an, sgk[0].barcode, by=None,
                   now=dt.datetime(2025, 11, 4, 9, tzinfo=HANOI))  # fmt: skip


def test_an_activity_with_photos_is_kept_whole_or_not_at_all(world, client_for):
    client = client_for(world.librarian)
    data = {"kind": "book_day", "title": "Ngày Sách và Văn hóa đọc 2026", "held_on": "2026-04-21",
            "participants": 320, "classes": "Khối 6, 7"}  # fmt: skip
    bad = SimpleUploadedFile("anh.jpg", b"not a picture", content_type="image/jpeg")
    refused = client.post(reverse("circulation:activity_add"), {**data, "photos": [png(), bad]})
    assert refused.status_code == 422 and "Chưa lưu gì cả" in refused.content.decode()
    assert not ReadingActivity.objects.exists() and not ActivityPhoto.objects.exists()
    done = client.post(
        reverse("circulation:activity_add"), {**data, "photos": [png(), png("b.png")]}
    )
    assert done.status_code == 302
    activity = ReadingActivity.objects.get()
    assert activity.photos.count() == 2
    photo = activity.photos.first()
    assert client.get(reverse("circulation:activity_photo", args=[photo.pk])).status_code == 200
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("circulation:activity_photo", args=[photo.pk])).status_code == 404


def test_on_site_reading_adds_up_by_day_and_class(world):
    day = dt.date(2025, 10, 6)
    assert activities.add_on_site(world.school, day=day, readers=12, class_name="6A1") == 12
    assert activities.add_on_site(world.school, day=day, readers=3, class_name="6A1") == 15
    activities.add_on_site(world.school, day=day, readers=5)
    assert OnSiteReading.objects.filter(school=world.school).count() == 2


def test_the_school_years_figures(world):
    lend_some(world)
    activities.add_on_site(world.school, day=dt.date(2025, 10, 6), readers=40)
    ReadingActivity.objects.create(school=world.school, kind="contest", title="Thi kể chuyện",
                                   held_on=dt.date(2026, 4, 21), participants=80)  # fmt: skip
    found = figures([world.school.pk], 2025)
    assert found.loans == 3
    assert found.by_month == [(dt.date(2025, 10, 1), 1), (dt.date(2025, 11, 1), 2)]
    assert found.by_class == [("6A1", 3)]
    assert dict(found.by_collection) == {"Sách thiếu nhi": 2, "Sách giáo khoa": 1}
    assert found.top_titles[0] == ("Cho tôi xin một vé đi tuổi thơ", 2)
    assert (found.readers, found.active_readers) == (3, 2)
    assert str(found.active_share) == "66.67"
    assert (found.on_site, found.activities, found.participants) == (40, 1, 80)
    assert figures([world.school.pk], 2024).loans == 0  # another school year


def test_an_office_sees_its_schools_figures_and_no_name(world, client_for):
    lend_some(world)
    client = client_for(world.office_officer)
    page = client.get(reverse("circulation:statistics"), {"year": 2025}).content.decode()
    assert world.school.name in page and world.school_a2.name in page
    assert "Nguyễn Văn An" not in page
    assert client.get(reverse("circulation:reader_list")).status_code == 403
    sheet = client.get(reverse("circulation:statistics_xlsx"), {"year": 2025})
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["Lượt mượn"] == 3
    schools = [row for row in book["Theo trường"].iter_rows(values_only=True)]
    mine = [row[:2] for row in schools if row[0] == world.school.name]
    assert mine == [(world.school.name, 3)]


def test_the_outsider_counts_nothing_of_ours(world, client_for):
    lend_some(world)
    page = client_for(world.outsider).get(reverse("circulation:statistics"), {"year": 2025})
    assert 'data-figure="loans">0<' in page.content.decode()


def test_the_standards_indicators(world):
    from thuvien.organisations.models import SchoolYearStats

    lend_some(world)
    activities.add_on_site(world.school, day=dt.date(2025, 10, 6), readers=62)
    SchoolYearStats.objects.update_or_create(
        school=world.school, year=2025, defaults={"students": 620, "teachers": 40}
    )
    DeskSettings.objects.filter(school=world.school).update(hours_per_week=30)
    ids = [world.school.pk]
    assert str(indicators.values("loans_per_student", ids, 2025)[world.school.pk]) == "0.00"
    assert (
        str(indicators.values("on_site_readings_per_student", ids, 2025)[world.school.pk]) == "0.10"
    )
    assert str(indicators.values("active_readers_share", ids, 2025)[world.school.pk]) == "66.67"
    assert indicators.values("opening_hours_per_week", ids, 2025)[world.school.pk] == 30
    assert indicators.values("reading_promotion_activities", ids, 2025) == {}
