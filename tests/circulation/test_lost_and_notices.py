"""Lost and damaged copies with what the reader pays; overdue notices in the app and by e-mail
for readers with an account, slips to print for the others."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.core import mail
from django.urls import reverse

from thuvien.catalogue.models import Copy, CopyStatus
from thuvien.circulation.models import Loan, LoanEnd, Reader
from thuvien.circulation.services import CirculationError, desk
from thuvien.circulation.services.notices import send_overdue_notices
from thuvien.notifications.models import Notification


def novel_copy(world) -> Copy:
    return Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk").first()


def test_a_lost_copy_ends_the_loan_and_costs_its_price(world, client_for):
    reader = Reader.objects.get(school=world.school, code="HS0001")
    copy = novel_copy(world)
    loan = desk.check_out(world.school, reader, copy.barcode, by=None).loan
    response = client_for(world.librarian).post(
        reverse("circulation:loan_end", args=[loan.pk]), {"how": "lost"}, follow=True
    )
    assert "Bạn đọc làm mất, 85.000 VND phải trả." in response.content.decode()
    loan.refresh_from_db()
    assert (loan.ended, loan.replacement_vnd) == (LoanEnd.LOST, 85_000)
    assert loan.returned_at is not None
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.LOST
    with pytest.raises(CirculationError, match="đã được trả"):
        desk.mark_lost(loan, by=None)
    # Outsiders cannot touch it.
    second = Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk")[1]
    other = desk.check_out(world.school, reader, second.barcode, by=None).loan
    outsider = client_for(world.outsider)
    assert (
        outsider.post(reverse("circulation:loan_end", args=[other.pk]), {"how": "lost"}).status_code
        == 404
    )


def test_a_damaged_return_records_the_cost_given_and_the_copy_waits_for_repair(world):
    reader = Reader.objects.get(school=world.school, code="HS0001")
    copy = novel_copy(world)
    loan = desk.check_out(world.school, reader, copy.barcode, by=None).loan
    desk.return_damaged(loan, by=None, replacement_vnd=20_000)
    loan.refresh_from_db()
    assert (loan.ended, loan.replacement_vnd) == (LoanEnd.DAMAGED, 20_000)
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.DAMAGED


def test_overdue_readers_with_an_account_are_told_once_a_week(world):
    teacher = Reader.objects.get(school=world.school, code="GV0001")  # linked to the librarian
    student = Reader.objects.get(school=world.school, code="HS0001")  # no account
    desk.check_out(world.school, teacher, novel_copy(world).barcode, by=None)
    other = Copy.objects.filter(school=world.school, collection__code="STN").order_by("pk")[1]
    desk.check_out(world.school, student, other.barcode, by=None)
    Loan.objects.update(due_on=dt.date(2026, 10, 1))
    mail.outbox.clear()
    assert send_overdue_notices(dt.date(2026, 10, 5)) == 1
    notice = Notification.objects.get(recipient=world.librarian, kind="overdue")
    assert "Cho tôi xin một vé đi tuổi thơ (01/10/2026)" in notice.body
    assert send_overdue_notices(dt.date(2026, 10, 8)) == 0  # not again within the week
    assert send_overdue_notices(dt.date(2026, 10, 12)) == 1


def test_the_slips_list_every_overdue_reader_class_by_class(world, client_for):
    student = Reader.objects.get(school=world.school, code="HS0001")
    desk.check_out(world.school, student, novel_copy(world).barcode, by=None)
    Loan.objects.update(due_on=dt.date(2025, 10, 1))
    response = client_for(world.librarian).get(reverse("circulation:overdue_slips"))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "PHIẾU NHẮC TRẢ SÁCH THƯ VIỆN" in text and "Nguyễn Văn An" in text
    assert "01/10/2025" in text
    theirs = client_for(world.outsider).get(reverse("circulation:overdue_slips"))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(theirs.content)).pages)
    assert "Nguyễn Văn An" not in text
