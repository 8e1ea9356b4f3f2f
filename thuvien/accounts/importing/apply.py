"""Saving a checked staff import: all of it or nothing, then the invitations.

`apply_staff_import` takes a batch the worker claimed, checks it again (`rows.preview_staff_import`
through `claimed_preview`, so that nothing that changed since the dry run slips through), then in
one transaction creates each new account once — with no usable password — and gives every row its
role through `services.add_membership`. A failing row undoes the whole file, naming the row. Once
the transaction is committed, the new accounts with an e-mail are sent an invitation to choose
their password (`tasks.send_invitations`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuvien.access import Scope
from thuvien.accounts.importing.rows import preview_staff_import
from thuvien.accounts.models import User
from thuvien.accounts.tasks import send_invitations
from thuvien.core.import_batches import claimed_preview
from thuvien.core.models import ImportBatch
from thuvien.core.spreadsheets import RowResult
from thuvien.organisations import services
from thuvien.organisations.services import OrganisationError


@transaction.atomic
def apply_staff_import(batch: ImportBatch, scope: Scope, *, by: Any) -> dict[str, int]:
    """Create the accounts and give the roles of a batch the worker claimed, or nothing at all;
    then invite the new accounts (once the transaction is committed)."""
    locked, preview = claimed_preview(batch, scope, by=by, preview=preview_staff_import)
    created: dict[str, User] = {}
    for row in preview.rows:
        try:
            _apply_row(row, created)
        except OrganisationError as error:
            raise OrganisationError(
                _("Row %(row)d: %(error)s Nothing was saved.") % {"row": row.number, "error": error}
            ) from error
    invited = [user.pk for user in created.values() if user.email]
    if invited:
        transaction.on_commit(partial(send_invitations.enqueue, invited))
    summary = {"users_created": len(created), "memberships": len(preview.rows)}
    locked.mark_applied(summary)
    return summary


def _apply_row(row: RowResult, created: dict[str, User]) -> None:
    data = row.data
    account = data["account"]
    user = data["user"] or created.get(account["username"].lower())
    if user is None:
        user = User.objects.create_user(password=None, **account)
        created[account["username"].lower()] = user
    services.add_membership(
        user,
        data["unit"],
        data["role"],
        valid_from=data["valid_from"],
        reader_category=data["reader_category"],
    )
