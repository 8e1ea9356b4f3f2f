"""The backup archive: one plain tar file anyone can open (`tar -tf`), holding

    database/thuvien.dump      PostgreSQL: pg_dump's custom format   (or database/thuvien.sqlite3)
    media/<path>               every uploaded file, as under MEDIA_ROOT
    manifest.json              what the backup promises (below), written last

The manifest: the format and its version, when, the database's engine, server and tool versions,
the dump's size and SHA-256; per table its columns, row count and row checksum; each sequence's
position; per media file its size and SHA-256; and the files rows point to that were not found
in the media folder when the backup was taken.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from thuvien.core.backup.errors import BackupError
from thuvien.core.backup.fingerprint import CHUNK

FORMAT, VERSION = "thuvien-backup", 1
MANIFEST = "manifest.json"
MEDIA = "media/"


class _Hashing(io.RawIOBase):
    """A file read through once, hashed on the way (what is stored is what is hashed)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    """Store the file at `path` as `name`; its size and SHA-256 as stored."""
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as stream:
        hashing = _Hashing(stream)
        tar.addfile(info, hashing)
    return {"size": hashing.size, "sha256": hashing.digest.hexdigest()}


def add_manifest(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size, info.mode = len(data), 0o644
    tar.addfile(info, io.BytesIO(data))


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        stream = tar.extractfile(member)
        manifest = json.load(stream) if stream is not None else None
    except (KeyError, ValueError) as error:
        raise BackupError(
            _("%(archive)s is not a ThuVien backup: it has no readable manifest.json.")
            % {"archive": tar.name}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(archive)s is not a ThuVien backup.") % {"archive": tar.name})
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("This backup has format version %(found)s; this ThuVien reads version %(ours)d.")
            % {"found": manifest.get("version"), "ours": VERSION}
        )
    return manifest


def check_members(tar: tarfile.TarFile, manifest: dict[str, Any]) -> list[str]:
    """Every member read and checked against the manifest: the dump and each file by size and
    SHA-256, nothing missing, nothing extra, nothing but regular files at safe paths."""
    problems: list[str] = []
    expected = {MEDIA + name: promise for name, promise in manifest["media"].items()}
    expected[manifest["database"]["member"]] = {
        "size": manifest["database"]["size"],
        "sha256": manifest["database"]["sha256"],
    }
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        promise = expected.get(member.name)
        if promise is None or not member.isfile() or not safe_name(member.name):
            problems.append(_("%(name)s: not in the manifest.") % {"name": member.name})
            continue
        seen.add(member.name)
        found = _member_sum(tar, member)
        if found != promise:
            problems.append(
                _("%(name)s: changed since the backup (%(size)d bytes, SHA-256 %(sha)s).")
                % {"name": member.name, "size": found["size"], "sha": found["sha256"][:12]}
            )
    problems += [
        _("%(name)s: missing from the archive.") % {"name": name}
        for name in sorted(expected.keys() - seen)
    ]
    return problems


def safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


def extract_to(tar: tarfile.TarFile, name: str, target: Path) -> None:
    """Copy one (already checked) member to `target`, by content only: no links, no owners."""
    stream = tar.extractfile(name)
    if stream is None:
        raise BackupError(_("%(name)s: missing from the archive.") % {"name": name})
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        shutil.copyfileobj(stream, out, CHUNK)


def _member_sum(tar: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, Any]:
    stream = tar.extractfile(member)
    digest, size = hashlib.sha256(), 0
    if stream is not None:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}
