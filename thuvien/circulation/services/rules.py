"""A school's loan rules and calendar, kept by its library staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thuvien.circulation.models import Closure, DeskSettings, LoanRule
from thuvien.circulation.services.errors import CirculationError
from thuvien.organisations.models import Unit


def save_rule(school: Unit, rule: LoanRule) -> LoanRule:
    """`rule` filled from the form; saved as the school's (one a reader type and collection)."""
    if rule.collection is not None and rule.collection.school_id != school.pk:
        raise CirculationError(_("Choose one of the school's own collections."))
    rule.school = school
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as error:
        raise CirculationError(
            _("The school has a rule for this reader type and collection already: change that one.")
        ) from error
    return rule


def add_closure(school: Unit, *, starts_on: dt.date, ends_on: dt.date, reason: str) -> Closure:
    if ends_on < starts_on:
        raise CirculationError(_("The closure ends before it starts."))
    return Closure.objects.create(
        school=school, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )


def set_closed_weekdays(school: Unit, days: list[Any]) -> DeskSettings:
    chosen = sorted({int(day) for day in days if str(day).isdigit() and 0 <= int(day) <= 6})
    if len(chosen) == 7:
        raise CirculationError(_("The library must open on at least one day of the week."))
    settings, _created = DeskSettings.objects.update_or_create(
        school=school, defaults={"closed_weekdays": ",".join(map(str, chosen))}
    )
    return settings
