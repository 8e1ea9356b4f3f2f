"""The loan desk's use cases: check out, return, renew. Each is one transaction; each answers
the same way when the desk sends the same scan again (its `key`), so that a scan retried after
a time-out, or queued twice, does nothing twice. One open loan a copy is the database's rule
(`one_open_loan_a_copy`): two desks lending the same copy at once give one loan and one refusal.

Checkout reads the reader's open loans through the partial index `loan_open_reader` (a count of
a few rows), never the reader's whole history: it costs the same for a reader with 400 loans
behind them as for a new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.catalogue.models import Copy, CopyStatus
from thuvien.circulation.models import DEFAULT_RULE, Hold, HoldStatus, Loan, LoanEnd, Reader
from thuvien.circulation.services import holds
from thuvien.circulation.services.calendar import due_date, rule_for, rules_of_kind
from thuvien.circulation.services.errors import CirculationError
from thuvien.organisations.models import Unit

# A copy scanned for return again within this time was a double scan, not a mistake.
DOUBLE_SCAN = dt.timedelta(minutes=10)
_NOT_LENDABLE = {
    CopyStatus.WITHDRAWN: gettext_lazy("Copy %(code)s is withdrawn: it cannot be lent."),
    CopyStatus.LOST: gettext_lazy(
        "Copy %(code)s is marked lost: return it first to put it back on the shelf."
    ),
    CopyStatus.DAMAGED: gettext_lazy(
        "Copy %(code)s is marked damaged: it cannot be lent until repaired."
    ),
    CopyStatus.IN_REPAIR: gettext_lazy("Copy %(code)s is in repair: it cannot be lent."),
}


@dataclass(frozen=True)
class Outcome:
    loan: Loan
    repeated: bool  # the scan had been done already: nothing changed
    message: str
    # The desk sent this very scan before (its key): a retry whose first answer was lost.
    same_scan: bool = False
    hold: Hold | None = None  # the hold a returned copy is now set aside for

    def as_dict(self) -> dict[str, Any]:
        """The answer the desk's page and the API give a scan."""
        loan = self.loan
        return {
            # A retry of a scan whose answer was lost is this scan's own answer: done.
            "state": "repeated" if self.repeated and not self.same_scan else "done",
            "message": self.message,
            "loan": loan.pk,
            "title": loan.copy.record.title,
            "barcode": loan.copy.barcode,
            "due": loan.due_on,
            "returned": loan.returned_at is not None,
            "hold_for": str(self.hold.reader) if self.hold else "",
        }


def find_reader(school: Unit, code: str) -> Reader:
    code = code.strip()
    reader = Reader.objects.filter(school=school, code__in={code, code.upper()}).first()
    if reader is None:
        raise CirculationError(_("No reader of the school has the code %(code)s.") % {"code": code})
    return reader


def find_copy(school: Unit, code: str) -> Copy:
    """The school's copy by its barcode, or else its registration number (what a label shows)."""
    code = code.strip()
    rows = Copy.objects.select_related("record", "collection").filter(school=school)
    copy = rows.scanned(code)
    if copy is None:
        raise CirculationError(
            _("No copy of the school has the barcode %(code)s: check the label.") % {"code": code}
        )
    return copy


def _day(value: dt.date) -> str:
    return date_format(value, "d/m/Y")


def _by_key(school: Unit, **key: str) -> Loan | None:
    return (
        Loan.objects.select_related("copy__record", "reader").filter(school=school, **key).first()
    )


