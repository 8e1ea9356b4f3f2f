"""The demo's standards: last year recognised (Mức 2, Mức 1, no level), plans from the gaps,
this year's window open with schools at every stage; idempotent; cleared on reset."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from thuvien.access import resolve_scope
from thuvien.core import demo as demo_parts
from thuvien.organisations import demo as province_demo
from thuvien.organisations.models import Role, Unit, UnitKind
from thuvien.standards import demo
from thuvien.standards.models import (
    Assessment,
    AssessmentStatus,
    AssessmentWindow,
    DevelopmentPlan,
    LibraryProfile,
    Recognition,
)
from thuvien.standards.overview import overview

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def counts() -> dict[str, int]:
    models = (AssessmentWindow, Assessment, Recognition, DevelopmentPlan, LibraryProfile)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_province_has_both_years_at_every_stage(media):
    with demo_parts.only("standards"):
        province_demo.build_province(24, seed=2025, today=TODAY)
    schools = Unit.objects.schools().filter(is_active=True).count()
    last, this = AssessmentWindow.objects.order_by("year")
    assert (last.year, this.year) == (2025, 2026)
    assert last.closes_on < TODAY and this.opens_on <= TODAY <= this.closes_on
    levels = Counter(
        r.level.code if r.level else None
        for r in Recognition.objects.filter(assessment__window=last).select_related("level")
    )
    assert sum(levels.values()) == schools and levels["muc1"] and levels["muc2"] and levels[None]
    assert DevelopmentPlan.objects.filter(year=2025).count() == schools
    stages = set(Assessment.objects.filter(window=this).values_list("status", flat=True))
    assert stages == set(AssessmentStatus.values)
    assert Assessment.objects.filter(window=this).count() < schools  # some not started
    assert LibraryProfile.objects.count() == 2 * schools
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    officer = province_demo.DEMO_USERNAMES[Role.DEPARTMENT_OFFICER]
    from django.contrib.auth import get_user_model

    scope = resolve_scope(get_user_model().objects.get(username=officer), None)
    report = overview(scope, department, this)
    assert report.totals.total == schools
    before = counts()
    demo.seed_standards(TODAY, seed=2025)
    assert counts() == before  # a second run adds nothing
    demo.clear_standards_data()
    assert sum(counts().values()) == 0
