"""`manage.py restore_site ARCHIVE.tar`: into an empty database and an empty media folder, then
proven identical to the backup (see thuvien/core/backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thuvien.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup_site archive into an empty database and an empty media folder (both "
        "refused when not empty), then compare every table and file with the manifest and fail "
        "on any difference. Stop the web server and the worker first. By default into the "
        "configured database and MEDIA_ROOT; --database-url and --media-root restore elsewhere, "
        "e.g. to test a backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="An archive written by backup_site.")
        parser.add_argument(
            "--database-url",
            default="",
            help="The empty database to restore into (default: DATABASE_URL), e.g. "
            "postgresql://thuvien:…@127.0.0.1:5432/thuvien or sqlite:////srv/thuvien/var/x.sqlite3.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="The empty media folder (default MEDIA_ROOT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"]
        database = dict(dj_database_url.parse(url) if url else settings.DATABASES["default"])
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            outcome = backup.restore(options["archive"], database=database, media_root=media_root)
        except (backup.BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(tables)d tables (%(rows)d rows) and %(files)d files, and checked "
                    "them: every table and every file is identical to the backup. If this code is "
                    "newer than the backup, run manage.py migrate next."
                )
                % {"tables": outcome.tables, "rows": outcome.rows, "files": outcome.files}
            )
        )
