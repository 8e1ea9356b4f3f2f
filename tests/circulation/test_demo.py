"""The demo's desks: readers in every school, rules and the Tết closure, and in the showcase
schools a school year of loans, some overdue, and a class set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from thuvien.catalogue.models import Copy, CopyStatus
from thuvien.circulation import demo
from thuvien.circulation.models import (
    Closure,
    Loan,
    LoanRule,
    OnSiteReading,
    Reader,
    ReaderKind,
    ReadingActivity,
)
from thuvien.core import demo as demo_parts
from thuvien.organisations import demo as province_demo
from thuvien.organisations.models import Unit

TODAY = dt.date(2026, 12, 2)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Reader, Loan, LoanRule, Closure)}


@pytest.mark.django_db
def test_the_demo_lends_a_school_year_and_a_class_set(settings: Any, tmp_path: Any):
    settings.MEDIA_ROOT = tmp_path
    with demo_parts.only("catalogue", "circulation", "stocktake"):
        province_demo.build_province(8, seed=2025, today=TODAY)
    schools = set(Unit.objects.schools().filter(is_active=True).values_list("pk", flat=True))
    assert set(Reader.objects.values_list("school_id", flat=True)) == schools
    assert Reader.objects.filter(kind=ReaderKind.TEACHER, user__isnull=False).exists()
    lenders = set(Loan.objects.values_list("school_id", flat=True))
    assert len(lenders) == demo.SHOWCASE
    assert Loan.objects.filter(returned_at__isnull=False).count() > 100
    assert Loan.objects.overdue(TODAY).exists()
    # The class set: a whole class holds the same textbook until the end of the year.
    textbook_loans = Loan.objects.filter(copy__collection__code="SGK", returned_at__isnull=True)
    assert textbook_loans.count() >= demo.SHOWCASE * demo.CLASS_SIZE
    assert set(textbook_loans.values_list("due_on", flat=True)) == {dt.date(2027, 5, 31)}
    # Every copy on loan is marked so, and only those.
    open_copies = set(Loan.objects.open().values_list("copy_id", flat=True))
    assert set(Copy.objects.filter(status=CopyStatus.ON_LOAN).values_list("pk", flat=True)) == (
        open_copies
    )
    # A finished stocktake: one copy missing, one found on another shelf.
    from thuvien.stocktake.models import Outcome, StocktakeLine, StocktakeStatus

    lines = StocktakeLine.objects.values_list("outcome", flat=True)
    assert sorted(lines) == [Outcome.MISPLACED, Outcome.MISSING]
    stocktake = StocktakeLine.objects.first().stocktake
    assert stocktake.status == StocktakeStatus.CLOSED
    assert ReadingActivity.objects.filter(kind="book_talk").exists()
    assert OnSiteReading.objects.exists()
    before = counts()
    demo.seed_circulation(TODAY, seed=2025)
    assert counts() == before  # a second run adds nothing
    demo.clear_circulation_data()
    assert sum(counts().values()) == 0
    assert not Copy.objects.filter(status=CopyStatus.ON_LOAN).exists()
