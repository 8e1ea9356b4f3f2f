"""`manage.py demo_logins`: the demo's logins, one per role, read from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuvien.organisations.demo import demo_logins, logins_text


class Command(BaseCommand):
    help = (
        "List the accounts to try the demo with — one per role, plus a THPT school directly "
        "under the Sở and the trainer who organises the demo's event: role, username, password, "
        "unit — after the site's address and where its e-mail goes. Shows the demo accounts "
        "when they exist, otherwise the first current member of each role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--save",
            metavar="FILE",
            help="Also write what is printed to FILE (`make demo` writes var/demo-logins.txt).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("No accounts yet: run `manage.py seed_demo` to create the demo.")
            return
        text = logins_text(logins)
        if options["save"]:
            path = Path(options["save"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.stdout.write(text, ending="")
