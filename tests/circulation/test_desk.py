"""The desk's use cases: lend, return, renew, by the school's loan rules and calendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from thuvien.catalogue.models import Copy, CopyStatus
from thuvien.catalogue.services import copies as copy_services
from thuvien.circulation.models import Closure, Loan, LoanRule, Reader, ReaderKind
from thuvien.circulation.services import CirculationError, desk
from thuvien.circulation.services.calendar import next_open_day, rule_for

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# A Tuesday during term.
MORNING = dt.datetime(2025, 10, 7, 9, 0, tzinfo=HANOI)


def student(world) -> Reader:
    return Reader.objects.get(school=world.school, code="HS0001")


def novel_copy(world) -> Copy:
    return Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk").first()


def textbook_copies(world) -> list[Copy]:
    return list(Copy.objects.filter(school=world.school, collection__code="SGK").order_by("pk"))


def made_textbook(world) -> Copy:
    record = textbook_copies(world)[0].record
    return copy_services.add_copies(record, school=world.school, count=1, by=None)[0]


def test_a_copy_is_lent_by_its_barcode_and_returned_by_it_alone(world):
    copy = novel_copy(world)
    outcome = desk.check_out(
        world.school, student(world), copy.barcode, by=world.librarian, now=MORNING
    )
    assert not outcome.repeated
    # The general student rule: 14 days from Tuesday 7 October is Tuesday 21 October.
    assert outcome.loan.due_on == dt.date(2025, 10, 21)
    assert outcome.message == f"Đã cho mượn: {copy.record.title}, hạn trả 21/10/2025."
    copy.refresh_from_db()
    assert copy.status == CopyStatus.ON_LOAN

    back = desk.check_in(
        world.school, copy.barcode, by=world.librarian, now=MORNING + dt.timedelta(days=20)
    )
    assert back.loan.pk == outcome.loan.pk and not back.repeated
    assert back.loan.returned_by == world.librarian
    copy.refresh_from_db()
    assert copy.status == CopyStatus.AVAILABLE
    # Audited: the loan's history has its issue and its return.
    assert outcome.loan.history.count() == 2


def test_the_registration_number_on_the_label_works_as_well_as_the_barcode(world):
    copy = novel_copy(world)
    Copy.objects.filter(pk=copy.pk).update(barcode="8930000000017")
    outcome = desk.check_out(
        world.school, student(world), copy.registration_number, by=None, now=MORNING
    )
    assert outcome.loan.copy_id == copy.pk


def test_a_scan_sent_twice_lends_once_and_returns_once(world):
    copy = novel_copy(world)
    reader = student(world)
    first = desk.check_out(world.school, reader, copy.barcode, by=None, key="scan-1", now=MORNING)
    again = desk.check_out(world.school, reader, copy.barcode, by=None, key="scan-1", now=MORNING)
    assert again.repeated and again.loan.pk == first.loan.pk
    # A double scan (another key, the same copy, the same reader) does nothing either.
    double = desk.check_out(world.school, reader, copy.barcode, by=None, key="scan-2", now=MORNING)
    assert double.repeated
    assert Loan.objects.filter(copy=copy).count() == 1

    later = MORNING + dt.timedelta(days=3)
    desk.check_in(world.school, copy.barcode, by=None, key="back-1", now=later)
    assert desk.check_in(world.school, copy.barcode, by=None, key="back-1", now=later).repeated
    assert desk.check_in(world.school, copy.barcode, by=None, key="back-2", now=later).repeated
    with pytest.raises(CirculationError, match="không có ai mượn"):
        desk.check_in(world.school, copy.barcode, by=None, now=later + dt.timedelta(hours=1))


def test_a_copy_on_loan_to_someone_else_is_refused_with_their_name(world):
    copy = novel_copy(world)
    desk.check_out(world.school, student(world), copy.barcode, by=None, now=MORNING)
    classmate = Reader.objects.get(school=world.school, code="HS0002")
    with pytest.raises(CirculationError) as refused:
        desk.check_out(world.school, classmate, copy.barcode, by=None, now=MORNING)
    assert str(refused.value) == (
        f"Bản sách {copy.barcode} đang cho Nguyễn Văn An (HS0001) mượn: hãy nhận trả trước."
    )


def test_the_database_allows_one_open_loan_a_copy(world):
    from django.db import IntegrityError, transaction

    copy = novel_copy(world)
    desk.check_out(world.school, student(world), copy.barcode, by=None, now=MORNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            school=world.school,
            copy=copy,
            reader=Reader.objects.get(school=world.school, code="HS0002"),
            due_on=dt.date(2025, 11, 1),
        )


def test_the_most_items_a_reader_may_hold(world):
    reader = student(world)
    # Textbooks count against their own rule (12 for the year), not against the general 3.
    for copy in textbook_copies(world):
        desk.check_out(world.school, reader, copy.barcode, by=None, now=MORNING)
    made = copy_services.add_copies(novel_copy(world).record, school=world.school, count=4, by=None)
    for copy in made[:3]:
        desk.check_out(world.school, reader, copy.barcode, by=None, now=MORNING)
    with pytest.raises(CirculationError) as refused:
        desk.check_out(world.school, reader, made[3].barcode, by=None, now=MORNING)
    assert (
        str(refused.value)
        == "Nguyễn Văn An đang mượn 3 tài liệu, mức tối đa quy định mượn cho phép."
    )


def test_textbooks_follow_their_collection_rule_for_the_whole_school_year(world):
    reader = student(world)
    # 12 textbooks allowed, due at the end of the year (29/05/2026 is a Friday): not renewed.
    loans = [
        desk.check_out(world.school, reader, copy.barcode, by=None, now=MORNING).loan
        for copy in textbook_copies(world)
    ]
    assert {loan.due_on for loan in loans} == {dt.date(2026, 5, 29)}
    # Lent next year, the same rule gives the end of that school year.
    next_year = MORNING.replace(year=2026)
    later = desk.check_out(
        world.school, Reader.objects.get(school=world.school, code="HS0002"),
        made_textbook(world).barcode,
        by=None, now=next_year,
    ).loan  # fmt: skip
    assert later.due_on == dt.date(2027, 5, 29)
    with pytest.raises(CirculationError, match="Lượt mượn cả năm học không gia hạn"):
        desk.renew(loans[0], by=None, today=dt.date(2025, 11, 1))


def test_a_due_date_moves_past_sundays_and_closures(world):
    # 14 days from Saturday 31 January 2026 is Saturday 14 February: the Tết closure runs to
    # Sunday 22 February, so the loan is due on Monday 23 February.
    saturday = dt.datetime(2026, 1, 31, 10, 0, tzinfo=HANOI)
    outcome = desk.check_out(
        world.school, student(world), novel_copy(world).barcode, by=None, now=saturday
    )
    assert outcome.loan.due_on == dt.date(2026, 2, 23)
    # A Sunday moves to Monday; an open day stays.
    assert next_open_day(world.school, dt.date(2025, 10, 12)) == dt.date(2025, 10, 13)
    assert next_open_day(world.school, dt.date(2025, 10, 13)) == dt.date(2025, 10, 13)
    # Two closures back to back (and a Sunday after them) are all passed.
    Closure.objects.create(
        school=world.school,
        starts_on=dt.date(2026, 2, 23),
        ends_on=dt.date(2026, 2, 28),
        reason="Bão",
    )
    assert next_open_day(world.school, dt.date(2026, 2, 16)) == dt.date(2026, 3, 2)


def test_a_collections_own_rule_comes_before_the_general_rule(world):
    textbook, novel = textbook_copies(world)[0], novel_copy(world)
    assert rule_for(world.school, ReaderKind.STUDENT, textbook.collection_id).max_items == 12
    assert rule_for(world.school, ReaderKind.STUDENT, novel.collection_id).max_items == 3
    # A teacher has no rule of their own at this school: the default.
    assert rule_for(world.school, ReaderKind.TEACHER, novel.collection_id).pk is None


def test_renewing_moves_the_due_date_as_often_as_the_rule_allows(world):
    copy = novel_copy(world)
    loan = desk.check_out(world.school, student(world), copy.barcode, by=None, now=MORNING).loan
    with pytest.raises(CirculationError, match="gia hạn lúc này không thêm được ngày nào"):
        desk.renew(loan, by=None, today=dt.date(2025, 10, 7))
    desk.renew(loan, by=None, today=dt.date(2025, 10, 20))
    loan.refresh_from_db()
    assert (loan.due_on, loan.renewals) == (dt.date(2025, 11, 3), 1)
    with pytest.raises(CirculationError) as refused:
        desk.renew(loan, by=None, today=dt.date(2025, 11, 1))
    assert str(refused.value) == (
        f"{copy.record.title} đã gia hạn 1 lần, mức tối đa quy định mượn cho phép."
    )


def test_renew_all_renews_what_it_may_and_says_why_not_the_rest(world):
    reader = student(world)
    desk.check_out(world.school, reader, novel_copy(world).barcode, by=None, now=MORNING)
    desk.check_out(world.school, reader, textbook_copies(world)[0].barcode, by=None, now=MORNING)
    done, refused = desk.renew_all(reader, by=None, today=dt.date(2025, 10, 20))
    assert done == 1
    assert refused == ["Lượt mượn cả năm học không gia hạn."]


def test_a_withdrawn_lost_or_foreign_copy_is_not_lent(world):
    reader = student(world)
    copy = novel_copy(world)
    Copy.objects.filter(pk=copy.pk).update(status=CopyStatus.LOST)
    with pytest.raises(CirculationError, match="đang ghi là bị mất"):
        desk.check_out(world.school, reader, copy.barcode, by=None, now=MORNING)
    foreign = Copy.objects.get(school=world.outsider_school)
    Copy.objects.filter(pk=foreign.pk).update(barcode="NGOAI-0001")
    foreign.refresh_from_db()
    with pytest.raises(CirculationError) as refused:
        desk.check_out(world.school, reader, foreign.barcode, by=None, now=MORNING)
    assert str(refused.value) == (
        f"Không có bản sách nào của trường mang mã vạch {foreign.barcode}: hãy kiểm tra nhãn."
    )


def test_an_inactive_reader_or_another_schools_reader_borrows_nothing(world):
    reader = student(world)
    reader.active = False
    reader.save()
    with pytest.raises(CirculationError, match="không còn là bạn đọc của trường"):
        desk.check_out(world.school, reader, novel_copy(world).barcode, by=None, now=MORNING)
    outsider = Reader.objects.get(school=world.outsider_school)
    with pytest.raises(CirculationError, match="Bạn đọc này thuộc trường khác"):
        desk.check_out(world.school, outsider, novel_copy(world).barcode, by=None, now=MORNING)
    with pytest.raises(CirculationError, match="Không có bạn đọc nào của trường mang mã HS9"):
        desk.find_reader(world.school, "HS9")


def test_a_late_return_says_how_late(world):
    copy = novel_copy(world)
    desk.check_out(world.school, student(world), copy.barcode, by=None, now=MORNING)
    late = desk.check_in(world.school, copy.barcode, by=None, now=MORNING + dt.timedelta(days=19))
    assert late.message.endswith("Trả muộn 5 ngày.")
    assert Loan.objects.overdue(dt.date(2025, 10, 22)).count() == 0


def test_checkout_reads_open_loans_only_so_a_long_history_costs_nothing(
    world, django_assert_max_num_queries
):
    """The query count of a checkout is the same for a reader with a long history."""
    reader = student(world)
    copy = novel_copy(world)
    for day in range(30):
        at = MORNING + dt.timedelta(days=day)
        desk.check_out(world.school, reader, copy.barcode, by=None, now=at)
        desk.check_in(world.school, copy.barcode, by=None, now=at + dt.timedelta(hours=1))
    other = Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk")[1]
    with django_assert_max_num_queries(14):
        desk.check_out(
            world.school,
            reader,
            other.barcode,
            by=None,
            key="k",
            now=MORNING + dt.timedelta(days=40),
        )
    assert LoanRule.objects.filter(school=world.school).count() == 2
