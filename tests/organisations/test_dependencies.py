"""Dependencies point one way (docs/architecture.md): organisations, which every later app builds
on, imports none of them; the demo reaches training and events through `core.demo`, where each
app registers its part in `AppConfig.ready()` (tests/core/test_dependencies.py walks core)."""

from __future__ import annotations

from pathlib import Path

import thuvien.organisations
from tests.core.test_dependencies import domain_imports
from thuvien.core import demo

ORGANISATIONS = Path(thuvien.organisations.__file__).parent
LATER_APPS = ("accounts", "notifications", "training", "events")


def test_organisations_imports_no_later_app():
    offenders = {
        str(path.relative_to(ORGANISATIONS)): later
        for path in sorted(ORGANISATIONS.rglob("*.py"))
        if "migrations" not in path.parts
        and (
            later := [
                name
                for name in domain_imports(path.read_text(encoding="utf-8"))
                if name.split(".")[1] in LATER_APPS
            ]
        )
    }
    assert offenders == {}


def test_training_and_events_add_their_parts_to_the_demo_in_order():
    parts = {part.name: part for part in demo.parts()}
    assert [part.name for part in demo.parts()][:2] == ["training", "events"]
    assert parts["training"].seed == "thuvien.training.demo.seed_training"
    assert parts["events"].clear == "thuvien.events.demo.clear_events_data"
