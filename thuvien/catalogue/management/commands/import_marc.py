"""manage.py import_marc PATH --school CODE [--dry-run] [--valid-only]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thuvien.catalogue.marc.importer import import_marc
from thuvien.organisations.models import Unit


class Command(BaseCommand):
    help = "Import a MARC21 file (ISO 2709 or MARCXML) into the catalogue for a school."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--school", required=True, help="the school's Ministry code")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--valid-only", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        school = Unit.objects.filter(code=options["school"]).first()
        if school is None:
            raise CommandError(_("No school has the code %(code)s.") % {"code": options["school"]})
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        started = time.perf_counter()
        report = import_marc(
            path,  # read a block at a time: a large file is never held whole
            school=school,
            by=None,
            dry_run=options["dry_run"],
            valid_only=options["valid_only"],
        )
        for position, message in report.warnings:
            self.stdout.write(_("Record %(n)s: %(message)s") % {"n": position, "message": message})
        for position, reason in report.rejected:
            self.stderr.write(
                _("Record %(n)s refused: %(reason)s") % {"n": position, "reason": reason}
            )
        self.stdout.write(
            _(
                "%(total)s records read: %(created)s new, %(matched)s already in the catalogue, "
                "%(copies)s copies added, %(rejected)s refused."
            )
            % {
                "total": report.total,
                "created": report.created,
                "matched": report.matched,
                "copies": report.copies_created,
                "rejected": len(report.rejected),
            }
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            _("Took %(seconds).1f s (%(rate)d records a second).")
            % {"seconds": elapsed, "rate": report.total / elapsed if elapsed else 0}
        )
        if not report.written:
            self.stdout.write(_("Nothing was written to the catalogue."))
        if report.rejected and not options["valid_only"]:
            raise CommandError(_("The file has refused records; nothing was imported."))
