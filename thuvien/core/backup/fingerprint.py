"""What a backup promises: every table's row count and a checksum of its rows, every sequence's
position, and every uploaded file's size and SHA-256.

Computed the same way on the site that was backed up and on the one restored from it, through a
Django connection (any `DatabaseWrapper`, so also one opened on a database that is not in the
settings): each table's rows are read in primary-key order through a cursor and each row's values
are written as one canonical line of JSON, hashed in turn. Text keys are ordered by bytes
(`COLLATE "C"` on PostgreSQL), so a restore into a database with another collation gives the
same order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

FETCH = 2000
CHUNK = 1 << 20
# psycopg's type codes (OIDs) of text: text, varchar, char, name.
_PG_TEXT_TYPES = {25, 1043, 1042, 19}


def database_fingerprint(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """table → {"rows": n, "sha256": hex, "columns": [names]}, for every table of the database
    (Django's own and those of every app), views left out; rows are read in batches (through a
    server-side cursor on PostgreSQL), never all at once."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        shapes = {table: _shape(connection, cursor, table) for table in tables}
    return {table: _table_sum(connection, table, *shapes[table]) for table in tables}


def sequences(connection: BaseDatabaseWrapper) -> dict[str, int | None]:
    """Where each id sequence stands, so that a restored site goes on numbering after its rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() ORDER BY sequencename"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone() is None:
                return {}
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        else:
            return {}
        return {str(name): None if value is None else int(value) for name, value in cursor}


def media_fingerprint(root: Path) -> dict[str, dict[str, Any]]:
    """relative path (with "/") → {"size", "sha256"} of every regular file under `root`."""
    return {name: file_sum(root / name) for name in media_names(root)}


def media_names(root: Path) -> list[str]:
    """The relative paths of every regular file under `root` (links are not followed)."""
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def file_sum(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def referenced_files(connection: BaseDatabaseWrapper) -> set[str]:
    """Every file name a row points to, from every `FileField` of every installed model (read with
    plain SQL, so any connection will do)."""
    names: set[str] = set()
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            if table not in existing:
                continue
            for field in fields:
                column = connection.ops.quote_name(str(field.column))
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"SELECT {column} FROM {quoted} WHERE {column} <> ''")  # noqa: S608
                names.update(str(name) for (name,) in cursor.fetchall() if name)
    return names


def _shape(connection: BaseDatabaseWrapper, cursor: Any, table: str) -> tuple[list[str], list[str]]:
    """The table's columns, and the ORDER BY terms that read its rows in primary-key order."""
    description = connection.introspection.get_table_description(cursor, table)
    columns = [column.name for column in description]
    keys = connection.introspection.get_primary_key_columns(cursor, table) or columns
    types = {column.name: column.type_code for column in description}
    quote = connection.ops.quote_name
    text_key = connection.vendor == "postgresql"
    order = [
        f'{quote(key)} COLLATE "C"' if text_key and types.get(key) in _PG_TEXT_TYPES else quote(key)
        for key in keys
    ]
    return columns, order


def _table_sum(
    connection: BaseDatabaseWrapper, table: str, columns: list[str], order: list[str]
) -> dict[str, Any]:
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608
        f"ORDER BY {', '.join(order)}"
    )
    digest = hashlib.sha256()
    rows = 0
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(FETCH):
            for row in batch:
                digest.update(canonical_row(row))
            rows += len(batch)
    finally:
        cursor.close()
    return {"rows": rows, "sha256": digest.hexdigest(), "columns": columns}


def canonical_row(row: tuple[Any, ...]) -> bytes:
    """One row as one line of JSON: the same values give the same bytes on every run."""
    text = json.dumps(
        [_canonical(value) for value in row], ensure_ascii=False, separators=(",", ":")
    )
    return text.encode() + b"\n"


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal | uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)
