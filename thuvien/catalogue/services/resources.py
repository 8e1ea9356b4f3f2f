"""Digital resources (tài nguyên số) a school attaches to a record: a file (PDF, EPUB, audio)
told by its content, or a link to a video or a recording; shown to the school or to everyone;
added only once the school confirms it may share it (TT 16, Điều 5: copyright)."""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import IO, Any
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from thuvien.catalogue.models import DigitalResource, Record, ResourceKind, Visibility
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.core import uploads
from thuvien.organisations.models import Unit

MAX_FILE_BYTES = 100 * 1024 * 1024
FILE_KINDS = {ResourceKind.PDF, ResourceKind.EPUB, ResourceKind.AUDIO}
LINK_KINDS = {ResourceKind.VIDEO, ResourceKind.LINK, ResourceKind.AUDIO}
EPUB_MIMETYPE = b"application/epub+zip"


def _epub(stream: IO[bytes]) -> bool:
    """An EPUB (OCF 3.0): a zip whose first entry is the stored `mimetype` and a container."""
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            if not entries or entries[0].filename != "mimetype":
                return False
            if sum(info.file_size for info in entries) > uploads.MAX_UNZIPPED_BYTES:
                return False
            names = {info.filename for info in entries}
            return (
                package.read("mimetype").strip() == EPUB_MIMETYPE
                and "META-INF/container.xml" in names
            )
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return False


def _audio(head: bytes) -> str | None:
    """The extension of an audio file by its first bytes: MP3, M4A/AAC, Ogg, WAV, FLAC."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp" and head[8:11] in {b"M4A", b"M4B"}:
        return "m4a"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    return None


def file_extension(upload: UploadedFile[bytes] | IO[bytes], kind: str) -> str:
    """The extension of the uploaded file's real kind, if it is `kind`; else CatalogueError."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise CatalogueError(_("The file is empty."))
    if size > MAX_FILE_BYTES:
        raise CatalogueError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)}
        )
    stream: IO[bytes] = getattr(upload, "file", None) or upload
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    found = None
    if kind == ResourceKind.PDF and uploads.sniff(stream) == uploads.PDF:
        found = "pdf"
    elif kind == ResourceKind.EPUB and head.startswith(b"PK\x03\x04") and _epub(stream):
        found = "epub"
    elif kind == ResourceKind.AUDIO:
        found = _audio(head)
    stream.seek(0)
    if found is None:
        labels = {
            ResourceKind.PDF: _("a readable PDF"),
            ResourceKind.EPUB: _("an EPUB e-book"),
            ResourceKind.AUDIO: _("an audio file (MP3, M4A, Ogg, WAV or FLAC)"),
        }
        raise CatalogueError(
            _("This file is not %(kind)s. Choose the right kind, or save the file as one.")
            % {"kind": labels.get(ResourceKind(kind), kind)}
        )
    return found


def _check_link(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise CatalogueError(_("Enter the link starting with http:// or https://."))
    return url


@transaction.atomic
def add_resource(
    record: Record,
    *,
    school: Unit,
    by: Any,
    kind: str,
    visibility: str,
    rights_confirmed: bool,
    upload: UploadedFile[bytes] | None = None,
    url: str = "",
) -> DigitalResource:
    """Attach a file or a link to a record for the school."""
    if not school.is_school:
        raise CatalogueError(_("Digital resources are added by a school's library staff."))
    if record.deleted_at is not None:
        raise CatalogueError(_("This record was merged or deleted; add copies to the record kept."))
    if not rights_confirmed:
        raise CatalogueError(
            _(
                "Confirm that the school may share this resource (copyright, TT 16/2022): a "
                "resource is added only then."
            )
        )
    if kind not in ResourceKind.values:
        raise CatalogueError(_("Choose the kind of resource from the list."))
    if visibility not in Visibility.values:
        raise CatalogueError(_("Choose who may see the resource."))
    if (upload is None) == (not url.strip()):
        raise CatalogueError(_("Give either a file or a link, not both."))
    resource = DigitalResource(
        school=school,
        record=record,
        kind=kind,
        visibility=visibility,
        rights_confirmed=True,
        added_by=by,
    )
    if upload is not None:
        if kind not in FILE_KINDS:
            raise CatalogueError(_("A video or a web page is given as a link, not a file."))
        extension = file_extension(upload, kind)
        stem = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        resource.file_name = f"{(stem.strip() or 'tai-nguyen')[:120]}.{extension}"
        resource.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    else:
        if kind not in LINK_KINDS:
            raise CatalogueError(_("A PDF or an EPUB e-book is uploaded as a file."))
        resource.url = _check_link(url)
    resource.save()
    return resource


@transaction.atomic
def remove_resource(resource: DigitalResource) -> None:
    """Take a resource off its record (its file too)."""
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()