def check_out(
    school: Unit,
    reader: Reader,
    barcode: str,
    *,
    by: Any,
    key: str = "",
    now: dt.datetime | None = None,
) -> Outcome:
    key = key[:64]
    if key and (done := _by_key(school, checkout_key=key)) is not None:
        title = done.copy.record.title
        return Outcome(done, True, _("Already lent: %(title)s.") % {"title": title}, True)
    now = now or timezone.now()
    if reader.school_id != school.pk:
        raise CirculationError(_("This reader belongs to another school."))
    if not reader.active:
        raise CirculationError(
            _("%(reader)s is no longer an active reader of the school.") % {"reader": reader}
        )
    copy = find_copy(school, barcode)
    code = copy.barcode
    held = Loan.objects.select_related("reader").filter(copy=copy, returned_at__isnull=True).first()
    if held is not None:
        if held.reader_id == reader.pk:
            held.copy = copy
            return Outcome(held, True, _("Already lent to this reader: %(title)s.") % {
                "title": copy.record.title
            })  # fmt: skip
        raise CirculationError(
            _("Copy %(code)s is on loan to %(reader)s: return it first.")
            % {"code": code, "reader": held.reader}
        )
    if copy.status in _NOT_LENDABLE:
        raise CirculationError(_NOT_LENDABLE[CopyStatus(copy.status)] % {"code": code})
    aside = holds.held_for(copy)
    if aside is not None and aside.reader_id != reader.pk:
        raise CirculationError(
            _("Copy %(code)s is set aside for %(reader)s, who placed a hold: lend another copy.")
            % {"code": code, "reader": aside.reader}
        )
    rules = rules_of_kind(school, reader.kind)
    rule = rules.get(copy.collection_id) or rules.get(None) or DEFAULT_RULE
    # A collection with a rule of its own (textbooks: 12 for the year) counts its own loans;
    # the general rule counts the loans of every other collection.
    holding_rows = Loan.objects.filter(reader=reader, returned_at__isnull=True)
    if rule.collection_id is not None:
        holding_rows = holding_rows.filter(copy__collection_id=rule.collection_id)
    else:
        own = [collection for collection in rules if collection is not None]
        holding_rows = holding_rows.exclude(copy__collection_id__in=own)
    holding = holding_rows.count()
    if holding >= rule.max_items:
        raise CirculationError(
            _("%(reader)s already holds %(n)s items, the most the loan rules allow.")
            % {"reader": reader.full_name, "n": holding}
        )
    loan = Loan(
        school=school,
        copy=copy,
        reader=reader,
        issued_at=now,
        due_on=due_date(school, rule, timezone.localtime(now).date()),
        issued_by=by,
        checkout_key=key,
    )
    try:
        with transaction.atomic():
            loan.save()
            Copy.objects.filter(pk=copy.pk).update(status=CopyStatus.ON_LOAN)
            # The reader's hold on the title is picked up (set aside for them, or not yet).
            mine = (
                aside
                or Hold.objects.filter(
                    reader=reader, record_id=copy.record_id, status=HoldStatus.WAITING
                ).first()
            )
            if mine is not None:
                holds.picked_up(mine, now=now)
    except IntegrityError as error:
        if key and (done := _by_key(school, checkout_key=key)) is not None:
            title = copy.record.title
            return Outcome(done, True, _("Already lent: %(title)s.") % {"title": title}, True)
        raise CirculationError(
            _("Copy %(code)s was lent at another desk a moment ago: return it first.")
            % {"code": code}
        ) from error
    return Outcome(
        loan,
        False,
        _("Lent: %(title)s, due on %(due)s.")
        % {"title": copy.record.title, "due": _day(loan.due_on)},
    )


def check_in(
    school: Unit, barcode: str, *, by: Any, key: str = "", now: dt.datetime | None = None
) -> Outcome:
    """Return by scanning the copy alone."""
    key = key[:64]
    if key and (done := _by_key(school, return_key=key)) is not None:
        title = done.copy.record.title
        return Outcome(done, True, _("Already returned: %(title)s.") % {"title": title}, True)
    now = now or timezone.now()
    copy = find_copy(school, barcode)
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("reader")
            .filter(copy=copy, returned_at__isnull=True)
            .first()
        )
        if loan is None:
            last = (
                Loan.objects.select_related("reader")
                .filter(copy=copy, returned_at__gte=now - DOUBLE_SCAN)
                .order_by("-returned_at")
                .first()
            )
            if last is not None:
                last.copy = copy
                return Outcome(last, True, _("Already returned: %(title)s.") % {
                    "title": copy.record.title
                })  # fmt: skip
            raise CirculationError(
                _("Copy %(code)s is not on loan: put it back on the shelf.")
                % {"code": copy.barcode}
            )
        loan.returned_at = max(now, loan.issued_at)
        loan.returned_by = by
        loan.return_key = key
        loan.save(update_fields=["returned_at", "returned_by", "return_key"])
        Copy.objects.filter(pk=copy.pk, status=CopyStatus.ON_LOAN).update(
            status=CopyStatus.AVAILABLE
        )
        waiting = holds.set_aside(school, copy, now=now)
    loan.copy = copy
    today = timezone.localtime(now).date()
    late = (today - loan.due_on).days
    message = _("Returned: %(title)s (lent to %(reader)s).") % {
        "title": copy.record.title,
        "reader": loan.reader.full_name,
    }
    if late > 0:
        message += " " + _("%(days)s days late.") % {"days": late}
    if waiting is not None:
        message += " " + _("Set it aside for %(reader)s, who placed a hold.") % {
            "reader": waiting.reader
        }
    return Outcome(loan, False, message, hold=waiting)


