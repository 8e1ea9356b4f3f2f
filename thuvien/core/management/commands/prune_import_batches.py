"""Forget uploaded spreadsheets that are no longer needed: run it daily or weekly from cron."""

from __future__ import annotations

from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuvien.core.import_batches import prune_batches


def at_least_one(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError("must be a whole number, 1 or more")
    return int(value)


class Command(BaseCommand):
    help = (
        "Delete import batches never confirmed, and drop the uploaded file of batches applied or "
        "failed long ago (their row, outcome and summary are kept)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unconfirmed-days",
            type=at_least_one,
            default=7,
            help="Delete batches never confirmed after this many days (default: %(default)s).",
        )
        parser.add_argument(
            "--finished-days",
            type=at_least_one,
            default=30,
            help="Drop the file of applied or failed batches after this many days "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--stuck-hours",
            type=at_least_one,
            default=6,
            help="End as failed the batches still importing this many hours after they were "
            "confirmed: their worker died (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be pruned."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pruned = prune_batches(
            unconfirmed_days=options["unconfirmed_days"],
            finished_days=options["finished_days"],
            stuck_hours=options["stuck_hours"],
            dry_run=options["dry_run"],
        )
        verb = ("would delete", "would drop") if options["dry_run"] else ("deleted", "dropped")
        self.stdout.write(
            f"{verb[0]} {pruned.deleted} unconfirmed batch(es); "
            f"{verb[1]} the file of {pruned.emptied} finished batch(es)."
        )
        if pruned.stuck:
            ended = "would end" if options["dry_run"] else "ended"
            self.stdout.write(f"{ended} {pruned.stuck} stuck batch(es) as failed.")
