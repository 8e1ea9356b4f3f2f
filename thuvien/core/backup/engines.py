"""The database side of a backup, one pair of functions per engine.

PostgreSQL: `pg_dump --format=custom` run on a snapshot exported by the Django connection's own
REPEATABLE READ transaction, so the dump and the manifest's checksums (read in that transaction)
describe the very same data while the site keeps running; `pg_restore` into an empty database,
in one transaction. The client tools must be at least as new as the server (`pg_dump` refuses an
older client) and `pg_restore` at least as new as the `pg_dump` that wrote the archive.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the whole file in one step, a
consistent snapshot even while the web server and the worker write; restoring copies it the same
way into an empty (or missing) database file.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from thuvien.core.backup.errors import BackupError

_aliases = itertools.count(1)
DUMP_MEMBER = {"postgresql": "database/thuvien.dump", "sqlite": "database/thuvien.sqlite3"}
# What libpq reads from the environment, so that no password is ever on a command line.
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


@contextmanager
def opened(settings_dict: dict[str, Any]) -> Iterator[Any]:
    """A Django connection to any database described as in `DATABASES` (not necessarily one of
    the settings'), so the same fingerprint code reads the source and the restored copy. It is
    registered under a passing alias while open (Django's backends look themselves up by it)."""
    alias = f"thuvien_backup_{next(_aliases)}"
    # Django fills in the defaults of a settings entry only for a set that has a "default".
    connections.settings[alias] = connections.configure_settings({"default": dict(settings_dict)})[
        "default"
    ]
    try:
        connection = connections[alias]
        try:
            yield connection
        finally:
            connection.close()
            del connections[alias]
    finally:
        del connections.settings[alias]


def vendor_of(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(
        _("Backups support PostgreSQL and SQLite only, not %(engine)s.") % {"engine": engine}
    )


@dataclass(frozen=True)
class Snapshot:
    reader: Any  # the connection whose reads describe exactly the dumped data
    server_version: str
    tool: str


@contextmanager
def snapshot(connection: BaseDatabaseWrapper, dump_file: Path) -> Iterator[Snapshot]:
    """Dump the database to `dump_file`; inside the `with`, `reader` sees exactly the dumped data
    (PostgreSQL: the snapshot's transaction; SQLite: the copy itself)."""
    if connection.in_atomic_block:
        raise BackupError(_("A backup must run outside a transaction (it reads committed data)."))
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(
                "SELECT pg_export_snapshot(), version(), current_setting('server_version_num')"
            )
            snapshot_id, server_version, number = cursor.fetchone()
            tool = _pg_tool_version("pg_dump", server_major=int(number) // 10000)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--no-password",
                    f"--file={dump_file}",
                    connection.settings_dict["NAME"],
                ],
                _pg_environment(connection.settings_dict),
            )
            yield Snapshot(connection, server_version, tool)
        return
    connection.ensure_connection()
    target = sqlite3.connect(dump_file)
    try:
        connection.connection.backup(target)  # one step: the whole file, consistent
    finally:
        target.close()
    with opened({"ENGINE": "django.db.backends.sqlite3", "NAME": str(dump_file)}) as copy:
        yield Snapshot(copy, f"SQLite {sqlite3.sqlite_version}", "sqlite3 backup API")


def ensure_empty(settings_dict: dict[str, Any]) -> None:
    """Refuse to restore over data: the target must have no table at all."""
    vendor = vendor_of(settings_dict)
    name = str(settings_dict["NAME"])
    if vendor == "sqlite":
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError(_("Restore into a database file, not an in-memory SQLite database."))
        if not Path(name).exists() or Path(name).stat().st_size == 0:
            return
    try:
        with opened(settings_dict) as target, target.cursor() as cursor:
            tables = target.introspection.table_names(cursor)
    except DatabaseError as error:
        raise BackupError(
            _("Cannot open the target database %(name)s: %(error)s. Create it empty first.")
            % {"name": name, "error": error}
        ) from error
    if tables:
        raise BackupError(
            _(
                "The target database %(name)s is not empty (%(count)d tables). Restore only into "
                "an empty database: create a new one, or drop this one and create it again."
            )
            % {"name": name, "count": len(tables)}
        )


def restore_dump(settings_dict: dict[str, Any], dump_file: Path, manifest: dict[str, Any]) -> None:
    if vendor_of(settings_dict) == "postgresql":
        written_by = _major(manifest["database"]["tool"])
        _pg_tool_version("pg_restore", server_major=written_by)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={settings_dict['NAME']}",
                str(dump_file),
            ],
            _pg_environment(settings_dict),
        )
        return
    target = Path(settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source, copy = sqlite3.connect(dump_file), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in _PG_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def _pg_tool_version(tool: str, *, server_major: int) -> str:
    """The tool's version line, refused when it is older than `server_major`."""
    if shutil.which(tool) is None:
        raise BackupError(
            _("%(tool)s is not installed: apt-get install postgresql-client-%(major)d.")
            % {"tool": tool, "major": server_major}
        )
    line = subprocess.run(  # noqa: S603
        [tool, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if _major(line) < server_major:
        raise BackupError(
            _(
                "%(line)s is older than PostgreSQL %(major)d, which it must read or write: "
                "install postgresql-client-%(major)d (or newer) and put it first on the PATH."
            )
            % {"line": line, "major": server_major}
        )
    return line


def _major(version_line: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_line)
    return int(found.group(1)) if found else 0


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit %(code)d): %(error)s")
            % {"tool": command[0], "code": done.returncode, "error": done.stderr.strip()}
        )
