"""Stocktake use cases: open, scan (queued in the browser like the desk, resent scans and
double scans counted once), close (the outcome, computed once), apply (the principal).

A partial stocktake (one collection, or one shelf) expects only the copies in it: copies
elsewhere are never marked missing by it. Closing reads the copies of its scope and its scans
once each and writes only the exceptions (missing, misplaced, unexpected, on loan) as lines:
a fixed number of queries, whatever the size of the collection.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from thuvien.catalogue.models import Collection, Copy, CopyStatus
from thuvien.organisations.models import Unit
from thuvien.stocktake.models import (
    Outcome,
    Stocktake,
    StocktakeLine,
    StocktakeScan,
    StocktakeStatus,
)


class StocktakeError(Exception):
    """A stocktake use case refused: the message (translated) says what to fix."""


@dataclass(frozen=True)
class Scanned:
    repeated: bool
    message: str


def open_stocktake(
    school: Unit, *, by: Any, collection: Collection | None = None, location: str = ""
) -> Stocktake:
    if collection is not None and collection.school_id != school.pk:
        raise StocktakeError(_("Choose one of the school's own collections."))
    location = " ".join(location.split())
    same = Stocktake.objects.filter(
        school=school, status=StocktakeStatus.OPEN, collection=collection, location=location
    )
    if same.exists():
        raise StocktakeError(_("A stocktake of this collection and shelf is open already."))
    return Stocktake.objects.create(
        school=school, collection=collection, location=location, opened_by=by
    )


def _in_scope(stocktake: Stocktake, copy: Copy) -> bool:
    if stocktake.collection_id is not None and copy.collection_id != stocktake.collection_id:
        return False
    return not stocktake.location or copy.location == stocktake.location


def scan(
    stocktake: Stocktake,
    barcode: str,
    *,
    by: Any,
    key: str = "",
    found_at: str = "",
    now: dt.datetime | None = None,
) -> Scanned:
    code, key = barcode.strip()[:40], key[:64]
    if not code:
        raise StocktakeError(_("Scan or type the copy's barcode."))
    if stocktake.status != StocktakeStatus.OPEN:
        raise StocktakeError(_("This stocktake is closed: open a new one to scan again."))
    if key and StocktakeScan.objects.filter(stocktake=stocktake, key=key).exists():
        return Scanned(True, _("Counted already: %(code)s.") % {"code": code})
    school = stocktake.school
    rows = Copy.objects.select_related("record", "collection").filter(school=school)
    copy = rows.scanned(code)
    where = " ".join(found_at.split())[:100] or stocktake.location
    row = StocktakeScan(
        school=school, stocktake=stocktake, barcode=code, copy=copy, found_at=where, key=key,
        scanned_by=by, scanned_at=now or timezone.now(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return Scanned(True, _("Counted already: %(code)s.") % {"code": code})
    if copy is None:
        if Copy.objects.filter(barcode=code).exclude(school=school).exists():
            return Scanned(False, _("%(code)s is another school's copy: set it aside.") % {
                "code": code})  # fmt: skip
        return Scanned(False, _("No copy of the school has the barcode %(code)s.") % {"code": code})
    message = _("Counted: %(title)s.") % {"title": copy.record.title}
    notes = {
        CopyStatus.LOST: _("It was marked lost."),
        CopyStatus.WITHDRAWN: _("It was withdrawn."),
        CopyStatus.ON_LOAN: _("It is recorded as on loan."),
    }
    if copy.status in notes:
        message += " " + str(notes[CopyStatus(copy.status)])
    elif not _in_scope(stocktake, copy):
        message += " " + _("It belongs elsewhere: %(place)s.") % {
            "place": copy.location or copy.collection.code
        }
    return Scanned(False, message)


@transaction.atomic
def close(stocktake: Stocktake, *, by: Any, now: dt.datetime | None = None) -> dict[str, int]:
    locked = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if locked.status != StocktakeStatus.OPEN:
        raise StocktakeError(_("This stocktake is closed already."))
    school = locked.school
    scope = Copy.objects.filter(school=school).exclude(
        status__in=(CopyStatus.WITHDRAWN, CopyStatus.LOST)
    )
    if locked.collection_id is not None:
        scope = scope.filter(collection_id=locked.collection_id)
    if locked.location:
        scope = scope.filter(location=locked.location)
    expected = {
        pk: (status, location, barcode)
        for pk, status, location, barcode in scope.values_list(
            "pk", "status", "location", "barcode"
        )
    }
    scans = list(
        StocktakeScan.objects.filter(stocktake=locked).values_list("copy_id", "barcode", "found_at")
    )
    scanned = {copy_id: found_at for copy_id, _code, found_at in scans if copy_id is not None}
    lines: list[StocktakeLine] = []

    def line(outcome: str, barcode: str, copy_id: int | None, expected_at: str = "",
             found_at: str = "") -> None:  # fmt: skip
        lines.append(StocktakeLine(
            school=school, stocktake=locked, outcome=outcome, copy_id=copy_id, barcode=barcode,
            expected_at=expected_at, found_at=found_at,
        ))  # fmt: skip

    for pk, (status, location, barcode) in expected.items():
        if pk in scanned:
            continue
        line(Outcome.ON_LOAN if status == CopyStatus.ON_LOAN else Outcome.MISSING, barcode, pk,
             location)  # fmt: skip
    found = Copy.objects.filter(pk__in=list(scanned)).select_related("collection")
    for copy in found:
        where = scanned[copy.pk]
        if copy.status == CopyStatus.LOST:
            line(Outcome.FOUND_LOST, copy.barcode, copy.pk, copy.location, where)
        elif copy.status == CopyStatus.WITHDRAWN:
            line(Outcome.FOUND_WITHDRAWN, copy.barcode, copy.pk, copy.location, where)
        elif copy.status == CopyStatus.ON_LOAN:
            line(Outcome.SCANNED_ON_LOAN, copy.barcode, copy.pk, copy.location, where)
        elif copy.pk not in expected or (where and copy.location and where != copy.location):
            line(Outcome.MISPLACED, copy.barcode, copy.pk,
                 copy.location or copy.collection.code, where)  # fmt: skip
    others = {
        code for code in Copy.objects.filter(
            barcode__in=[code for copy_id, code, _w in scans if copy_id is None]
        ).exclude(school=school).values_list("barcode", flat=True)
    }  # fmt: skip
    for copy_id, code, where in scans:
        if copy_id is None:
            line(Outcome.OTHER_SCHOOL if code in others else Outcome.UNKNOWN, code, None, "", where)
    StocktakeLine.objects.bulk_create(lines, batch_size=500)
    locked.status, locked.closed_at = StocktakeStatus.CLOSED, now or timezone.now()
    locked.save()
    stocktake.status, stocktake.closed_at = locked.status, locked.closed_at
    counts = Counter(item.outcome for item in lines)
    return {"expected": len(expected), "scanned": len(scans), **counts}


@transaction.atomic
def apply(stocktake: Stocktake, *, by: Any, now: dt.datetime | None = None) -> tuple[int, int]:
    """The principal approves the outcome: missing copies are marked lost, copies marked lost
    and found go back on the shelf. Returns (marked lost, back on the shelf)."""
    locked = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if locked.status != StocktakeStatus.CLOSED:
        raise StocktakeError(_("Only a closed stocktake is applied, and only once."))
    lines = StocktakeLine.objects.filter(stocktake=locked)
    missing = list(
        Copy.objects.filter(
            pk__in=lines.filter(outcome=Outcome.MISSING).values("copy_id"),
            status=CopyStatus.AVAILABLE,
        )
    )
    back = list(
        Copy.objects.filter(
            pk__in=lines.filter(outcome=Outcome.FOUND_LOST).values("copy_id"),
            status=CopyStatus.LOST,
        )
    )
    for copy in missing:
        copy.status = CopyStatus.LOST
    for copy in back:
        copy.status = CopyStatus.AVAILABLE
    bulk_update_with_history([*missing, *back], Copy, ["status"], default_user=by)
    locked.status, locked.approved_by = StocktakeStatus.APPLIED, by
    locked.applied_at = now or timezone.now()
    locked.save()
    stocktake.status = locked.status
    return len(missing), len(back)


def summary(stocktake: Stocktake) -> dict[str, int]:
    counts = Counter(
        StocktakeLine.objects.filter(stocktake=stocktake).values_list("outcome", flat=True)
    )
    return {
        "scanned": StocktakeScan.objects.filter(stocktake=stocktake).count(),
        **{outcome: counts.get(outcome, 0) for outcome in Outcome.values},
    }
