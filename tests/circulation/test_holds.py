"""Holds: queued in order, a returned copy set aside for the first, lent to nobody else, picked
up, cancelled, expired to the next in the queue; the pickup notice."""

from __future__ import annotations

import datetime as dt

import pytest

from thuvien.catalogue.models import Copy, Record
from thuvien.circulation.models import Hold, HoldStatus, Reader
from thuvien.circulation.services import CirculationError, desk, holds
from thuvien.notifications.models import Notification


def novel(world) -> Record:
    return Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")


def reader(world, code: str) -> Reader:
    return Reader.objects.get(school=world.school, code=code)


def test_a_returned_copy_goes_to_the_first_in_the_queue_and_to_nobody_else(world):
    an, duong, teacher = reader(world, "HS0001"), reader(world, "HS0002"), reader(world, "GV0001")
    copy = Copy.objects.filter(school=world.school, record=novel(world)).first()
    desk.check_out(world.school, an, copy.barcode, by=None)
    first = holds.place_hold(world.school, teacher, novel(world))
    second = holds.place_hold(world.school, duong, novel(world))
    assert [holds.queue_position(h) for h in (first, second)] == [1, 2]
    with pytest.raises(CirculationError, match="đã đặt trước"):
        holds.place_hold(world.school, teacher, novel(world))

    back = desk.check_in(world.school, copy.barcode, by=None)
    assert back.hold is not None and back.hold.pk == first.pk
    assert back.message.endswith("Để riêng cho Lê Thị Cúc (GV0001), người đã đặt trước.")
    first.refresh_from_db()
    assert first.status == HoldStatus.READY and first.copy_id == copy.pk
    # The teacher's account is told.
    notice = Notification.objects.get(recipient=world.librarian, kind="hold_ready")
    assert "Cho tôi xin một vé đi tuổi thơ" in notice.subject

    with pytest.raises(CirculationError, match="đang được để riêng cho Lê Thị Cúc"):
        desk.check_out(world.school, duong, copy.barcode, by=None)
    desk.check_out(world.school, teacher, copy.barcode, by=None)
    first.refresh_from_db()
    assert first.status == HoldStatus.FULFILLED
    assert holds.queue_position(second) == 1


def test_a_hold_not_picked_up_expires_and_the_copy_goes_to_the_next(world):
    an, duong = reader(world, "HS0001"), reader(world, "HS0002")
    copy = Copy.objects.filter(school=world.school, record=novel(world)).first()
    first = holds.place_hold(world.school, an, novel(world))
    second = holds.place_hold(world.school, duong, novel(world))
    holds.set_aside_from_shelf(world.school, copy.barcode)
    first.refresh_from_db()
    assert first.status == HoldStatus.READY
    assert holds.expire_holds(first.pickup_by + dt.timedelta(days=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HoldStatus.EXPIRED
    assert second.status == HoldStatus.READY and second.copy_id == copy.pk


def test_cancelling_a_ready_hold_passes_the_copy_on(world):
    an, duong = reader(world, "HS0001"), reader(world, "HS0002")
    copy = Copy.objects.filter(school=world.school, record=novel(world)).first()
    first = holds.place_hold(world.school, an, novel(world))
    second = holds.place_hold(world.school, duong, novel(world))
    holds.set_aside_from_shelf(world.school, copy.barcode)
    holds.cancel_hold(Hold.objects.get(pk=first.pk))
    second.refresh_from_db()
    assert second.status == HoldStatus.READY
    with pytest.raises(CirculationError, match="không còn hiệu lực"):
        holds.cancel_hold(Hold.objects.get(pk=first.pk))


def test_textbooks_cannot_be_held_by_the_rule_and_a_title_not_held_here_cannot_be(world):
    textbook = Record.objects.get(title="Tiếng Việt 1")
    with pytest.raises(CirculationError, match="quy định mượn không cho đặt trước"):
        holds.place_hold(world.school, reader(world, "HS0001"), textbook)
    outsider = Reader.objects.get(school=world.outsider_school)
    with pytest.raises(CirculationError, match="không có bản nào của Tiếng Việt 1"):
        holds.place_hold(world.outsider_school, outsider, textbook)


def test_the_waiting_list_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for code in ("HS0001", "HS0002", "GV0001"):
        holds.place_hold(world.school, reader(world, code), novel(world))
    with django_assert_max_num_queries(3):
        rows = holds.waiting_list(world.school)
    assert [row["place"] for row in rows] == [1, 2, 3]
    assert rows[0]["on_shelf"] == 2
