from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thuvien.standards import services
from thuvien.standards.models import AssessmentWindow, Framework, FrameworkVersion


@pytest.fixture
def tt16(db) -> FrameworkVersion:
    """Thông tư 16 as shipped (loaded after every migrate; again here after a flush)."""
    services.ship_frameworks()
    framework = Framework.objects.get(code="tt16-2022")
    version = framework.current
    assert version is not None
    return version


@pytest.fixture
def window(world, tt16) -> AssessmentWindow:
    """The Sở's window of school year 2025–2026 (the world's figures), open today."""
    today = timezone.localdate()
    return services.open_window(
        world.department,
        framework_version=tt16,
        year=2025,
        title="Tự đánh giá thư viện năm học 2025–2026",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
    )
