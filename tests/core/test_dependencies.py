"""Dependencies point one way: `core` imports no domain app (the apps register with it instead)."""

import ast
from pathlib import Path

import thuvien.core

DOMAIN_APPS = ("organisations", "accounts", "training", "events", "notifications")
CORE = Path(thuvien.core.__file__).parent


def domain_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            name
            for name in names
            if name.split(".")[:2] in (["thuvien", app] for app in DOMAIN_APPS)
        ]
    return found


def test_the_walker_sees_every_form_of_import():
    assert domain_imports("import thuvien.training.models") == ["thuvien.training.models"]
    assert domain_imports("from thuvien.events import demo")[0] == "thuvien.events"
    assert domain_imports("from thuvien import accounts") == ["thuvien.accounts"]
    assert domain_imports("def f():\n    from thuvien.organisations.access import scope_for\n")
    assert domain_imports("from thuvien.core import home\nimport thuvien.documents") == []


def test_core_imports_no_domain_app():
    offenders = {
        str(path.relative_to(CORE)): names
        for path in sorted(CORE.rglob("*.py"))
        if (names := domain_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
