"""Back up a whole site (database and uploaded files together) and restore it, proven identical.

Domain-free: it reads every table through Django's introspection and every `FileField` through
the app registry, so a new app's tables and files are backed up without a line here.

- `back_up(archive)`: the database as of one instant (see `engines`), the media folder after it
  (a file uploaded meanwhile is extra, never missing: rows only point to files that existed at
  the snapshot), and the manifest (see `archive`), written to `<archive>.partial` and renamed
  when complete.
- `verify(archive)`: every member against the manifest, without restoring.
- `restore(archive, database=…, media_root=…)`: refuses a target database with any table or a
  media folder with any file, checks the archive first, restores, then reads the restored
  database and folder the way the backup read the source and fails on any difference.

`manage.py backup_site`, `restore_site` and `verify_backup` are the operator's three commands.
"""

from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.core.backup import archive, engines
from thuvien.core.backup.errors import BackupError
from thuvien.core.backup.fingerprint import (
    database_fingerprint,
    media_fingerprint,
    media_names,
    referenced_files,
    sequences,
)

__all__ = [
    "BackupError",
    "Outcome",
    "back_up",
    "database_fingerprint",
    "media_fingerprint",
    "opened",
    "restore",
    "sequences",
    "verify",
]
opened = engines.opened


@dataclass(frozen=True)
class Outcome:
    tables: int
    rows: int
    files: int
    bytes: int
    missing_files: list[str]  # rows point to them, the media folder had none (backup only)


def back_up(
    archive_path: Path, *, using: str = "default", media_root: Path | None = None
) -> Outcome:
    connection = connections[using]
    vendor = engines.vendor_of(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    archive_path = Path(archive_path)
    partial = archive_path.with_name(archive_path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="thuvien-backup-") as work:
        dump = Path(work) / "dump"
        with engines.snapshot(connection, dump) as snap:
            tables = database_fingerprint(snap.reader)
            positions = sequences(snap.reader)
            referenced = referenced_files(snap.reader)
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            member = engines.DUMP_MEMBER[vendor]
            dumped = archive.add_file(tar, dump, member)
            files = {
                name: archive.add_file(tar, media_root / name, archive.MEDIA + name)
                for name in media_names(media_root)
            }
            manifest = {
                "format": archive.FORMAT,
                "version": archive.VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {
                    "vendor": vendor,
                    "server_version": snap.server_version,
                    "tool": snap.tool,
                    "member": member,
                    **dumped,
                },
                "tables": tables,
                "sequences": positions,
                "media": files,
                "missing_files": sorted(referenced - files.keys()),
            }
            archive.add_manifest(tar, manifest)
    os.replace(partial, archive_path)
    return _outcome(manifest)


def verify(archive_path: Path) -> Outcome:
    """Check every member of the archive against its manifest; BackupError lists what differs."""
    with tarfile.open(archive_path) as tar:
        manifest = archive.read_manifest(tar)
        problems = archive.check_members(tar, manifest)
    if problems:
        raise BackupError(_damaged(archive_path, problems))
    return _outcome(manifest)


def restore(archive_path: Path, *, database: dict[str, Any], media_root: Path) -> Outcome:
    """Restore into an empty database and an empty media folder, then prove it identical."""
    with tarfile.open(archive_path) as tar:
        manifest = archive.read_manifest(tar)
        vendor = engines.vendor_of(database)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                _(
                    "This is a backup of a %(theirs)s database; it restores into %(theirs)s only, "
                    "not into %(ours)s."
                )
                % {"theirs": manifest["database"]["vendor"], "ours": vendor}
            )
        engines.ensure_empty(database)
        _ensure_empty_folder(media_root)
        problems = archive.check_members(tar, manifest)
        if problems:
            raise BackupError(_damaged(archive_path, problems) + "\n" + _("Nothing was restored."))
        with tempfile.TemporaryDirectory(prefix="thuvien-restore-") as work:
            dump = Path(work) / "dump"
            archive.extract_to(tar, manifest["database"]["member"], dump)
            engines.restore_dump(database, dump, manifest)
        for name in manifest["media"]:
            archive.extract_to(tar, archive.MEDIA + name, media_root / name)
    differences = compare(manifest, database=database, media_root=media_root)
    if differences:
        raise BackupError(
            _("The restored site differs from the backup; do not use it:\n%(list)s")
            % {"list": "\n".join(differences)}
        )
    return _outcome(manifest)


def compare(manifest: dict[str, Any], *, database: dict[str, Any], media_root: Path) -> list[str]:
    """What differs between the manifest and a database and media folder, one line each."""
    with engines.opened(database) as target:
        tables, positions = database_fingerprint(target), sequences(target)
    return [
        *_differences(manifest["tables"], tables, _("table")),
        *_differences(manifest["sequences"], positions, _("sequence")),
        *_differences(manifest["media"], media_fingerprint(media_root), _("file")),
    ]


def _differences(expected: dict[str, Any], found: dict[str, Any], kind: str) -> list[str]:
    lines = []
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            lines.append(_("%(kind)s %(name)s: missing") % {"kind": kind, "name": name})
        elif name not in expected:
            lines.append(_("%(kind)s %(name)s: not in the backup") % {"kind": kind, "name": name})
        elif found[name] != expected[name]:
            lines.append(
                _("%(kind)s %(name)s: expected %(expected)s, found %(found)s")
                % {
                    "kind": kind,
                    "name": name,
                    "expected": _brief(expected[name]),
                    "found": _brief(found[name]),
                }
            )
    return lines


def _brief(value: Any) -> str:
    if isinstance(value, dict):
        count = value.get("rows", value.get("size"))
        return f"{count}, {str(value.get('sha256', ''))[:12]}"
    return str(value)


def _ensure_empty_folder(root: Path) -> None:
    present = media_names(root)
    if present:
        raise BackupError(
            _(
                "The media folder %(folder)s is not empty (%(count)d files). Restore only into an "
                "empty folder: move these files away or choose another folder."
            )
            % {"folder": root, "count": len(present)}
        )


def _damaged(archive_path: Path, problems: list[str]) -> str:
    return _("The archive %(archive)s is damaged or was changed:\n%(list)s") % {
        "archive": archive_path,
        "list": "\n".join(problems),
    }


def _outcome(manifest: dict[str, Any]) -> Outcome:
    return Outcome(
        tables=len(manifest["tables"]),
        rows=sum(table["rows"] for table in manifest["tables"].values()),
        files=len(manifest["media"]),
        bytes=sum(f["size"] for f in manifest["media"].values()) + manifest["database"]["size"],
        missing_files=list(manifest.get("missing_files", [])),
    )
