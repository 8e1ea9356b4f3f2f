"""The school calendar: the days the library is shut, and the due date a loan period gives."""

from __future__ import annotations

import datetime as dt

from thuvien.circulation.models import DEFAULT_RULE, Closure, DeskSettings, LoanRule
from thuvien.organisations.models import Unit

# A calendar with a year of closures in a row is a mistake; a due date never moves further.
_LONGEST_CLOSURE = 400


def closed_weekdays(school: Unit) -> set[int]:
    settings = DeskSettings.objects.filter(school=school).first()
    return settings.weekdays if settings is not None else {6}


def next_open_day(school: Unit, day: dt.date) -> dt.date:
    """`day` itself when the library is open then, or the first open day after it."""
    shut = closed_weekdays(school)
    closures = list(
        Closure.objects.filter(school=school, ends_on__gte=day)
        .filter(starts_on__lte=day + dt.timedelta(days=_LONGEST_CLOSURE))
        .values_list("starts_on", "ends_on")
    )
    for _step in range(_LONGEST_CLOSURE):
        if day.weekday() in shut:
            day += dt.timedelta(days=1)
            continue
        ending = [end for start, end in closures if start <= day <= end]
        if not ending:
            return day
        day = max(ending) + dt.timedelta(days=1)
    return day


def rules_of_kind(school: Unit, reader_kind: str) -> dict[int | None, LoanRule]:
    """The school's rules for a reader type, by collection (None: the general rule); one query."""
    rows = LoanRule.objects.filter(school=school, reader_kind=reader_kind)
    return {rule.collection_id: rule for rule in rows}


def rule_for(school: Unit, reader_kind: str, collection_id: int | None) -> LoanRule:
    """The collection's own rule for this reader type, else the school's general one for the
    type, else the default (14 days, 3 items, 1 renewal)."""
    rules = rules_of_kind(school, reader_kind)
    return rules.get(collection_id) or rules.get(None) or DEFAULT_RULE


def due_date(school: Unit, rule: LoanRule, start: dt.date) -> dt.date:
    """The loan period from `start`, or the rule's end of the school year: a date set for an
    earlier year stands for the same day of this one (the rule is not rewritten every year)."""
    if rule.fixed_due_on is not None:
        due = rule.fixed_due_on
        while due < start:
            try:
                due = due.replace(year=due.year + 1)
            except ValueError:  # 29 February
                due = due.replace(year=due.year + 1, day=28)
        return next_open_day(school, due)
    return next_open_day(school, start + dt.timedelta(days=rule.loan_days))
