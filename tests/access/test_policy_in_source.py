"""No view, API function or query module decides access by itself: a walk over the source.

In every module that answers requests (views, API, the query helpers they call), a chain that
starts at a scoped model's manager (`Enrolment.objects…`) must pass through the policy — a
`.visible_to(scope)` / `.allowed_to(scope, action)` call in the chain, or the chain (or the variable
it was put in) handed to `get_scoped_or_404`, `scoped_file` or `allowed_ids`. Nothing outside
`thuvien/access` raises `PermissionDenied` or writes a `visible_to`. The checker is tried on
broken snippets below, so it is known to catch what it must.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from thuvien.access import ScopedQuerySet

ROOT = Path(__file__).resolve().parents[2] / "thuvien"
POLICY_CALLS = {"get_scoped_or_404", "scoped_file", "allowed_ids", "visible_to"}
# Querysets that only ever read rows related to rows already fetched through the policy: the
# prefetch of a policed query, and a subquery correlated with its outer (policed) row.
RELATED_ONLY_CALLS = {"Prefetch"}
# A deliberate exception names its reason on the line: `# policy: <why this is not a leak>`.
PRAGMA = "# policy:"
POLICY_METHODS = {"visible_to", "allowed_to"}


def scoped_model_names() -> set[str]:
    return {
        model.__name__
        for config in apps.get_app_configs()
        if config.name.startswith("thuvien.")
        for model in config.get_models()
        if isinstance(model._default_manager.get_queryset(), ScopedQuerySet)
    }


def request_modules() -> list[Path]:
    """Modules whose functions answer requests, or are called by them to fetch rows."""
    found = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or rel.parts[0] == "access":
            continue
        name = path.stem
        if (
            "views" in rel.parts[:-1]
            or name == "views"
            or name.endswith("_views")
            or name in {"api", "import_screens"}
            or name.endswith("_api")
            or "queries" in name
            or "dashboard" in rel.parts[:-1]
        ):
            found.add(path)
    return sorted(found)


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _chain_top(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[ast.AST, set[str]]:
    """Climb a method chain `X.objects.a(...).b(...)`: its outermost node and the names called."""
    called: set[str] = set()
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            called.add(parent.attr)
            node = parent
        elif (isinstance(parent, ast.Call) and parent.func is node) or isinstance(
            parent,
            ast.BinOp,  # rows | other_rows: the union must be policed too
        ):
            node = parent
        else:
            return node, called


def _handed_to_policy(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    return (
        isinstance(parent, ast.Call)
        and node in parent.args
        and _call_name(parent) in POLICY_CALLS | RELATED_ONLY_CALLS
    )


def _correlated(node: ast.AST) -> bool:
    """The chain filters by `OuterRef(...)`: a subquery of a row the outer query fetched."""
    return any(
        isinstance(inner, ast.Call) and _call_name(inner) == "OuterRef" for inner in ast.walk(node)
    )


def problems_in(source: str, filename: str, scoped: set[str]) -> list[str]:
    tree = ast.parse(source, filename)
    parents = _parents(tree)
    lines = source.splitlines()
    found: list[str] = []
    pending: dict[tuple[ast.AST, str], int] = {}  # (function, variable) → line
    policed_names: set[tuple[ast.AST, str]] = set()

    def function_of(node: ast.AST) -> ast.AST:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return tree

    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "PermissionDenied":
                found.append(f"{filename}:{node.lineno}: raises PermissionDenied itself")
        if isinstance(node, ast.FunctionDef) and node.name in POLICY_METHODS:
            found.append(f"{filename}:{node.lineno}: defines {node.name} (declare a policy)")
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in scoped
        ):
            top, called = _chain_top(node, parents)
            if called & POLICY_METHODS or _handed_to_policy(top, parents) or _correlated(top):
                continue
            if PRAGMA in lines[node.lineno - 1] or PRAGMA in lines[max(node.lineno - 2, 0)]:
                continue
            parent = parents.get(top)
            if isinstance(parent, ast.Assign | ast.AnnAssign):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if names:
                    pending[(function_of(parent), names[0])] = node.lineno
                    continue
            found.append(
                f"{filename}:{node.lineno}: {node.value.id}.objects… is used without the policy"
            )
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            top, called = _chain_top(node, parents)
            if called & POLICY_METHODS or _handed_to_policy(top, parents):
                policed_names.add((function_of(node), node.id))
    for (function, name), line in pending.items():
        if (function, name) not in policed_names:
            found.append(f"{filename}:{line}: `{name}` holds scoped rows never given to the policy")
    return found


def test_the_walk_covers_the_request_modules():
    names = {str(path.relative_to(ROOT)) for path in request_modules()}
    assert {"training/views/office.py", "events/views/organise.py", "organisations/api.py"} <= names


@pytest.mark.parametrize("path", request_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_request_module_decides_access_itself(path):
    assert problems_in(path.read_text(), str(path.relative_to(ROOT)), scoped_model_names()) == []


def test_nothing_outside_the_access_package_raises_permission_denied():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.relative_to(ROOT).parts[0] == "access":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(exc, ast.Name) and exc.id == "PermissionDenied":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


# --- The checker catches what it must ---------------------------------------------------------

BROKEN = {
    "a plain filter": "def v(request):\n    return Enrolment.objects.filter(school=1)\n",
    "get_object_or_404": (
        "def v(request, pk):\n    return get_object_or_404(Enrolment.objects, pk=pk)\n"
    ),
    "a variable never policed": (
        "def v(request):\n    rows = Enrolment.objects.all()\n    return list(rows)\n"
    ),
    "a union with an unscoped side": (
        "def v(request, s):\n"
        "    return Enrolment.objects.visible_to(s) | Enrolment.objects.filter(pk=1)\n"
    ),
    "its own refusal": "def v(request):\n    raise PermissionDenied('no')\n",
    "its own visible_to": "class Q:\n    def visible_to(self, scope):\n        return self\n",
}
FINE = {
    "visible_to in the chain": (
        "def v(request, s):\n    return Enrolment.objects.select_related('x').visible_to(s)\n"
    ),
    "handed to get_scoped_or_404": (
        "def v(request, s, pk):\n"
        "    return get_scoped_or_404(Enrolment.objects.select_related('x'), s, pk=pk)\n"
    ),
    "a variable handed on": (
        "def v(request, s, pk):\n"
        "    rows = Enrolment.objects.select_related('x')\n"
        "    return get_scoped_or_404(rows, s, pk=pk)\n"
    ),
    "an unscoped model": "def v(request):\n    return Theme.objects.all()\n",
    "a correlated count": (
        "def v(rows):\n"
        "    n = Enrolment.objects.filter(school=OuterRef('pk'))\n"
        "    return rows.annotate(n=Count(n))\n"
    ),
    "a prefetch": (
        "def v(rows):\n"
        "    notes = Enrolment.objects.order_by('pk')\n"
        "    return rows.prefetch_related(Prefetch('x', notes))\n"
    ),
    "a named exception": (
        "def v(unit):\n    return Enrolment.objects.filter(pk=1)  # policy: the row's own\n"
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_checker_flags_a_broken_view(name):
    assert problems_in(BROKEN[name], "broken.py", {"Enrolment"}), name


@pytest.mark.parametrize("name", sorted(FINE))
def test_the_checker_passes_a_policed_view(name):
    assert problems_in(FINE[name], "fine.py", {"Enrolment"}) == [], name


def test_the_deliberate_exceptions_are_few_and_named():
    """Each `# policy:` exception is listed here, so adding one is a visible decision."""
    found = {
        f"{path.relative_to(ROOT)}: {line.split(PRAGMA, 1)[1].strip()}"
        for path in request_modules()
        for line in path.read_text().splitlines()
        if PRAGMA in line
    }
    assert found == {
        "organisations/queries.py: the names of the units above one the person sees "
        "(the page's breadcrumb)",
    }
