"""Notification rows for the named test world (`thuvien.organisations.testing.build_world` calls
`extend_world`): the librarian's digest of the world's first day, so that the model-scoping walk
checks the digest's policy (a person's own rows)."""

from __future__ import annotations

from thuvien.core.testing import START
from thuvien.notifications.models import Digest
from thuvien.organisations.testing import World


def extend_world(world: World) -> None:
    Digest.objects.create(recipient=world.librarian, day=START, count=1)
