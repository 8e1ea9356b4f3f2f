"""Every user-facing string of the events app is one gettext call on a literal, with
%-placeholders: makemessages (xgettext) extracts no call inside an f-string or a `format`, so such
words stay in English on the Vietnamese pages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import thuvien

ROOT = Path(thuvien.__file__).resolve().parent
CHECKED = [
    *sorted((ROOT / "events").rglob("*.py")),
    ROOT / "training" / "views" / "province.py",
]
# The gettext functions, with how many of their first arguments are messages (and contexts).
LITERALS = {
    **dict.fromkeys(("_", "_lazy", "gettext", "gettext_lazy"), 1),
    **dict.fromkeys(("pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"), 2),
    **dict.fromkeys(("npgettext", "npgettext_lazy"), 3),
}


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _is_gettext(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _name(node) in LITERALS


def problems(source: str) -> list[str]:
    """Where `source` hides a message from makemessages."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            found += [
                f"{n.lineno}: gettext in an f-string" for n in ast.walk(node) if _is_gettext(n)
            ]
        elif isinstance(node, ast.Call) and _name(node) == "format":
            inside = [n for n in ast.walk(node) if _is_gettext(n)]
            found += [f"{n.lineno}: gettext with format()" for n in inside]
        elif _is_gettext(node):
            assert isinstance(node, ast.Call)
            messages = node.args[: LITERALS[_name(node)]]
            if len(messages) < LITERALS[_name(node)] or not all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in messages
            ):
                found.append(f"{node.lineno}: gettext of something other than a literal")
    return found


@pytest.mark.parametrize("path", CHECKED, ids=lambda path: str(path.relative_to(ROOT)))
def test_messages_are_plain_gettext_calls(path):
    assert problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "x = f\"{text}, {_('certificate')}\"",
        "x = f\"{label} ({gettext('late')})\"",
        'x = "{} ({})".format(label, _("late"))',
        'x = _("late {}").format(label)',
        "x = _(message)",
        'x = _("a" + b)',
    ],
)
def test_the_check_finds_hidden_messages(source):
    assert problems(source)


def test_the_check_accepts_placeholders():
    source = 'x = _("%(status)s (late)") % {"status": label}\n'
    source += 'y = ngettext("%(n)d person", "%(n)d people", n) % {"n": n}\n'
    source += 'z = f"{start}–{start + 1}"\n'
    assert problems(source) == []
