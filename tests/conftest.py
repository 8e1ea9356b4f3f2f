"""Fixtures shared by the whole suite: the named world and logged-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from thuvien.core.testing import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The suite creates many users; real hashing is tested in test_login."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
