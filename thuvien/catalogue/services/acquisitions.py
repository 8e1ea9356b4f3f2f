"""Acquisition batches (part I of the general register) and withdrawals (part II)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence as Seq
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from thuvien.catalogue.models import (
    AcquisitionBatch,
    Copy,
    CopyStatus,
    Source,
    Withdrawal,
    WithdrawalLine,
    WithdrawalStatus,
)
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.organisations.models import Unit


def _next_number(model: type[AcquisitionBatch] | type[Withdrawal], school: Unit) -> int:
    # The school's row lock serialises the running numbers (they never reset across years).
    Unit.objects.select_for_update().filter(pk=school.pk).first()
    return (model.objects.filter(school=school).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def open_batch(
    school: Unit,
    *,
    by: Any,
    received_on: dt.date,
    source: str = Source.PURCHASE,
    supplier: str = "",
    invoice_number: str = "",
    total_vnd: int | None = None,
    notes: str = "",
) -> AcquisitionBatch:
    """A receiving document: the next line of part I of the general register."""
    if source not in Source.values:
        raise CatalogueError(_("Choose the source: purchase, allocation or donation."))
    if source == Source.DONATION and not supplier.strip():
        raise CatalogueError(_("Enter the donor of a donation (xã hội hóa)."))
    if total_vnd is not None and total_vnd < 0:
        raise CatalogueError(_("The total value cannot be negative."))
    batch = AcquisitionBatch(
        school=school,
        number=_next_number(AcquisitionBatch, school),
        received_on=received_on,
        source=source,
        supplier=supplier.strip(),
        invoice_number=invoice_number.strip(),
        total_vnd=total_vnd,
        notes=notes,
        created_by=by,
    )
    batch._history_user = by  # type: ignore[attr-defined]
    batch.save()
    return batch


@transaction.atomic
def propose_withdrawal(
    school: Unit, lines: Seq[tuple[Copy, str]], *, by: Any, reason: str = ""
) -> Withdrawal:
    """A list of the school's copies to withdraw, each with its reason, for the principal."""
    if not lines:
        raise CatalogueError(_("Choose at least one copy to withdraw."))
    ids = [copy.pk for copy, _reason in lines]
    copies = {c.pk: c for c in Copy.objects.select_for_update().filter(pk__in=ids, school=school)}
    for copy, _reason in lines:
        current = copies.get(copy.pk)
        if current is None:
            raise CatalogueError(
                _("Copy %(code)s is not the school's.") % {"code": copy.registration_number}
            )
        if current.status in (CopyStatus.WITHDRAWN, CopyStatus.ON_LOAN):
            raise CatalogueError(
                _("Copy %(code)s is %(status)s and cannot be withdrawn now.")
                % {
                    "code": current.registration_number,
                    "status": current.get_status_display().lower(),
                }
            )
    pending = WithdrawalLine.objects.filter(
        copy_id__in=ids, withdrawal__status=WithdrawalStatus.PROPOSED
    ).select_related("copy")
    clash = pending.first()
    if clash is not None:
        raise CatalogueError(
            _("Copy %(code)s is already on a withdrawal list waiting for approval.")
            % {"code": clash.copy.registration_number}
        )
    withdrawal = Withdrawal(
        school=school, number=_next_number(Withdrawal, school), reason=reason, proposed_by=by
    )
    withdrawal._history_user = by  # type: ignore[attr-defined]
    withdrawal.save()
    WithdrawalLine.objects.bulk_create(
        [
            WithdrawalLine(withdrawal=withdrawal, copy_id=copy.pk, school=school, reason=why[:300])
            for copy, why in lines
        ]
    )
    return withdrawal


@transaction.atomic
def approve_withdrawal(
    withdrawal: Withdrawal,
    *,
    by: Any,
    minutes_number: str,
    minutes_date: dt.date,
    decision_number: str = "",
    withdrawn_on: dt.date | None = None,
) -> int:
    """The principal's approval: its copies are withdrawn, and their register lines say
    "đã thanh lọc" with the decision (or minutes) number."""
    locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
    if locked.status != WithdrawalStatus.PROPOSED:
        raise CatalogueError(_("This withdrawal was already decided; nothing was changed."))
    if not minutes_number.strip() or minutes_date is None:
        raise CatalogueError(_("Enter the number and the date of the minutes (biên bản)."))
    locked.status = WithdrawalStatus.APPROVED
    locked.minutes_number = minutes_number.strip()
    locked.minutes_date = minutes_date
    locked.decision_number = decision_number.strip()
    locked.approved_by = by
    locked.withdrawn_on = withdrawn_on or minutes_date
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save()
    copies = list(
        Copy.objects.select_for_update().filter(
            pk__in=locked.lines.values("copy_id"), school_id=locked.school_id
        )
    )
    if any(c.status == CopyStatus.ON_LOAN for c in copies):
        raise CatalogueError(_("A copy on this list is on loan: wait for its return."))
    for copy in copies:
        copy.status = CopyStatus.WITHDRAWN
        copy.withdrawal = locked
        copy._history_user = by  # type: ignore[attr-defined]
        copy.save(update_fields=["status", "withdrawal"])
        update_change_reason(copy, _("Withdrawn (đã thanh lọc)"))
    return len(copies)


@transaction.atomic
def cancel_withdrawal(withdrawal: Withdrawal, *, by: Any) -> None:
    locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
    if locked.status != WithdrawalStatus.PROPOSED:
        raise CatalogueError(_("This withdrawal was already decided; nothing was changed."))
    locked.status = WithdrawalStatus.CANCELLED
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save()
