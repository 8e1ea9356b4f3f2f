"""Nothing lost: the demo province is backed up with `backup_site`, restored with `restore_site`
into another database (SQLite: another file; PostgreSQL: another database, made here and dropped
after) and another media folder, and every table, sequence and file is found identical. Then the
failure paths: a target that is not empty is refused, a changed archive is found out.

The province is seeded once for the module and committed (pg_dump reads committed data only);
the database is flushed after the module, as after any transactional test."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import translation

from thuvien.core import backup
from thuvien.core.backup import engines
from thuvien.core.backup.fingerprint import referenced_files

SCHOOLS = 8  # the smallest demo province: every stage of the demo, seeded in seconds


@dataclass(frozen=True)
class Site:
    tables: dict[str, Any]
    sequences: dict[str, Any]
    media: dict[str, Any]


@dataclass(frozen=True)
class RoundTrip:
    archive: Path
    manifest: dict[str, Any]
    source: Site
    restored: Site
    restored_database: dict[str, Any]
    referenced: set[str]
    make_database: Callable[[str], dict[str, Any]]
    base: Path


def _read(database: dict[str, Any], media: Path) -> Site:
    with backup.opened(database) as target:
        return Site(backup.database_fingerprint(target), backup.sequences(target), _media(media))


def _media(root: Path) -> dict[str, Any]:
    return backup.media_fingerprint(root)


def _url(database: dict[str, Any]) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    auth = quote(database["USER"] or "")
    if database.get("PASSWORD"):
        auth += ":" + quote(database["PASSWORD"])
    host = f"{database.get('HOST') or ''}:{database.get('PORT') or 5432}"
    return f"postgresql://{auth}@{host}/{database['NAME']}"


@pytest.fixture(scope="module")
def trip(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[RoundTrip]:
    base = tmp_path_factory.mktemp("backup")
    made: list[str] = []

    def make_database(label: str) -> dict[str, Any]:
        """An empty database beside the test database."""
        if connection.vendor == "sqlite":
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(base / f"{label}.sqlite3")}
        name = f"{connection.settings_dict['NAME']}_{label}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        made.append(name)
        return {**connection.settings_dict, "NAME": name}

    media, out = base / "media", io.StringIO()
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        try:
            call_command("seed_demo", schools=SCHOOLS, stdout=out)
            archive = base / "site.tar"
            call_command("backup_site", str(archive), stdout=out)
            source = Site(
                backup.database_fingerprint(connection), backup.sequences(connection), _media(media)
            )
            referenced = referenced_files(connection)
            target, restored_media = make_database("restored"), base / "restored-media"
            call_command(
                "restore_site",
                str(archive),
                database_url=_url(target),
                media_root=str(restored_media),
                stdout=out,
            )
            with tarfile.open(archive) as tar:
                manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
            yield RoundTrip(
                archive,
                manifest,
                source,
                _read(target, restored_media),
                target,
                referenced,
                make_database,
                base,
            )
        finally:
            call_command("flush", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                for name in made:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The messages are matched in English (Vietnamese is the default language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def unblocked(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield


def _tables(database: dict[str, Any]) -> list[str]:
    with backup.opened(database) as target, target.cursor() as cursor:
        return target.introspection.table_names(cursor)


def _rewrite(trip: RoundTrip, name: str, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with each member's content passed through `change`."""
    copy = trip.base / name
    with tarfile.open(trip.archive) as source, tarfile.open(copy, "w") as out:
        for member in source:
            stream = source.extractfile(member)
            data = change(member.name, stream.read() if stream else b"")
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return copy


def _flip_first_byte(wanted: str) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        return bytes([data[0] ^ 1]) + data[1:] if name == wanted else data

    return change


def _restore(trip: RoundTrip, archive: Path, database: dict[str, Any], media: Path) -> None:
    call_command(
        "restore_site",
        str(archive),
        database_url=_url(database),
        media_root=str(media),
        stdout=io.StringIO(),
    )


# --- The round trip ------------------------------------------------------------------------------


def test_every_table_comes_back_with_the_same_rows(trip: RoundTrip) -> None:
    tables = trip.source.tables
    assert len(tables) > 40
    for table in (
        "organisations_unit",
        "organisations_membership",
        "accounts_user",
        "training_enrolment",
        "training_studynote",
        "training_reportversion",
        "events_registration",
        "events_photo",
        "django_migrations",
    ):
        assert tables[table]["rows"] > 0, table
    assert trip.restored.tables == tables


def test_every_sequence_goes_on_where_it_was(trip: RoundTrip) -> None:
    numbered = {name: value for name, value in trip.source.sequences.items() if value}
    assert len(numbered) > 10
    assert trip.restored.sequences == trip.source.sequences


def test_every_uploaded_file_comes_back_identical(trip: RoundTrip) -> None:
    files = trip.source.media
    assert any(name.startswith("events/agreements/") for name in files)
    assert any(name.startswith("events/photos/") for name in files)
    assert any(name.startswith("training/unit-reports/") for name in files)
    assert trip.restored.media == files


def test_the_manifest_describes_the_source_and_every_file_its_rows_point_to(
    trip: RoundTrip,
) -> None:
    assert trip.manifest["tables"] == trip.source.tables
    assert trip.manifest["sequences"] == trip.source.sequences
    assert trip.manifest["media"] == trip.source.media
    assert trip.referenced and trip.referenced <= trip.manifest["media"].keys()
    assert trip.manifest["missing_files"] == []
    assert trip.manifest["database"]["vendor"] == connection.vendor


