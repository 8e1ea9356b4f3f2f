"""Every message is marked under a name `make messages` reads.

makemessages (xgettext) finds a message by the name of the function it is passed to: `_`,
`gettext`, `gettext_lazy`, `ngettext`… A module that imports one under another name
(`gettext_lazy as _l`) hides its messages: they never reach the catalogue and show in English on
the Vietnamese pages (the events' "Registration is closed.", the school export's column
headings)."""

from __future__ import annotations

import ast
from pathlib import Path

import thuvien

ROOT = Path(thuvien.__file__).resolve().parent
# What Django's makemessages passes to xgettext, and xgettext's own keywords for Python.
EXTRACTED = {
    "_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
    "pgettext_lazy", "npgettext", "npgettext_lazy",
}  # fmt: skip
TRANSLATION_MODULES = {"django.utils.translation"}


def hidden_names(source: str) -> list[str]:
    """`name as alias` imports of the translation functions under a name xgettext ignores."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in TRANSLATION_MODULES:
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name in EXTRACTED and local not in EXTRACTED:
                    found.append(f"line {node.lineno}: {alias.name} as {local}")
    return found


def test_the_check_finds_a_hidden_name():
    source = "from django.utils.translation import gettext_lazy as _l, gettext as _\n"
    assert hidden_names(source) == ["line 1: gettext_lazy as _l"]
    assert hidden_names("from django.utils.translation import gettext_lazy as _\n") == []


def test_no_module_marks_messages_under_a_name_makemessages_does_not_read():
    problems = [
        f"{path.relative_to(ROOT)} {problem}"
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for problem in hidden_names(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "rename to gettext_lazy / gettext:\n" + "\n".join(problems)
