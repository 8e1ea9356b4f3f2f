"""API clients that authenticate the way a real API client does: with a token header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api_client_for() -> Callable[..., APIClient]:
    def make(user: Any, *, membership: Any = None) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
        if membership is not None:
            headers["HTTP_X_MEMBERSHIP"] = str(membership.pk)
        client.credentials(**headers)
        return client

    return make
