"""`manage.py seed_demo`: fill an empty database with the demo province (see demo.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuvien.organisations import demo
from thuvien.organisations.models import Unit


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo province: a Sở GD&ĐT, commune/ward offices, schools "
        "of every tier, a partner library, a person in every role and a little history. Every "
        f"demo account has the password “{demo.DEMO_PASSWORD}” (list them with demo_logins). "
        "Refuses a database that already has units, unless --if-empty (then does nothing) or "
        "--reset (then deletes them first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schools",
            type=int,
            default=demo.DEFAULT_SCHOOLS,
            help=f"How many schools (default {demo.DEFAULT_SCHOOLS}; a province is about 2000; "
            f"from {demo.BULK_FROM_SCHOOLS} on, rows are written in bulk).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has units (what `make demo` runs).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Development databases only: first delete every unit, membership and account "
            "that is not staff or superuser, with their audit history.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Random seed: the same seed builds the same province.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schools = options["schools"]
        if not demo.MIN_SCHOOLS <= schools <= demo.MAX_SCHOOLS:
            raise CommandError(
                f"--schools must be between {demo.MIN_SCHOOLS} and {demo.MAX_SCHOOLS}."
            )
        existing = Unit.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"The database already has {existing} units: nothing was seeded.")
            return
        if existing and not options["reset"]:
            raise CommandError(
                f"The database already has {existing} units; seed_demo fills an empty database "
                "only. Use --if-empty to skip quietly, or --reset to delete the units, "
                "memberships and non-staff accounts first (development databases only)."
            )
        started = time.perf_counter()
        if existing:
            demo.clear_demo_data()
            self.stdout.write(f"Deleted {existing} units with their people.")
        plan = demo.build_province(schools, seed=options["seed"])
        offices = sum(1 for unit in plan.units if unit.kind == "office")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(plan.units)} units ({len(plan.schools)} schools, {offices} "
                f"offices, one merged) and {len(plan.people)} accounts in "
                f"{time.perf_counter() - started:.1f} s"
                f"{' (bulk insert)' if plan.bulk else ''}."
            )
        )
        self.stdout.write(
            f"Every demo account has the password “{demo.DEMO_PASSWORD}”; "
            "`manage.py demo_logins` lists one per role."
        )
