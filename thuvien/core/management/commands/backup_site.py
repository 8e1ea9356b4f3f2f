"""`manage.py backup_site ARCHIVE.tar`: the database and the uploaded files, together, with a
manifest of counts and checksums (see thuvien/core/backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thuvien.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump on one snapshot; SQLite: the online backup "
        "API) and every file under MEDIA_ROOT into one tar archive, with a manifest of each "
        "table's row count and checksum and each file's size and SHA-256. The site keeps running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive to write, e.g. thuvien.tar.")
        parser.add_argument("--database", default="default", help="The database alias to back up.")
        parser.add_argument(
            "--media-root", type=Path, default=None, help="The media folder (default MEDIA_ROOT)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if archive.exists():
            raise CommandError(
                _("%(archive)s already exists; choose a new name (a backup never overwrites one).")
                % {"archive": archive}
            )
        try:
            outcome = backup.back_up(
                archive, using=options["database"], media_root=options["media_root"]
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for name in outcome.missing_files:
            self.stderr.write(
                _("Warning: a row points to %(name)s, which is not in the media folder.")
                % {"name": name}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backed up %(tables)d tables (%(rows)d rows) and %(files)d files to "
                    "%(archive)s (%(size).1f MB)."
                )
                % {
                    "tables": outcome.tables,
                    "rows": outcome.rows,
                    "files": outcome.files,
                    "archive": archive,
                    "size": archive.stat().st_size / 1e6,
                }
            )
        )
