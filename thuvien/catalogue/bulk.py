"""Many rows at once, for the imports: a MARC file of 200,000 records writes millions of rows
(records, their search terms and ISBNs, copies, and the audit rows django-simple-history keeps).

Django's `bulk_create` builds a model instance and an SQL placeholder per value; here a table's
rows are plain tuples, written by `executemany` on SQLite and by `COPY` on PostgreSQL, with the
ids the import allocates itself (`new_ids`), so that dependent rows can be written in the same
pass. Values go through each field's own `get_db_prep_save` where the field converts (JSON,
dates): the database sees what the ORM would have written. Callers hold a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

_NOTHING = object()

# Fields whose Python value is what the database driver takes as it is.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


class Table:
    """The columns of `model` (every concrete one but those in `exclude`) and how to write them."""

    def __init__(self, model: type[models.Model], *, exclude: Iterable[str] = ()) -> None:
        skipped = set(exclude)
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.attname not in skipped]
        self.attnames = [f.attname for f in self.fields]
        self._prep: list[models.Field[Any, Any] | None] = [
            None if isinstance(f, _AS_IS) and not isinstance(f, models.JSONField) else f
            for f in self.fields
        ]

        # The last value each field converted, and what it became: rows of one import share
        # their dates, converted once.
        self._last: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(self.fields)
        self._defaults = [None if f.primary_key else f.get_default() for f in self.fields]

    def row(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """A row of Python values (in `attnames` order) as the database takes it."""
        out = list(values)
        for i, field in enumerate(self._prep):
            if field is None:
                continue
            value = out[i]
            last, converted = self._last[i]
            if value is last and not isinstance(value, dict | list):
                out[i] = converted
                continue
            if isinstance(field, models.JSONField):
                # As the field writes it on SQLite; PostgreSQL's COPY reads jsonb from the text.
                out[i] = None if value is None else json.dumps(value, cls=field.encoder)
                continue
            out[i] = field.get_db_prep_save(value, connection)
            self._last[i] = (value, out[i])
        return tuple(out)

    def row_from(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """A row from a dict of Python values by attname (missing ones: the field's default,
        or None)."""
        return self.row(
            [values.get(name, d) for name, d in zip(self.attnames, self._defaults, strict=True)]
        )

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 — names from the model

    def insert_plain(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """`insert` for rows of integers and of text without tab, new line nor backslash (the
        folded search terms): on PostgreSQL sent as COPY's text lines, built here at once
        rather than value by value."""
        if connection.vendor != "postgresql" or not rows:
            self.insert(rows)
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in self.fields)
        lines = "".join("\t".join(map(str, row)) + "\n" for row in rows)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            copy.write(lines.encode())


class HistoryTable:
    """The audit rows django-simple-history writes on a model's creation ("+"), for rows
    written by `Table`: the same values, the date, the user."""

    def __init__(self, model: type[models.Model]) -> None:
        historical = model.history.model  # type: ignore[attr-defined]
        self.table = Table(historical, exclude=("history_id",))
        own = {"history_date", "history_change_reason", "history_type", "history_user_id"}
        self.tracked = [name for name in self.table.attnames if name not in own]
        self.tail = [name for name in self.table.attnames if name in own]

        self.id_index = self.table.attnames.index("id")
        self._plans: dict[int, list[int | None]] = {}
        self._own: tuple[Any, Any, tuple[Any, ...]] | None = None

    def created_row(
        self, source: Table, row: tuple[Any, ...], *, user_id: int | None, now: Any
    ) -> tuple[Any, ...]:
        """`created`, from the row as `source` (the model's own table) converted it: the same
        values are not converted twice (the record's MARC fields are JSON of a kilobyte)."""
        plan = self._plans.get(id(source))
        if plan is None:
            at = {name: i for i, name in enumerate(source.attnames)}
            plan = self._plans[id(source)] = [
                None if name in self.tail else at[name] for name in self.table.attnames
            ]
        if self._own is None or self._own[:2] != (user_id, now):
            own = self.created({}, user_id=user_id, now=now)
            self._own = (user_id, now, own)
        own = self._own[2]
        return tuple(own[i] if j is None else row[j] for i, j in enumerate(plan))

    def created(self, values: dict[str, Any], *, user_id: int | None, now: Any) -> tuple[Any, ...]:
        """The audit row of a row just created (at `now`), from its values by attname."""
        return self.table.row_from(
            {
                **values,
                "history_date": now,
                "history_change_reason": None,
                "history_type": "+",
                "history_user_id": user_id,
            }
        )

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self.table.insert(rows)


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys of `model`, never given before, for rows written by `Table`.

    PostgreSQL: from the column's own sequence. SQLite: after the largest ever given (its
    AUTOINCREMENT counter, or the largest id), which no one else can take meanwhile — a writing
    transaction holds the database's write lock."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT max(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        counter = cursor.fetchone()
        start = max(largest, counter[0] if counter else 0) + 1
    return list(range(start, start + count))