def renew(loan: Loan, *, by: Any, today: dt.date | None = None) -> Loan:
    today = today or timezone.localdate()
    if not loan.is_open:
        raise CirculationError(_("This loan has been returned already."))
    school = loan.school
    rule = rule_for(school, loan.reader.kind, loan.copy.collection_id)
    if rule.fixed_due_on is not None:
        raise CirculationError(_("A loan for the whole school year is not renewed."))
    if loan.renewals >= rule.renewals:
        raise CirculationError(
            _("%(title)s has been renewed %(n)s times, the most the loan rules allow.")
            % {"title": loan.copy.record.title, "n": loan.renewals}
        )
    due = due_date(school, rule, today)
    if due <= loan.due_on:
        raise CirculationError(
            _("%(title)s is due on %(due)s already: renewing it now gives no more time.")
            % {"title": loan.copy.record.title, "due": _day(loan.due_on)}
        )
    with transaction.atomic():
        current = Loan.objects.select_for_update().filter(pk=loan.pk).first()
        if current is None or not current.is_open or current.renewals != loan.renewals:
            raise CirculationError(_("This loan changed at another desk: reload the page."))
        loan.due_on, loan.renewals = due, loan.renewals + 1
        loan.save(update_fields=["due_on", "renewals"])  # its history row: who renewed, when
    return loan


def renew_all(reader: Reader, *, by: Any, today: dt.date | None = None) -> tuple[int, list[str]]:
    """Every open loan of the reader that may be renewed; the refusals of the others."""
    done, refused = 0, []
    loans = (
        Loan.objects.select_related("copy__record", "copy__collection", "school", "reader")
        .filter(reader=reader, returned_at__isnull=True)
        .order_by("due_on")
    )
    for loan in loans:
        try:
            renew(loan, by=by, today=today)
            done += 1
        except CirculationError as error:
            refused.append(str(error))
    return done, refused


def open_loans(reader: Reader) -> list[Loan]:
    return list(
        Loan.objects.select_related("copy__record", "copy__collection")
        .filter(reader=reader, returned_at__isnull=True)
        .order_by("due_on", "pk")
    )


def mark_lost(
    loan: Loan, *, by: Any, replacement_vnd: int | None = None, now: dt.datetime | None = None
) -> Loan:
    """The reader lost the copy: the loan ends (not returned), the copy is marked lost, and the
    replacement cost is recorded (the copy's price unless given)."""
    return _end(loan, LoanEnd.LOST, CopyStatus.LOST, by=by, cost=replacement_vnd, now=now)


def return_damaged(
    loan: Loan, *, by: Any, replacement_vnd: int | None = None, now: dt.datetime | None = None
) -> Loan:
    """The copy came back damaged: the loan ends, the copy is marked damaged (not lent until
    repaired), and what the reader is asked to pay is recorded."""
    return _end(loan, LoanEnd.DAMAGED, CopyStatus.DAMAGED, by=by, cost=replacement_vnd, now=now)


def _end(
    loan: Loan, ended: str, status: str, *, by: Any, cost: int | None, now: dt.datetime | None
) -> Loan:
    now = now or timezone.now()
    with transaction.atomic():
        current = Loan.objects.select_for_update().filter(pk=loan.pk).first()
        if current is None or current.returned_at is not None:
            raise CirculationError(_("This loan has been returned already."))
        copy = Copy.objects.get(pk=current.copy_id)
        current.returned_at, current.returned_by, current.ended = (
            max(now, current.issued_at),
            by,
            ended,
        )
        current.replacement_vnd = cost if cost is not None else copy.price_vnd
        current.save(update_fields=["returned_at", "returned_by", "ended", "replacement_vnd"])
        copy.status = status
        copy.save(update_fields=["status"])  # the copy's history says who and when
    return current
