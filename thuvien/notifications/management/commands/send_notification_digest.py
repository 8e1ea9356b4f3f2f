"""Send the daily digest of notifications to everyone who chose it; run daily by cron or a
systemd timer, after the reminders:

    30 7 * * *  cd /srv/thuvien && .venv/bin/python manage.py send_notification_digest

A person gets at most one digest per day: running it twice on one day sends nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuvien.notifications.tasks import send_notification_digest


class Command(BaseCommand):
    help = "E-mail the daily digest of notifications to the people who chose it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The digest's day (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the background worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or ""
        try:
            dt.date.fromisoformat(day) if day else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {day!r}") from error
        if options["enqueue"]:
            result = send_notification_digest.enqueue(day)
            self.stdout.write(f"Queued digest task {result.id}.")
            return
        sent = send_notification_digest.call(day)
        self.stdout.write(f"Digests sent: {sent}.")
