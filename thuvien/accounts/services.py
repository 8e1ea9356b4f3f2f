"""Use cases of accounts that views, commands and tests share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from thuvien.accounts.models import User
from thuvien.accounts.tasks import send_invitations


class AccountError(Exception):
    """A use case of accounts cannot be done; the message says why, for the person asking."""


def resend_invitation(user: User) -> None:
    """Send a new link to choose a password to an account that has none yet.

    "Forgot password" cannot help them: Django sends no reset to an account without a usable
    password, and the link of the first invitation may have expired."""
    if user.has_usable_password():
        raise AccountError(
            _(
                "%(person)s has already chosen a password: they can use “Forgot your "
                "password?” on the login page."
            )
            % {"person": user}
        )
    if not user.email:
        raise AccountError(
            _("%(person)s has no e-mail address: add one before sending an invitation.")
            % {"person": user}
        )
    send_invitations.enqueue([user.pk])
