"""`seed_demo` and `demo_logins` on an empty database (test_seed_demo.py holds a seeded province
open for its whole module, so these live apart)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thuvien.organisations.models import Unit


def test_demo_logins_on_an_empty_database_says_how_to_seed(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "seed_demo" in out.getvalue()


@pytest.mark.parametrize("schools", ["3", "100000"])
def test_school_count_out_of_range_is_refused(db, schools):
    with pytest.raises(CommandError, match="--schools"):
        call_command("seed_demo", "--schools", schools, stdout=StringIO())
    assert not Unit.objects.exists()
