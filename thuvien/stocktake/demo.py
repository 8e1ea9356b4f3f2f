"""The demo's stocktake: in the first school with copies, the story books counted shelf by shelf
at the end of last month, one copy not found and one found on another shelf; closed, awaiting
the principal's approval. `clear_stocktake_data` removes it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from thuvien.catalogue.models import Collection, Copy, CopyStatus
from thuvien.organisations.models import Membership, Role, Unit
from thuvien.stocktake import services
from thuvien.stocktake.models import Stocktake, StocktakeLine, StocktakeScan

__all__ = ["clear_stocktake_data", "seed_stocktake"]


def seed_stocktake(today: dt.date, *, seed: int) -> None:
    if Stocktake.objects.exists():
        return
    for school in Unit.objects.schools().filter(is_active=True).order_by("path"):
        stories = Collection.objects.filter(school=school, code="STN").first()
        copies = list(
            Copy.objects.filter(
                school=school, collection=stories, status=CopyStatus.AVAILABLE
            ).order_by("pk")[:12]
        )
        if stories is None or len(copies) < 4:
            continue
        member = Membership.objects.filter(
            unit=school, role__in=(Role.LIBRARIAN, Role.TEACHER_LIBRARIAN)
        ).first()
        by = member.user if member else None
        for copy in copies:
            Copy.objects.filter(pk=copy.pk).update(location="Giá B2")
        when = dt.datetime.combine(today.replace(day=1) - dt.timedelta(days=2), dt.time(15, 0))
        when = when.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        stocktake = services.open_stocktake(school, by=by, collection=stories, location="Giá B2")
        Stocktake.objects.filter(pk=stocktake.pk).update(opened_at=when)
        misplaced, missing = copies[0], copies[-1]
        for copy in copies[1:-1]:
            services.scan(stocktake, copy.barcode, by=by, found_at="Giá B2", now=when)
        services.scan(stocktake, misplaced.barcode, by=by, found_at="Giá A1", now=when)
        services.close(stocktake, by=by, now=when + dt.timedelta(hours=1))
        assert missing.pk  # left unscanned: the missing copy
        return


def clear_stocktake_data() -> None:
    for model in (StocktakeLine, StocktakeScan):
        model.objects.all().delete()
    Stocktake.objects.all().delete()
    Stocktake.history.all().delete()
