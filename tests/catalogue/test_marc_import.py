"""Importing MARC21 into a school: records created or matched, holdings as the school's copies,
all or nothing, every sample file dry-run with exact counts, and the import speed."""

from __future__ import annotations

import pymarc
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.catalogue.marc_fixtures import marc8_file, record, vietnamese_file
from tests.catalogue.test_marc_reader import EXPECTED, SAMPLES
from thuvien.catalogue.marc.importer import import_marc
from thuvien.catalogue.models import Copy, Record, RecordIsbn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_files_dry_run(world, name):
    before = Record.objects.count()
    report = import_marc((SAMPLES / name).read_bytes(), school=world.school, by=None, dry_run=True)
    accepted, refused = EXPECTED[name]
    assert report.total == accepted + refused
    assert len(report.rejected) == refused
    assert report.created + report.matched == accepted
    assert not report.written and Record.objects.count() == before


def test_jazz_file_imported_for_real_then_again(world):
    content = (SAMPLES / "evergreen/jazz_1k.mrc").read_bytes()
    before = Record.objects.count()
    audited = Record.history.filter(history_type="+", history_user=world.librarian).count()
    first = import_marc(content, school=world.school, by=world.librarian)
    assert first.written and first.created + first.matched == 1000 and not first.rejected
    # Within-file duplicates collapse: as many new rows as the report says were created.
    assert Record.objects.count() == before + first.created
    assert Record.history.filter(history_type="+", history_user=world.librarian).count() == (
        audited + first.created
    )
    again = import_marc(content, school=world.school, by=world.librarian)
    assert again.created == 0 and again.matched == 1000 and again.copies_created == 0


def test_vietnamese_file_creates_records_and_copies(world):
    report = import_marc(vietnamese_file(), school=world.school, by=world.librarian)
    assert (report.created, report.matched, report.copies_created) == (4, 0, 2)
    assert not report.rejected
    titles = set(Record.objects.filter(author="Nguyễn Nhật Ánh").values_list("title", flat=True))
    assert titles >= {"Mắt biếc", "Đảo mộng mơ", "Tôi thấy hoa vàng trên cỏ xanh"}
    nfd = Record.objects.get(title="Đảo mộng mơ")
    assert nfd.subtitle == "truyện dài" and nfd.edition == "Tái bản lần thứ 5"
    assert nfd.year == 2024 and nfd.publisher == "Trẻ" and nfd.place == "TP. Hồ Chí Minh"
    assert nfd.subjects == ["Văn học thiếu nhi -- Truyện dài"]
    assert RecordIsbn.objects.filter(record=nfd, isbn13="9786041000025").exists()
    copies = Copy.objects.filter(school=world.school, barcode__in=["VN0001", "VN0002"])
    assert {c.barcode: c.price_vnd for c in copies} == {"VN0001": 85000, "VN0002": None}
    assert copies.get(barcode="VN0002").location == "Kho mở"
    again = import_marc(vietnamese_file(), school=world.school, by=world.librarian)
    assert (again.created, again.matched, again.copies_created) == (0, 4, 0)


def test_marc8_record(world):
    report = import_marc(marc8_file(), school=world.school, by=world.librarian)
    assert report.created == 1
    assert Record.objects.get(title="Vietnamese grammar").subtitle == "a primer"


def bad(title: str, **kw) -> bytes:
    return record(title, **kw).as_marc()


def test_one_bad_record_writes_nothing(world):
    before = (Record.objects.count(), Copy.objects.count())
    good = vietnamese_file()
    truncated = good + bad("Hoa hồng xứ khác")[:-30]
    report = import_marc(truncated, school=world.school, by=world.librarian)
    assert report.rejected == [(5, report.rejected[0][1])] and "cut off" in report.rejected[0][1]
    assert not report.written and (Record.objects.count(), Copy.objects.count()) == before
    with translation.override("vi"):
        report = import_marc(truncated, school=world.school, by=world.librarian)
    assert report.rejected[0][1]
    valid = import_marc(truncated, school=world.school, by=world.librarian, valid_only=True)
    assert valid.written and valid.created == 4 and len(valid.rejected) == 1


