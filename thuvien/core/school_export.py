"""A school's own data in open formats, for a school that leaves the province or moves to another
installation: one ZIP of XLSX workbooks, PDFs and the files its people uploaded, with a README
and a manifest (every file's size, SHA-256 and what it holds).

Domain-free, like `core.history`: each app that keeps a school's data registers a provider in
its `AppConfig.ready()` (`register(provider)`); `export_school(school, out)` calls them all. A
provider adds files to the `SchoolExport` it is given: `add_workbook` (rows of text, numbers
and dates; text always stored as text, never as a formula), `add_stored` (a file from storage,
noted as missing rather than failing when it is gone) or `add` (bytes it made, such as a PDF).
It adds only what belongs to the school: its rows filtered by the school, never by a scope. The
library pillars add their MARC records and registers the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from thuvien.core.cells import append_row, new_workbook, workbook_bytes
from thuvien.core.folding import fold

Cell = str | int | Decimal | float | dt.date | dt.datetime | bool | None


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters
    header: Sequence[str | Promise]
    rows: Iterable[Sequence[Cell]]


@dataclass(frozen=True)
class ExportedFile:
    path: str
    size: int
    sha256: str
    description: str


@dataclass
class SchoolExport:
    """The ZIP being written; providers add to it."""

    school: Any
    archive: zipfile.ZipFile
    files: list[ExportedFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # stored files rows point to, not found

    def add(self, path: str, content: bytes, description: str) -> str:
        """Store `content` at `path` (made unique if taken); returns the path used."""
        path = self._unique(path)
        self.archive.writestr(path, content)
        digest = hashlib.sha256(content).hexdigest()
        self.files.append(ExportedFile(path, len(content), digest, description))
        return path

    def add_stored(self, path: str, stored: Any, description: str) -> str:
        """Copy a stored file (a `FieldFile`); "" when it is missing from storage."""
        try:
            with stored.open("rb") as stream:
                content = stream.read()
        except (FileNotFoundError, OSError, ValueError):
            self.missing.append(str(stored.name))
            return ""
        return self.add(path, content, description)

    def add_workbook(self, path: str, sheets: Sequence[Sheet], description: str) -> str:
        return self.add(path, workbook(sheets), description)

    def _unique(self, path: str) -> str:
        taken = {f.path for f in self.files}
        stem, dot, ext = path.rpartition(".")
        candidate, n = path, 1
        while candidate in taken or candidate in (README, MANIFEST):
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}" if dot else f"{path}-{n}"
        return candidate


# The school → files added to the export.
Provider = Callable[[Any, SchoolExport], None]
_PROVIDERS: list[Provider] = []
README, MANIFEST = "README.txt", "manifest.json"


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def export_school(school: Any, out: IO[bytes]) -> SchoolExport:
    """Write the school's ZIP to `out`: every provider's files, then the README and manifest."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        export = SchoolExport(school, archive)
        for provider in _PROVIDERS:
            provider(school, export)
        now = timezone.localtime()
        manifest = {
            "school": {"id": school.pk, "name": school.name, "code": school.code or ""},
            "exported_at": now.isoformat(),
            "files": [asdict(f) for f in export.files],
            "missing": export.missing,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
        archive.writestr(MANIFEST, text)
        archive.writestr(README, _readme(export, now))
    return export


def file_name(*parts: Any) -> str:
    """A portable file name from names and numbers ("Nguyễn Thị Hoa", 12 → "nguyen-thi-hoa-12")."""
    return "-".join(slugify(fold(str(part))) for part in parts if str(part)) or "file"


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX with one sheet each: a bold header row, then the rows, every cell through
    `core.cells` (text stays text, numbers and dates keep their types)."""
    book = new_workbook()
    for sheet in sheets:
        page = book.create_sheet(sheet.name[:31])
        for cell in append_row(page, sheet.header):
            cell.font = Font(bold=True)
        widths = [len(str(title)) for title in sheet.header]
        for row in sheet.rows:
            append_row(page, row)
            widths = [max(width, _width(value)) for width, value in zip(widths, row, strict=False)]
        for index, width in enumerate(widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(10, width + 2)
        page.freeze_panes = "A2"
    return workbook_bytes(book)


def _width(value: Cell) -> int:
    return min(len(value), 60) if isinstance(value, str) else 0


def _readme(export: SchoolExport, now: dt.datetime) -> str:
    school = export.school
    lines = [
        _("Data of %(school)s (Ministry code %(code)s), exported on %(date)s.")
        % {"school": school.name, "code": school.code or "—", "date": f"{now:%d/%m/%Y %H:%M}"},
        _(
            "Spreadsheets are XLSX (open with LibreOffice, Excel or any spreadsheet program), "
            "documents are PDF; uploaded files keep their own format. manifest.json lists every "
            "file with its size and SHA-256."
        ),
        "",
    ]
    lines += [f"{f.path}\n    {f.description}" for f in export.files]
    if export.missing:
        lines += ["", _("Files the records point to that were missing from storage:")]
        lines += [f"    {name}" for name in export.missing]
    return "\n".join(lines) + "\n"
