"""Send the day's self-training reminders and escalations; run daily by cron or a systemd timer:

    15 7 * * *  cd /srv/thuvien && .venv/bin/python manage.py send_training_reminders

Running it twice on one day sends nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuvien.training.services.reminders import send_reminders
from thuvien.training.tasks import send_training_reminders


class Command(BaseCommand):
    help = "Send the self-training reminders and escalations due today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as on this day (YYYY-MM-DD), e.g. for testing.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the background worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or ""
        try:
            today = dt.date.fromisoformat(day) if day else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {day!r}") from error
        if options["enqueue"]:
            result = send_training_reminders.enqueue(day)
            self.stdout.write(f"Queued reminders task {result.id}.")
            return
        run = send_reminders(today=today)
        counts = ", ".join(f"{kind}: {count}" for kind, count in sorted(run.as_dict().items()))
        self.stdout.write(f"Reminders sent ({run.total} notifications). {counts}")
