"""Background work of circulation, run by the django-tasks worker (`manage.py db_worker`, its own
process: an import never holds up the loan desk's requests).

An import of readers is an `ImportBatch` confirmed on its preview; `run_batch` owns its life
(running once, all or nothing, failed with its message), this applies it in the scope the
librarian confirmed in — the school of that very membership, still allowed to lend.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from thuvien.access import Action
from thuvien.circulation.services.errors import CirculationError
from thuvien.core.import_batches import run_batch
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.organisations.services import OrganisationError
from thuvien.organisations.tasks import confirmed_scope

ERRORS = (OrganisationError, CirculationError)


@task()
def apply_reader_batch(batch_id: str, language: str) -> str:
    """Apply a confirmed import of readers, as its preview showed it."""
    return run_batch(
        batch_id, kind=ImportKind.READERS, language=language, apply=_apply_readers, errors=ERRORS
    )


def _apply_readers(batch: ImportBatch) -> None:
    from thuvien.circulation.importing import apply_readers

    unit = confirmed_scope(batch, Action.LEND).unit
    if unit is None or not unit.is_school:
        raise CirculationError(_("Readers are kept by a school's library staff."))
    apply_readers(
        batch, unit, by=batch.created_by, valid_only=bool(batch.summary.get("valid_only"))
    )
