"""The README's table of demo accounts has the logins `demo_logins` prints, each once (in the order
a newcomer should try them), and the password it states (issue 9: the README claims only what
exists)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.organisations.test_demo_logins import cells, logins, province, seeded  # noqa: F401
from thuvien.organisations.demo.names import DEMO_PASSWORD

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_logins() -> list[str]:
    """The first column of the README's table of demo accounts (`login | who | try`)."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| login | who | try |") :].split("\n\n", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE)


@pytest.mark.usefixtures("seeded")
def test_the_readme_lists_each_login_the_table_prints_once():
    lines = logins()
    header = lines.index(next(line for line in lines if "Tên đăng nhập" in line))
    printed = [cells(line)[1] for line in lines[header + 1 :]]
    listed = readme_logins()
    assert len(listed) == len(set(listed))
    assert set(listed) == set(printed)


def test_the_readme_states_the_demo_password():
    assert f"the password `{DEMO_PASSWORD}` for everyone" in README.read_text(encoding="utf-8")
