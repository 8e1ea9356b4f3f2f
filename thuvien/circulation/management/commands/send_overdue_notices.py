"""Tell readers with an account about their overdue loans (at most weekly); run daily by cron."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuvien.circulation.services.notices import send_overdue_notices


class Command(BaseCommand):
    help = "Send the overdue notices of every school's readers who have an account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="ISO date to run as (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = dt.date.fromisoformat(options["day"]) if options.get("day") else None
        told = send_overdue_notices(day)
        self.stdout.write(f"{told} readers told")
