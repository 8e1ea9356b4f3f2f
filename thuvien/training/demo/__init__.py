"""Self-training campaigns of the demo province, played through the real use cases.

`seed_training(today, seed=…)` issues two department campaigns modelled on the Bến Tre letter
2458/SGD&ĐT-KHTC (04/12/2017), each for the school year computed from `today`:

- `previous`: last school year's, on the letter's own calendar, played to the end and closed
  (every package accepted, every office report accepted, the province's report final);
- `current`: this school year's, its calendar laid out backwards from `today` (`campaign`), so that
  on any day it is well under way: the school deadline just passed, the office deadline ahead, and
  the schools at every stage (not started, submitted on time and late, evaluated, a package sent to
  the Sở by a THPT school, one returned by its office, others accepted, an office report sent).

Every change goes through `thuvien.training.services`, dated with their `on=`/`at=` parameters, so
the history and audit rows exist. A campaign already there for its school year is left alone, so
a second run adds nothing. `clear_training_data` removes it all (`seed_demo --reset`).
"""

from __future__ import annotations

import datetime as dt
import random

from thuvien.organisations.models import Role, Unit, UnitKind, current_school_year
from thuvien.training import services
from thuvien.training.demo.campaign import (
    DAY,
    GUIDANCE,
    NUMBER,
    PREVIOUS_NUMBER,
    current_timeline,
    issue,
    letter_timeline,
)
from thuvien.training.demo.current import play_current
from thuvien.training.demo.previous import play_previous
from thuvien.training.demo.records import at, member
from thuvien.training.models import (
    Campaign,
    Enrolment,
    Material,
    Milestone,
    ReportVersion,
    ScaleLevel,
    SchoolPackage,
    StudyNote,
    Topic,
    UnitReport,
)

__all__ = ["clear_training_data", "seed_training"]


def seed_training(today: dt.date, *, seed: int) -> None:
    """The demo's two campaigns (see the module docstring); deterministic in `seed`."""
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    admin = member(department, Role.DEPARTMENT_ADMIN, today)
    year = current_school_year(today)
    existing = set(Campaign.objects.filter(issuer=department).values_list("school_year", flat=True))
    previous = letter_timeline(year - 1)
    if year - 1 not in existing:
        rng = random.Random(f"training-{seed}-previous")  # noqa: S311 - demo data, not secrets
        campaign = issue(department, admin, year - 1, previous, PREVIOUS_NUMBER)
        services.publish_campaign(campaign, by=admin, on=previous.published)
        services.publish_report_guidance(
            campaign, text=GUIDANCE, by=admin, on=at(previous.guidance, 8)
        )
        play_previous(campaign, previous, rng, admin)
    if year not in existing:
        rng = random.Random(f"training-{seed}-current")  # noqa: S311
        timeline = current_timeline(today, not_before=previous.office_deadline + 30 * DAY)
        campaign = issue(department, admin, year, timeline, NUMBER)
        services.publish_campaign(campaign, by=admin, on=timeline.published)
        services.publish_report_guidance(
            campaign, text=GUIDANCE, by=admin, on=at(timeline.guidance, 8)
        )
        services.sync_enrolments(campaign, on=today)  # people appointed since publishing
        play_current(campaign, timeline, today, rng, admin)


def clear_training_data() -> None:
    """Delete every campaign and what hangs off it, with their audit rows (`seed_demo --reset`,
    development databases only): run before the units and accounts they point to go."""
    for model in (UnitReport, SchoolPackage, StudyNote, ReportVersion, Enrolment):
        model.objects.all().delete()
    for campaign_part in (Topic, Material, Milestone, ScaleLevel):
        campaign_part.objects.all().delete()
    Campaign.objects.all().delete()
    for audited in (UnitReport, SchoolPackage, StudyNote, Enrolment, Campaign):
        history = getattr(audited, "history", None)
        if history is not None:
            history.all().delete()
