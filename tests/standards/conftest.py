from __future__ import annotations

import pytest

from thuvien.standards import services
from thuvien.standards.models import Framework, FrameworkVersion


@pytest.fixture(autouse=True)
def _english_rules():
    """Messages are checked in Vietnamese, the default language, unless a test says otherwise."""


@pytest.fixture
def tt16(db) -> FrameworkVersion:
    """Thông tư 16 as shipped (loaded after every migrate; again here after a flush)."""
    services.ship_frameworks()
    framework = Framework.objects.get(code="tt16-2022")
    version = framework.current
    assert version is not None
    return version
