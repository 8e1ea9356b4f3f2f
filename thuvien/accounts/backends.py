"""Log in with a username or an e-mail address."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest


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
        user_model = get_user_model()
        login = username.strip()
        matches = list(
            user_model.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2]
        )
        if len(matches) != 1:
            # Run the hasher anyway so timing does not reveal whether the login exists.
            user_model().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
