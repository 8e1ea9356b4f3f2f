"""Fixtures shared by the whole suite: the named world and logged-in clients.

The world (thuvien/organisations/testing.py, about 240 queries) is built once per test session
(per xdist worker) inside a transaction that stays open while the tests that use it run, each of
them in a savepoint rolled back after it, as Django's `TestCase.setUpTestData` does. Each test gets
deep copies of the world's instances, so changing `world.school` in one test leaves the next one
alone. The shared transaction is rolled back before a test that touches the database without the
world (it sees an empty database) and before a transactional one (`transaction=True`,
`transactional_db`, the live server), which builds its own committed world and is flushed after.
Either way the next world test builds it again: tests/organisations/test_world.py checks all this.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings

from thuvien.organisations.testing import World, build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The fixtures that give a test the database, and those that make it transactional.
_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_blocker",
    "django_db_setup",
}
_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _is_transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(item.fixturenames))


def _shares_the_world(item: Any) -> bool:
    return "world" in item.fixturenames and not _is_transactional(item)


def _touches_the_database(item: Any) -> bool:
    names = set(item.fixturenames)
    return bool(_DB_FIXTURES & names) or item.get_closest_marker("django_db") is not None


class SharedWorld:
    """The world of one test session, in a transaction held open between the tests that use it."""

    def __init__(self, blocker: Any, media: Path) -> None:
        self.blocker = blocker
        self.media = media
        self.atomic: Any = None
        self.master: World | None = None  # never handed out: tests get deep copies
        self.builds = 0

    @property
    def is_open(self) -> bool:
        # A test that closed the connection took the transaction (and the world) with it.
        blocks = connection.atomic_blocks
        return self.atomic is not None and bool(blocks) and blocks[0] is self.atomic

    def open(self) -> None:
        if self.is_open:
            return
        self.atomic = self.master = None
        with self.blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError(
                    "the shared test world cannot open inside another transaction: a module or "
                    "session fixture holds one (do not mix such a module with `world` tests)"
                )
            atomic = transaction.atomic()
            atomic._from_testcase = True  # type: ignore[attr-defined]  # lets durable blocks nest
            atomic.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=self.media):
                    self.master = build_world()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
            self.atomic = atomic
            self.builds += 1

    def close(self) -> None:
        if self.atomic is None:
            return
        atomic, was_open = self.atomic, self.is_open
        self.atomic = self.master = None
        if not was_open:
            return
        with self.blocker.unblock():
            if connection.atomic_blocks[-1] is not atomic:
                raise RuntimeError(
                    "a transaction opened inside the shared test world is still open: a module "
                    "fixture that holds one must not share a module with `world` tests"
                )
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def fresh(self) -> World:
        assert self.master is not None
        return copy.deepcopy(self.master)


_SHARED: list[SharedWorld] = []  # the session's, once the first world test has asked for it


@pytest.fixture(scope="session")
def shared_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[SharedWorld]:
    shared = SharedWorld(django_db_blocker, tmp_path_factory.mktemp("world-media"))
    _SHARED.append(shared)
    yield shared
    shared.close()
    _SHARED.remove(shared)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    """Before the test's fixtures (and its savepoint): open the world for a test that shares it,
    roll it back for any other test that touches the database."""
    if not _SHARED:
        return
    if _shares_the_world(item):
        _SHARED[0].open()
    elif _touches_the_database(item):
        _SHARED[0].close()


@pytest.fixture
def world(request: Any, shared_world: SharedWorld, db: None) -> World:
    """The named world (see thuvien/organisations/testing.py), as it was built."""
    if _shares_the_world(request.node) and shared_world.is_open:
        return shared_world.fresh()
    # A transactional test (committed, so the live server sees it; flushed after), or the first
    # world test of the session, whose savepoint is already open: built for this test alone.
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
    settings.PASSWORD_HASHERS = FAST_HASHERS


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests of a PostgreSQL behaviour run in the PostgreSQL run of the suite (scripts/run-tests
    runs both), and tests marked `sqlite` in the SQLite run; elsewhere they are deselected, not
    skipped: nothing is missing there."""
    from django.db import connection

    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    kept = [item for item in items if item.get_closest_marker(other) is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path_factory: Any) -> None:
    """Uploaded and generated files of a test go to a folder of its own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
