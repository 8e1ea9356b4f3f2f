"""Background work of accounts, run by the django-tasks worker."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from thuvien.access import Action
from thuvien.accounts.models import User
from thuvien.core.import_batches import run_batch
from thuvien.core.mail import automatic_email, site_url
from thuvien.core.models import ImportBatch, ImportKind
from thuvien.organisations.services import OrganisationError
from thuvien.organisations.tasks import confirmed_scope


@task()
def send_invitations(user_ids: list[int]) -> int:
    """E-mail each new account a link to choose its password; returns how many were sent."""
    site = site_url()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in User.objects.filter(pk__in=user_ids).exclude(email=""):
            if user.has_usable_password():  # they chose a password meanwhile: nothing to set
                continue
            path = reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            context = {"user": user, "link": f"{site}{path}", "site": site}
            subject = render_to_string("accounts/staff_import_invitation_subject.txt", context)
            body = render_to_string("accounts/staff_import_invitation_email.txt", context)
            messages.append(automatic_email(subject, body, [user.email]))
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def apply_staff_batch(batch_id: str, language: str) -> str:
    """Apply a confirmed import of staff, in the importer's scope at the time of confirming."""
    return run_batch(
        batch_id,
        kind=ImportKind.STAFF,
        language=language,
        apply=_apply_staff,
        errors=(OrganisationError,),
    )


def _apply_staff(batch: ImportBatch) -> None:
    # Imported here: `importing` enqueues `send_invitations` from this module.
    from thuvien.accounts.importing import apply_staff_import

    scope = confirmed_scope(batch, Action.MANAGE_STAFF)
    apply_staff_import(batch, scope, by=batch.created_by)
