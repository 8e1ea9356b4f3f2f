"""Uploaded files are told by their content, never by their name or the browser's word.

Domain-free: a caller says which kinds it accepts and how large a file may be; `check_upload`
answers the kind it found or raises `UploadError` with a message a person can act on ("Tệp này
không phải PDF hay DOCX…"). A PDF must open, an image must decode, an Office file must be the
zip package its kind says (and not a zip bomb); a renamed PNG is refused whatever its extension.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF, DOCX, XLSX, PPTX, PNG, JPEG, WEBP = "pdf", "docx", "xlsx", "pptx", "png", "jpeg", "webp"
DOCUMENTS = frozenset({PDF, DOCX})
OFFICE_AND_PDF = frozenset({PDF, DOCX, XLSX, PPTX})
IMAGES = frozenset({PNG, JPEG, WEBP})

LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)", PPTX: "PowerPoint (PPTX)",
          PNG: "PNG", JPEG: "JPEG", WEBP: "WebP"}  # fmt: skip
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    PNG: "image/png",
    JPEG: "image/jpeg",
    WEBP: "image/webp",
}
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx", PNG: "png", JPEG: "jpg",
              WEBP: "webp"}  # fmt: skip
# The part every package of the kind has (ECMA-376 main parts).
_OFFICE_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", PPTX: "ppt/presentation.xml"}
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000


class UploadError(ValueError):
    """The file is not one of the accepted kinds, is damaged or too large."""


def _office_kind(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
            if sum(info.file_size for info in package.infolist()) > MAX_UNZIPPED_BYTES:
                return None
            if "[Content_Types].xml" not in names:
                return None
            return next((kind for kind, part in _OFFICE_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _pdf_opens(stream: IO[bytes]) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(stream).pages) > 0
    except (PyPdfError, OSError, ValueError, KeyError, TypeError):
        return False


def _image_kind(stream: IO[bytes]) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(stream) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return None
            image.verify()
            found = (image.format or "").lower()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return found if found in IMAGES else None


def sniff(stream: IO[bytes]) -> str | None:
    """The kind of the file by its content (one of the constants above), or None."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF if _pdf_opens(stream) else None
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(stream)
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff")) or head[8:12] == b"WEBP":
        kind = _image_kind(stream)
    stream.seek(0)
    return kind


def check_upload(
    upload: UploadedFile[bytes] | IO[bytes], *, kinds: Collection[str], max_bytes: int
) -> str:
    """The file's kind if it is one of `kinds` and at most `max_bytes`; else `UploadError`."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise UploadError(_("The file is empty."))
    if size > max_bytes:
        raise UploadError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    stream = upload.file if isinstance(upload, UploadedFile) else upload
    kind = sniff(stream) if stream is not None else None
    if kind is None or kind not in kinds:
        raise UploadError(
            _("This file is not a readable %(kinds)s file. Save it as one of these and retry.")
            % {"kinds": " / ".join(LABELS[k] for k in sorted(kinds, key=list(LABELS).index))}
        )
    return kind


def safe_filename(name: str, kind: str) -> str:
    """The uploaded name without folders, with the extension of its real kind."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip() or "tep"
    return f"{stem[:120]}.{EXTENSIONS[kind]}"
