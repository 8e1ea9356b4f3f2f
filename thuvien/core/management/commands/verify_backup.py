"""`manage.py verify_backup ARCHIVE.tar`: is every member what the manifest says? (No restore.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thuvien.core import backup


class Command(BaseCommand):
    help = (
        "Read a backup_site archive and check the dump and every file against its manifest "
        "(size and SHA-256), without restoring anything. Exits non-zero on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="An archive written by backup_site.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup.verify(options["archive"])
        except (backup.BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The archive is whole: the dump and %(files)d files match the manifest "
                    "(%(tables)d tables, %(rows)d rows)."
                )
                % {"files": outcome.files, "tables": outcome.tables, "rows": outcome.rows}
            )
        )
