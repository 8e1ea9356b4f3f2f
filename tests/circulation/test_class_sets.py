"""Class sets: a title lent to every student of a class in one action, taken back together."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thuvien.catalogue.models import Copy, CopyStatus, Record
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies as copy_services
from thuvien.catalogue.services import records
from thuvien.circulation.models import Loan, Reader
from thuvien.circulation.services import CirculationError, class_sets, desk, readers

TERM = dt.datetime(2025, 9, 15, 8, 0, tzinfo=dt.UTC)


def a_class_of(world, size: int, name: str = "6A1") -> list[Reader]:
    """The world's two students of 6A1, and more up to `size`."""
    for i in range(size - 2):
        readers.save_reader(
            world.school, kind="student", code=f"L{i:03}", full_name=f"Học sinh {i:02}",
            class_name=name, grade=6,
        )  # fmt: skip
    return class_sets.students_of(world.school, name)


def textbook(world) -> Record:
    return Record.objects.get(title="Tiếng Việt 1")


def test_a_class_set_lends_one_copy_to_every_student_and_again_lends_nothing(
    world, django_assert_max_num_queries
):
    students = a_class_of(world, 40)
    record = textbook(world)
    copy_services.add_copies(record, school=world.school, count=37, by=None)  # 3 + 37
    with django_assert_max_num_queries(20):
        result = class_sets.lend_class_set(
            world.school, record, "6A1", by=world.librarian, now=TERM
        )
    assert (result.lent, result.already) == (40, 0)
    loans = Loan.objects.filter(copy__record=record, returned_at__isnull=True)
    assert sorted(loans.values_list("reader_id", flat=True)) == sorted(s.pk for s in students)
    # The textbook rule of the SGK collection: due at the end of the school year.
    assert set(loans.values_list("due_on", flat=True)) == {dt.date(2026, 5, 29)}
    assert not Copy.objects.filter(record=record, status=CopyStatus.AVAILABLE).exists()
    assert Loan.history.filter(copy__record=record).count() == 40  # audited
    again = class_sets.lend_class_set(world.school, record, "6A1", by=world.librarian)
    assert (again.lent, again.already) == (0, 40)

    held = class_sets.class_holdings(world.school, "6A1")
    assert [(h.record.title, h.copies) for h in held] == [("Tiếng Việt 1", 40)]
    assert class_sets.return_class_set(world.school, record, "6A1", by=world.librarian) == 40
    assert not Loan.objects.filter(returned_at__isnull=True).exists()
    assert Copy.objects.filter(record=record, status=CopyStatus.AVAILABLE).count() == 40
    assert class_sets.class_holdings(world.school, "6A1") == []


def test_not_enough_copies_lends_nothing_and_says_how_many_are_missing(world):
    a_class_of(world, 5)
    record = textbook(world)
    desk.check_out(
        world.school, Reader.objects.get(code="HS0001", school=world.school),
        Copy.objects.filter(record=record, school=world.school).first().barcode, by=None,
    )  # fmt: skip
    with pytest.raises(CirculationError) as refused:
        class_sets.lend_class_set(world.school, record, "6A1", by=None)
    assert str(refused.value) == (
        "Chỉ còn 2 bản Tiếng Việt 1 trên giá cho 4 học sinh lớp 6A1 chưa mượn: "
        "hãy bổ sung bản sách hoặc cho mượn từng bản."
    )
    assert Loan.objects.count() == 1


def test_a_student_at_the_limit_stops_the_set(world):
    a_class_of(world, 3)
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    made = copy_services.add_copies(novel, school=world.school, count=6, by=None)
    student = Reader.objects.get(code="HS0001", school=world.school)
    for copy in made[:3]:  # the general rule: 3 items
        desk.check_out(world.school, student, copy.barcode, by=None)
    another = records.create_record(
        RecordData(title="Truyện Kiều", author="Nguyễn Du", doc_type="stn", year=2020),
        school=world.school, by=None,
    )  # fmt: skip
    copy_services.add_copies(another, school=world.school, count=3, by=None)
    with pytest.raises(CirculationError, match="Nguyễn Văn An đã mượn tối đa"):
        class_sets.lend_class_set(world.school, another, "6A1", by=None)


def test_the_class_pages_lend_and_take_back_for_the_librarian_only(world, client_for):
    a_class_of(world, 3)
    client = client_for(world.librarian)
    record = textbook(world)
    copy = Copy.objects.filter(record=record, school=world.school).first()
    page = client.get(reverse("circulation:class_desk"), {"class": "6A1"}).content.decode()
    assert "Lớp 6A1" in page and "Trần Thị Đường" in page
    response = client.post(
        reverse("circulation:class_lend"), {"class": "6A1", "title_code": copy.barcode}, follow=True
    )
    assert "Đã cho lớp 6A1 mượn 3 bản Tiếng Việt 1." in response.content.decode()
    response = client.post(
        reverse("circulation:class_lend"), {"class": "6A1", "title_code": "0000"}, follow=True
    )
    assert "hãy quét một bản của bộ sách" in response.content.decode()
    outsider = client_for(world.outsider)
    outsider.post(reverse("circulation:class_return"), {"class": "6A1", "record": record.pk})
    assert Loan.objects.filter(returned_at__isnull=True).count() == 3  # not theirs to take back
    assert (
        "Trần Thị Đường"
        not in outsider.get(reverse("circulation:class_desk"), {"class": "6A1"}).content.decode()
    )
    response = client.post(
        reverse("circulation:class_return"), {"class": "6A1", "record": record.pk}, follow=True
    )
    assert "Đã nhận lại 3 bản Tiếng Việt 1 của lớp 6A1." in response.content.decode()
    assert client_for(world.principal).get(reverse("circulation:class_desk")).status_code == 403
