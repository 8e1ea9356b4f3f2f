"""Holds: placed by a reader (or for them at the desk), queued by the time they were placed, a
returned copy set aside for the first in the queue, picked up when it is lent to them, cancelled,
or expired when nobody came within the pickup days (the copy then goes to the next one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from thuvien.catalogue.models import Copy, CopyStatus, Record
from thuvien.circulation.models import DEFAULT_RULE, Hold, HoldStatus, Loan, Reader
from thuvien.circulation.services.calendar import next_open_day, rules_of_kind
from thuvien.circulation.services.errors import CirculationError
from thuvien.organisations.models import Unit

PICKUP_DAYS = 3


def place_hold(
    school: Unit, reader: Reader, record: Record, *, now: dt.datetime | None = None
) -> Hold:
    now = now or timezone.now()
    if reader.school_id != school.pk or not reader.active:
        raise CirculationError(_("Only an active reader of the school can place a hold."))
    shelf = Copy.objects.filter(school=school, record=record).exclude(status=CopyStatus.WITHDRAWN)
    first = shelf.order_by("pk").first()
    if first is None:
        raise CirculationError(
            _("The school has no copy of %(title)s to hold.") % {"title": record.title}
        )
    rules = rules_of_kind(school, reader.kind)
    rule = rules.get(first.collection_id) or rules.get(None) or DEFAULT_RULE
    if not rule.holds_allowed:
        raise CirculationError(
            _("%(title)s cannot be held: the loan rules do not allow holds on it.")
            % {"title": record.title}
        )
    if Loan.objects.filter(reader=reader, copy__record=record, returned_at__isnull=True).exists():
        raise CirculationError(_("You have %(title)s on loan already.") % {"title": record.title})
    try:
        with transaction.atomic():
            return Hold.objects.create(school=school, record=record, reader=reader, placed_at=now)
    except IntegrityError as error:
        raise CirculationError(
            _("%(title)s is on hold for you already.") % {"title": record.title}
        ) from error


def queue_position(hold: Hold) -> int:
    return Hold.objects.filter(
        school_id=hold.school_id,
        record_id=hold.record_id,
        status=HoldStatus.WAITING,
        placed_at__lte=hold.placed_at,
    ).count()


def cancel_hold(hold: Hold, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        if locked.status not in (HoldStatus.WAITING, HoldStatus.READY):
            raise CirculationError(_("This hold is no longer active."))
        copy = locked.copy if locked.status == HoldStatus.READY else None
        locked.status, locked.closed_at = HoldStatus.CANCELLED, now
        locked.save()
        if copy is not None:
            set_aside(locked.school, copy, now=now)


def set_aside(school: Unit, copy: Copy, *, now: dt.datetime | None = None) -> Hold | None:
    """The copy (back at the desk, or taken off the shelf) for the first reader waiting for its
    title at the school, who is told; None when nobody waits (it goes back on the shelf)."""
    now = now or timezone.now()
    hold = (
        # Only the hold is locked (its reader's account may be missing: an outer join).
        Hold.objects.select_for_update(of=("self",))
        .select_related("reader__user", "record")
        .filter(school=school, record_id=copy.record_id, status=HoldStatus.WAITING)
        .order_by("placed_at", "pk")
        .first()
    )
    if hold is None:
        return None
    today = timezone.localtime(now).date()
    hold.status, hold.copy, hold.ready_at = HoldStatus.READY, copy, now
    hold.pickup_by = next_open_day(school, today + dt.timedelta(days=PICKUP_DAYS))
    hold.save()
    _tell(hold)
    return hold


def _tell(hold: Hold) -> None:
    user = hold.reader.user
    if user is None:
        return  # the librarian tells the class: the holds page lists the copies set aside
    from thuvien.notifications.services import notify

    subject = _("Your hold is ready: %(title)s") % {"title": hold.record.title}
    body = _(
        "A copy of %(title)s is set aside for you at the library until %(date)s. Bring your "
        "library card."
    ) % {"title": hold.record.title, "date": date_format(hold.pickup_by or hold.placed_at, "d/m/Y")}
    notify(
        [user],
        kind="hold_ready",
        subject=subject,
        body=body,
        url=reverse("opac:account"),
        key=f"hold-ready-{hold.pk}",
    )


def set_aside_from_shelf(school: Unit, barcode: str, *, now: dt.datetime | None = None) -> Hold:
    from thuvien.circulation.services.desk import find_copy

    copy = find_copy(school, barcode)
    with transaction.atomic():
        if (
            copy.status != CopyStatus.AVAILABLE
            or Hold.objects.filter(copy=copy, status=HoldStatus.READY).exists()
        ):
            raise CirculationError(
                _("Copy %(code)s is not on the shelf: it cannot be set aside.")
                % {"code": copy.barcode}
            )
        hold = set_aside(school, copy, now=now)
    if hold is None:
        raise CirculationError(_("Nobody is waiting for %(title)s.") % {"title": copy.record.title})
    return hold


def expire_holds(today: dt.date | None = None, *, school: Unit | None = None) -> int:
    """Holds set aside and not picked up in time expire; their copies go to the next reader."""
    today = today or timezone.localdate()
    rows = Hold.objects.filter(status=HoldStatus.READY, pickup_by__lt=today)
    if school is not None:
        rows = rows.filter(school=school)
    expired = 0
    for hold in rows.select_related("school", "copy"):
        with transaction.atomic():
            hold.status, hold.closed_at = HoldStatus.EXPIRED, timezone.now()
            hold.save()
            assert hold.copy is not None
            set_aside(hold.school, hold.copy)
            expired += 1
    return expired


def held_for(copy: Copy) -> Hold | None:
    return Hold.objects.select_related("reader").filter(copy=copy, status=HoldStatus.READY).first()


def picked_up(hold: Hold, *, now: dt.datetime) -> None:
    hold.status, hold.closed_at = HoldStatus.FULFILLED, now
    hold.save()


def waiting_list(school: Unit) -> list[dict[str, Any]]:
    """The school's waiting holds, each with its place in its queue and whether a copy of its
    title is on the shelf to take off for it (a fixed number of queries)."""
    from django.db.models import Exists, OuterRef

    holds = list(
        Hold.objects.filter(school=school, status=HoldStatus.WAITING)
        .select_related("record", "reader")
        .order_by("record_id", "placed_at", "pk")
    )
    record_ids = {hold.record_id for hold in holds}
    free = Copy.objects.filter(
        school=school, record_id__in=record_ids, status=CopyStatus.AVAILABLE
    ).exclude(Exists(Hold.objects.filter(copy=OuterRef("pk"), status=HoldStatus.READY)))
    on_shelf: dict[int, int] = {}
    for record_id in free.values_list("record_id", flat=True):
        on_shelf[record_id] = on_shelf.get(record_id, 0) + 1
    rows, place, last = [], 0, None
    for hold in holds:
        place = place + 1 if hold.record_id == last else 1
        last = hold.record_id
        rows.append({"hold": hold, "place": place, "on_shelf": on_shelf.get(hold.record_id, 0)})
    return rows
