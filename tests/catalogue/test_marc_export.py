"""MARC21 export: what was imported comes back without loss, and the files are valid for
pymarc, the MARC21 slim schema, yaz-marcdump and MARC::Lint (marcvalidate)."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import pymarc
import pytest
from django.utils import translation
from lxml import etree

from tests.catalogue.marc_fixtures import vietnamese_file
from thuvien.catalogue.management.commands.export_marc import school_records
from thuvien.catalogue.marc import reader
from thuvien.catalogue.marc.importer import import_marc
from thuvien.catalogue.marc.writer import record_element, write_iso2709, write_marcxml
from thuvien.catalogue.models import Record

pytestmark = pytest.mark.django_db
XSD = Path(__file__).parents[1] / "data" / "marc" / "MARC21slim.xsd"
YAZ = "/usr/bin/yaz-marcdump"
LINT = "/usr/bin/marcvalidate"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def columns(data) -> dict:
    values = asdict(data)
    for name in ("marc", "holdings"):
        values.pop(name)
    values["isbns"] = sorted(v.replace("-", "") for v, _q in data.isbns)
    return values


def exported(world, fmt: str) -> bytes:
    import_marc(vietnamese_file(), school=world.school, by=world.librarian)
    out = io.BytesIO()
    # Every record of the file (the school holds copies of one only: the export command's).
    rows = Record.objects.filter(author="Nguyễn Nhật Ánh", catalogued_by=world.school)
    held = {m["001"].data for m in school_records(world.school)}
    assert {str(r.pk) for r in rows} & held
    (write_marcxml if fmt == "xml" else write_iso2709)(rows.order_by("pk"), out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["iso", "xml"])
def test_round_trip_without_loss(world, fmt):
    before = {r.data.title: r.data for r in reader.read(vietnamese_file())}
    after = {r.data.title: r.data for r in reader.read(exported(world, fmt)) if r.data}
    for title, data in before.items():
        again = after[title]
        expected = columns(data) | {"call_number": again.call_number}
        expected["isbns"] = sorted(
            __import__("thuvien.catalogue.text", fromlist=["x"]).isbn13(v)
            for v in expected["isbns"]
        )
        assert columns(again) == expected, title
        # Fields the catalogue does not show survive: 500 with every tone mark, 100 $d.
        marc = reader.mapping.from_dict(again.marc)
        original = reader.mapping.from_dict(data.marc)
        assert marc["500"].value() == original["500"].value()
        assert marc["100"]["d"] == "1955-"
    report = import_marc(exported(world, fmt), school=world.school, by=world.librarian)
    assert report.created == 0 and report.copies_created == 0 and not report.rejected


def test_changed_column_is_rewritten_and_other_fields_kept(world):
    import_marc(vietnamese_file(), school=world.school, by=world.librarian)
    record = Record.objects.get(title="Mắt biếc")
    record.title, record.subtitle = "Mắt biếc", "tiểu thuyết"
    marc = pymarc.Record()
    from thuvien.catalogue.marc.writer import to_marc

    marc = to_marc(record)
    assert marc["245"]["a"] == "Mắt biếc :" and marc["245"]["b"] == "tiểu thuyết /"
    assert marc["245"].indicator2 == "0" and marc.leader[9] == "a"
    assert marc["500"] and marc["001"].data == str(record.pk)
    assert record_element(record).tag == "{http://www.loc.gov/MARC21/slim}record"


def test_export_is_valid(world, tmp_path):
    iso = tmp_path / "out.mrc"
    iso.write_bytes(exported(world, "iso"))
    assert len(list(pymarc.MARCReader(iso.read_bytes(), to_unicode=True))) >= 4
    xml = tmp_path / "out.xml"
    out = io.BytesIO()
    write_marcxml(Record.objects.filter(catalogued_by=world.school), out)
    xml.write_bytes(out.getvalue())
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.parse(str(xml))), schema.error_log
    assert len(pymarc.parse_xml_to_array(str(xml))) >= 4
    if Path(YAZ).exists():
        for args in ([str(iso)], ["-i", "marcxml", str(xml)]):
            run = subprocess.run([YAZ, *args], capture_output=True, text=True)
            assert run.returncode == 0 and "error" not in (run.stderr + run.stdout).lower()


@pytest.mark.skipif(not shutil.which("marcvalidate") and not Path(LINT).exists(), reason="no lint")
def test_marc_lint_reports_no_errors_on_our_fields(world, tmp_path):
    iso = tmp_path / "out.mrc"
    iso.write_bytes(exported(world, "iso"))
    run = subprocess.run([LINT, str(iso)], capture_output=True, text=True)
    ours = ("020", "041", "082", "100", "245", "250", "264", "300", "520", "650", "700", "852")
    problems = [line for line in (run.stdout + run.stderr).splitlines() if line[:3] in ours]
    assert problems == []


def test_an_edited_subject_or_added_author_leaves_the_others_whole(world):
    """Editing one heading rewrites that heading only: the others keep their subdivision codes
    ($z place, $v form, $y period), their $2 and their 700 $d $e."""
    from thuvien.catalogue.marc.writer import to_marc

    F, S, Ind = pymarc.Field, pymarc.Subfield, pymarc.Indicators
    marc = pymarc.Record(to_unicode=True, force_utf8=True)
    marc.leader = pymarc.Leader("00000nam a2200000 a 4500")
    marc.add_field(F("008", data="261201s2020    vm            000 0 vie d"))
    marc.add_field(F("245", Ind("0", "0"), [S("a", "Đất rừng phương Nam.")]))
    geography = [S("a", "Địa lí"), S("z", "Nam Bộ"), S("v", "Sách thiếu nhi"), S("2", "bvt")]
    history = [S("a", "Lịch sử"), S("x", "Chiến tranh"), S("y", "1945-1954")]
    marc.add_field(F("650", Ind(" ", "7"), geography))
    marc.add_field(F("650", Ind(" ", "7"), history))
    marc.add_field(F("700", Ind("1", " "), [S("a", "Đoàn, Giỏi"), S("d", "1925-1989")]))
    marc.add_field(F("700", Ind("1", " "), [S("a", "Tô, Hoài"), S("e", "minh hoạ")]))
    report = import_marc(marc.as_marc(), school=world.school, by=world.librarian)
    assert report.created == 1, report.rejected
    record = Record.objects.get(title="Đất rừng phương Nam")
    assert record.subjects == [
        "Địa lí -- Nam Bộ -- Sách thiếu nhi",
        "Lịch sử -- Chiến tranh -- 1945-1954",
    ]

    record.subjects = [
        "Địa lí -- Nam Bộ -- Sách thiếu nhi",  # unchanged
        "Lịch sử -- Kháng chiến -- 1945-1954",  # edited, as many parts
        "Văn học -- Tiểu thuyết",  # new
    ]
    record.other_authors = ["Đoàn, Giỏi", "Tô, Hoài (Nguyễn Sen)"]
    out = to_marc(record)
    subjects = out.get_fields("650")
    assert [(s.code, s.value) for s in subjects[0].subfields] == [
        (s.code, s.value) for s in geography
    ]
    assert [s.code for s in subjects[1].subfields] == ["a", "x", "y"]
    assert subjects[1]["x"] == "Kháng chiến" and subjects[1].indicator2 == "7"
    assert [(s.code, s.value) for s in subjects[2].subfields] == [
        ("a", "Văn học"),
        ("x", "Tiểu thuyết"),
    ]
    authors = out.get_fields("700")
    assert authors[0]["d"] == "1925-1989"
    assert authors[1]["a"] == "Tô, Hoài (Nguyễn Sen)" and authors[1]["e"] == "minh hoạ"
    # What is written reads back as the record's columns.
    again = next(iter(reader.read(out.as_marc()))).data
    assert again.subjects == record.subjects and again.other_authors == record.other_authors
