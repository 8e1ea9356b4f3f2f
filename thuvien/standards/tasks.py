"""Background work of the standards, run by the django-tasks worker."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from thuvien.standards.services.reminders import send_reminders


@task()
def send_standards_reminders(day: str = "") -> dict[str, int]:
    """The day's self-assessment reminders (`day`: ISO date; default today)."""
    return dict(send_reminders(today=dt.date.fromisoformat(day) if day else None))
