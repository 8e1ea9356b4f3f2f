"""The demo's collections: shared records, every school's copies, batches, a withdrawal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count

from thuvien.catalogue import demo
from thuvien.catalogue.models import (
    AcquisitionBatch,
    Copy,
    CopyStatus,
    Record,
    Source,
    Withdrawal,
    WithdrawalStatus,
)
from thuvien.core import demo as demo_parts
from thuvien.organisations import demo as province_demo
from thuvien.organisations.models import Unit

TODAY = dt.date(2026, 12, 2)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Record, Copy, AcquisitionBatch, Withdrawal)}


@pytest.mark.django_db
def test_every_demo_school_has_a_collection_and_the_province_shares_records(
    settings: Any, tmp_path: Any
):
    settings.MEDIA_ROOT = tmp_path
    with demo_parts.only("catalogue"):
        province_demo.build_province(8, seed=2025, today=TODAY)
    schools = Unit.objects.schools().filter(is_active=True)
    with_copies = set(Copy.objects.values_list("school_id", flat=True))
    assert with_copies == set(schools.values_list("pk", flat=True))
    shared = Record.objects.annotate(n=Count("copies__school", distinct=True)).filter(n__gte=2)
    assert shared.exists()
    assert set(AcquisitionBatch.objects.values_list("source", flat=True)) == set(Source.values)
    assert Copy.objects.filter(source=Source.DONATION).exclude(donor="").exists()
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.status == WithdrawalStatus.APPROVED
    assert Copy.objects.filter(status=CopyStatus.WITHDRAWN, withdrawal=withdrawal).count() == 2
    before = counts()
    demo.seed_catalogue(TODAY, seed=2025)
    assert counts() == before  # a second run adds nothing
    demo.clear_catalogue_data()
    assert sum(counts().values()) == 0
