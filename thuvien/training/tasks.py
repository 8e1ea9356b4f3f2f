"""Background work of training, run by the django-tasks worker."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from thuvien.training.services.reminders import send_reminders


@task()
def send_training_reminders(day: str = "") -> dict[str, int]:
    """The daily reminders and escalations of every published campaign (`day`: ISO date, for
    tests and catching up; default today). Returns what was sent, by kind."""
    return send_reminders(today=dt.date.fromisoformat(day) if day else None).as_dict()
