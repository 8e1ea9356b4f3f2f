"""Background work of organisations, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from thuvien.access import NO_SCOPE, Action, Scope, resolve_scope
from thuvien.core.import_batches import run_batch
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.organisations import importing
from thuvien.organisations.services import OrganisationError


@task()
def apply_unit_batch(batch_id: str, language: str) -> str:
    """Apply a confirmed import of units, in the importer's scope at the time of confirming."""
    return run_batch(
        batch_id,
        kind=ImportKind.UNITS,
        language=language,
        apply=_apply_units,
        errors=(OrganisationError,),
    )


def _apply_units(batch: ImportBatch) -> None:
    scope = confirmed_scope(batch, Action.MANAGE_UNITS)
    importing.apply_unit_import(batch, scope, by=batch.created_by)


def confirmed_scope(batch: ImportBatch, action: Action) -> Scope:
    """The scope the importer confirmed in: that very membership, still current and still
    allowed `action` (never their other roles, whatever the worker's timing)."""
    user = batch.created_by
    scope = resolve_scope(user, batch.scope_membership_id) if user.is_active else NO_SCOPE
    membership = scope.membership
    if membership is None or membership.pk != batch.scope_membership_id or not scope.can(action):
        raise OrganisationError(
            _(
                "The role you confirmed this import in has ended, or no longer allows it; "
                "nothing was saved."
            )
        )
    return scope