def test_verify_backup_reads_a_whole_archive(trip: RoundTrip) -> None:
    out = io.StringIO()
    call_command("verify_backup", str(trip.archive), stdout=out)
    assert f"{len(trip.source.media)} files" in out.getvalue()


@pytest.mark.postgresql
def test_the_dump_is_made_by_a_pg_dump_as_new_as_the_server(trip: RoundTrip) -> None:
    database = trip.manifest["database"]
    assert database["tool"].startswith("pg_dump (PostgreSQL)")
    assert engines._major(database["tool"]) >= engines._major(database["server_version"])
    assert database["member"] == "database/thuvien.dump"


@pytest.mark.postgresql
def test_a_client_older_than_the_server_is_refused_with_what_to_install(unblocked: None) -> None:
    with pytest.raises(backup.BackupError, match="postgresql-client-99"):
        engines._pg_tool_version("pg_dump", server_major=99)


# --- Refusals ----------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(trip: RoundTrip, unblocked: None) -> None:
    media = trip.base / "empty-media-1"
    with pytest.raises(CommandError, match="is not empty"):
        _restore(trip, trip.archive, trip.restored_database, media)
    assert _media(media) == {}
    assert _read(trip.restored_database, media).tables == trip.source.tables


def test_restore_refuses_a_media_folder_that_is_not_empty(trip: RoundTrip, unblocked: None) -> None:
    database, media = trip.make_database("media_not_empty"), trip.base / "full-media"
    (media / "kept").mkdir(parents=True)
    (media / "kept" / "note.txt").write_text("already here")
    with pytest.raises(CommandError, match=r"media folder .* is not empty"):
        _restore(trip, trip.archive, database, media)
    assert _tables(database) == []
    assert list(_media(media)) == ["kept/note.txt"]


def test_restore_refuses_a_backup_of_the_other_engine(trip: RoundTrip, unblocked: None) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = other
        return json.dumps(manifest).encode()

    archive = _rewrite(trip, "other-engine.tar", change)
    database = trip.make_database("other_engine")
    with pytest.raises(CommandError, match=f"backup of a {other} database"):
        _restore(trip, archive, database, trip.base / "empty-media-2")
    assert _tables(database) == []


def test_backup_refuses_to_overwrite_an_archive(trip: RoundTrip, unblocked: None) -> None:
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_site", str(trip.archive), stdout=io.StringIO())


def test_backup_refuses_to_run_inside_a_transaction(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="outside a transaction"):
        call_command("backup_site", str(tmp_path / "x.tar"), stdout=io.StringIO())
    assert not (tmp_path / "x.tar").exists()


# --- A changed archive is found out ------------------------------------------------------------


def test_a_changed_file_is_found_before_anything_is_restored(
    trip: RoundTrip, unblocked: None
) -> None:
    photo = next(name for name in trip.manifest["media"] if name.startswith("events/photos/"))
    archive = _rewrite(trip, "changed-photo.tar", _flip_first_byte(f"media/{photo}"))
    with pytest.raises(CommandError, match=f"media/{photo}: changed since the backup"):
        call_command("verify_backup", str(archive), stdout=io.StringIO())
    database, media = trip.make_database("changed_photo"), trip.base / "empty-media-3"
    with pytest.raises(CommandError, match=f"media/{photo}: changed since the backup"):
        _restore(trip, archive, database, media)
    assert _tables(database) == []
    assert _media(media) == {}


def test_a_changed_dump_is_found(trip: RoundTrip, unblocked: None) -> None:
    member = trip.manifest["database"]["member"]
    archive = _rewrite(trip, "changed-dump.tar", _flip_first_byte(member))
    with pytest.raises(CommandError, match=f"{member}: changed since the backup"):
        call_command("verify_backup", str(archive), stdout=io.StringIO())


def test_a_missing_or_extra_member_is_found(trip: RoundTrip, unblocked: None) -> None:
    photo = next(name for name in trip.manifest["media"] if name.startswith("events/photos/"))
    copy = trip.base / "missing-photo.tar"
    with tarfile.open(trip.archive) as source, tarfile.open(copy, "w") as out:
        for member in source:
            if member.name != f"media/{photo}":
                out.addfile(member, source.extractfile(member))
        extra = tarfile.TarInfo("media/../../etc/cron.d/x")
        extra.size = 1
        out.addfile(extra, io.BytesIO(b"x"))
    with pytest.raises(CommandError) as refused:
        call_command("verify_backup", str(copy), stdout=io.StringIO())
    assert f"media/{photo}: missing from the archive" in str(refused.value)
    assert "media/../../etc/cron.d/x: not in the manifest" in str(refused.value)


def test_a_restored_database_that_differs_from_the_manifest_fails(
    trip: RoundTrip, unblocked: None
) -> None:
    """As if the dump restored other data than the backup read: the manifest promises one more
    unit and another checksum of the users; the restore runs, compares, and fails naming both."""

    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["organisations_unit"]["rows"] += 1
        manifest["tables"]["accounts_user"]["sha256"] = "0" * 64
        return json.dumps(manifest).encode()

    archive = _rewrite(trip, "other-promise.tar", change)
    database, media = trip.make_database("other_promise"), trip.base / "empty-media-4"
    with pytest.raises(CommandError) as refused:
        _restore(trip, archive, database, media)
    message = str(refused.value)
    assert "differs from the backup" in message
    assert "table accounts_user: expected" in message
    assert "table organisations_unit: expected" in message
    assert "table training_enrolment" not in message


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path: Path, unblocked: None) -> None:
    archive = tmp_path / "photos.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("anh.jpg")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"jpg"))
    with pytest.raises(CommandError, match="not a ThuVien backup"):
        call_command("verify_backup", str(archive), stdout=io.StringIO())
