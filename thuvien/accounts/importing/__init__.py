"""Import of staff from a spreadsheet: accounts and their roles, dry run first, then all or nothing.

A row gives a person a role in a unit in the importer's scope. The person is an existing account
when the e-mail or the username names one (never a second account for the same person), else a
new account with no usable password: once the whole file is saved, each new account with an
e-mail is sent an invitation to choose its password (`tasks.send_invitations`). The file's format
and template are in `columns`, the dry run that checks every row in `rows`, the saving in
`apply`; callers import from here (imports run columns ← rows ← apply ← this module).
"""

from __future__ import annotations

from thuvien.accounts.importing.apply import apply_staff_import
from thuvien.accounts.importing.columns import (
    COLUMNS,
    QUALIFICATION_WORDS,
    READER_CATEGORY_WORDS,
    ROLE_WORDS,
    staff_template,
)
from thuvien.accounts.importing.rows import preview_staff_import

__all__ = [
    "COLUMNS",
    "QUALIFICATION_WORDS",
    "READER_CATEGORY_WORDS",
    "ROLE_WORDS",
    "apply_staff_import",
    "preview_staff_import",
    "staff_template",
]
