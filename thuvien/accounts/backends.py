"""Log in with a username or an e-mail address."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest


def find_account(login: str) -> Any:
    """The one account a login names (its username in any case, or its e-mail address), or None
    when it names none or more than one. Logging in and throttling both resolve through here."""
    login = login.strip()
    if not login:
        return None
    matches = list(
        get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2]
    )
    return matches[0] if len(matches) == 1 else None


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Run the hasher anyway so timing does not reveal whether the login exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