def test_lying_leaders_and_invalid_isbn(world):
    before = Record.objects.count()
    lying_length = b"09999" + bad("Bàn có năm chỗ ngồi")[5:]
    latin1 = bad("Cafe").replace(b"Cafe", "Café".encode("latin-1"))
    latin1 = f"{len(latin1):05d}".encode() + latin1[5:]
    report = import_marc(lying_length + latin1, school=world.school, by=None)
    assert [p for p, _r in report.rejected] == [1, 2]
    assert "9999" in report.rejected[0][1] and "UTF-8" in report.rejected[1][1]
    assert Record.objects.count() == before
    isbn = import_marc(bad("Kính vạn hoa", isbn="978-604-1-00001-9"), school=world.school, by=None)
    assert isbn.written and isbn.created == 1
    assert "978-604-1-00001-9" in isbn.warnings[0][1]
    assert not RecordIsbn.objects.filter(record__title="Kính vạn hoa").exists()


def test_commands(world, tmp_path, capsys):
    path = tmp_path / "a.mrc"
    path.write_bytes(vietnamese_file())
    call_command("import_marc", str(path), "--school", world.school.code, "--dry-run")
    assert "4 records read" in capsys.readouterr().out
    assert not Record.objects.filter(title="Mắt biếc").exists()
    call_command("import_marc", str(path), "--school", world.school.code)
    assert Record.objects.filter(title="Mắt biếc").exists()
    path.write_bytes(vietnamese_file() + b"00010")
    with pytest.raises(CommandError):
        call_command("import_marc", str(path), "--school", world.school.code)
    out = tmp_path / "out.xml"
    call_command("export_marc", str(out), "--school", world.school.code, "--format", "marcxml")
    assert len(pymarc.parse_xml_to_array(str(out))) >= 1  # the records with copies


def _held(title: str, barcode: str = "") -> pymarc.Record:
    marc = record(title)
    subfields = [pymarc.Subfield("c", "KHO")]
    if barcode:
        subfields.insert(0, pymarc.Subfield("p", barcode))
    marc.add_field(pymarc.Field("952", pymarc.Indicators(" ", " "), subfields))
    return marc


def test_barcodes_already_on_the_schools_shelves_across_chunks(world, monkeypatch):
    """A holding whose barcode the school already has is that copy (not added again, even from
    a later chunk of the same file); one without a barcode takes its registration number,
    unless a copy carries that already: then it is left out, with a warning."""
    from thuvien.catalogue.marc import prepare
    from thuvien.catalogue.models import DocType
    from thuvien.catalogue.services import copies as copy_services

    monkeypatch.setattr(prepare, "CHUNK", 2)
    sequence = copy_services.collection_for(world.school, DocType.REFERENCE).sequence
    upcoming = sequence.format(sequence.last_number + 2)  # the next import's first number
    # A copy labelled, by hand, with the registration number the next import will give.
    first = import_marc(_held("Sách số 1", upcoming).as_marc(), school=world.school, by=None)
    assert first.copies_created == 1
    file = b"".join(
        marc.as_marc()
        for marc in (
            _held("Sách số 2"),  # gets `upcoming` as its number: that barcode is taken
            _held("Sách số 3", "BC-9"),
            _held("Sách số 4", "BC-9"),  # chunk 2: BC-9 is a copy of the school already
            _held("Sách số 5"),
        )
    )
    report = import_marc(file, school=world.school, by=world.librarian)
    assert report.created == 4 and report.copies_created == 2
    assert report.warnings == [(1, f"Barcode {upcoming} is already in use: copy not added.")]
    copies = Copy.objects.filter(school=world.school, record__title__startswith="Sách số")
    by_title = dict(copies.values_list("record__title", "barcode"))
    assert by_title == {
        "Sách số 1": upcoming,
        "Sách số 3": "BC-9",
        "Sách số 5": sequence.format(sequence.last_number + 4),
    }
