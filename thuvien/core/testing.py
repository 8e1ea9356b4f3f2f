"""Domain-free helpers for tests: the test password, `make_user`, and the two names the test world
is drawn with. The named world itself (the units, the people in every role, each app's rows) is
built by `thuvien.organisations.testing.build_world`, which also re-exports these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

PASSWORD = "thu-vien-test-2026"
# Rows that belong to the outsider's side of the world carry this in their names.
OUTSIDER_MARK = "Ngoaivi"
# The day the world's units and memberships begin.
START = dt.date(2024, 8, 1)


def make_user(username: str, full_name: str, **extra: Any) -> Any:
    user = get_user_model().objects.create_user(
        username=username,
        email=extra.pop("email", f"{username}@example.edu.vn"),
        password=PASSWORD,
        full_name=full_name,
        **extra,
    )
    return user
