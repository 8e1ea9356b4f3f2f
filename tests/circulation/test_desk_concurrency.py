"""Many desks scanning the same copy at once: the database's one-open-loan rule decides."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from thuvien.catalogue.models import Copy, CopyStatus
from thuvien.circulation.models import Loan, Reader
from thuvien.circulation.services import CirculationError, desk, readers

THREADS = 20


def _race(work) -> tuple[list, list[str]]:
    barrier = threading.Barrier(THREADS)
    results: list = []
    refusals: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcome = work(index)
            with lock:
                results.append(outcome)
        except CirculationError as error:
            with lock:
                refusals.append(str(error))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results, refusals


@pytest.mark.postgresql  # SQLite serialises writers by itself; this is PostgreSQL's concurrency
@pytest.mark.django_db(transaction=True)
def test_twenty_desks_lending_the_same_copy_to_twenty_readers_make_one_loan(world):
    copy = Copy.objects.filter(school=world.school, collection__code="STN").first()
    school = world.school
    people = [
        readers.save_reader(school, kind="student", code=f"DUA{i:02}", full_name=f"Học sinh {i}")
        for i in range(THREADS)
    ]

    def lend(index: int):
        reader = Reader.objects.get(pk=people[index].pk)
        return desk.check_out(school, reader, copy.barcode, by=None, key=f"desk-{index}")

    lent, refusals = _race(lend)
    assert len(lent) == 1 and len(refusals) == THREADS - 1
    assert Loan.objects.filter(copy=copy).count() == 1
    assert all(
        "vừa được cho mượn ở một quầy khác" in message or "đang cho" in message
        for message in refusals
    ), refusals
    copy.refresh_from_db()
    assert copy.status == CopyStatus.ON_LOAN


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_scan_retried_by_twenty_threads_lends_once_and_answers_each(world):
    copy = Copy.objects.filter(school=world.school, collection__code="STN").first()
    reader = Reader.objects.get(school=world.school, code="HS0001")

    def lend(index: int):
        return desk.check_out(world.school, reader, copy.barcode, by=None, key="one-scan")

    outcomes, refusals = _race(lend)
    assert refusals == [] and len(outcomes) == THREADS
    assert len({outcome.loan.pk for outcome in outcomes}) == 1
    assert sum(not outcome.repeated for outcome in outcomes) == 1
    assert Loan.objects.filter(copy=copy).count() == 1
