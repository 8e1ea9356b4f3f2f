"""Send the day's self-assessment reminders; run daily by cron or a systemd timer:

    20 7 * * *  cd /srv/thuvien && .venv/bin/python manage.py send_standards_reminders

Running it twice on one day sends nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuvien.standards.services.reminders import send_reminders
from thuvien.standards.tasks import send_standards_reminders


class Command(BaseCommand):
    help = "Send the library self-assessment reminders due today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as on this day (YYYY-MM-DD), e.g. for testing.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the run to the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or ""
        try:
            today = dt.date.fromisoformat(day) if day else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {day!r}") from error
        if options["enqueue"]:
            result = send_standards_reminders.enqueue(day)
            self.stdout.write(f"Queued reminders task {result.id}.")
            return
        sent = send_reminders(today=today)
        counts = ", ".join(f"{kind}: {count}" for kind, count in sorted(sent.items()))
        self.stdout.write(f"Reminders sent ({sum(sent.values())} notifications). {counts}")
