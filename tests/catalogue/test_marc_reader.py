"""The MARC21 reader on real files (pymarc's and Evergreen's test data) and on made-up damage:
exactly which records are read and why the others are refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pymarc
import pytest
from django.utils import translation

from thuvien.catalogue.marc import reader

SAMPLES = Path(__file__).parents[2].parent / "shared" / "marc_samples"

# file → (records read, records refused): what the reader gives, each refusal understood.
EXPECTED = {
    "pymarc/1251.dat": (0, 6),  # Windows-1251 labelled MARC-8: garbage in, refused
    "pymarc/bad_records.mrc": (2, 6),  # 2 without LDR/06 read as books, 6 broken directories
    "pymarc/batch.xml": (2, 0),
    "pymarc/diacritic.dat": (1, 0),
    "pymarc/marc.dat": (20, 0),
    "pymarc/marc8.dat": (1, 0),
    "pymarc/multi_isbn.dat": (1, 0),
    "pymarc/one.dat": (1, 0),
    "pymarc/regression45.dat": (12, 0),
    "pymarc/test.dat": (10, 0),
    "pymarc/testunimarc.dat": (0, 1),  # UNIMARC
    "pymarc/utf8.xml": (1, 0),
    "pymarc/utf8_invalid.mrc": (0, 1),  # a subfield code byte is not ASCII
    "pymarc/utf8_with_leader_flag.dat": (1, 0),
    "pymarc/utf8_without_leader_flag.dat": (1, 0),
    "evergreen/FSL.marc": (52, 0),
    "evergreen/auth-subset100.mrc": (0, 17),  # authority records
    "evergreen/badisbns.xml": (10, 0),  # bad ISBNs are warnings, not refusals
    "evergreen/hebrew.marc": (19, 1),  # one record has bytes outside MARC-8
    "evergreen/jazz_1k.mrc": (1000, 0),
    "evergreen/lul_fre_100.mrc": (100, 0),
    "evergreen/lul_fre_500.mrc": (500, 0),
    "evergreen/map_data.mrc": (3, 0),
    "evergreen/nepali.marc": (96, 0),
    "evergreen/oss.marc": (41, 1),  # one record's bytes are not the UTF-8 its leader says
    "evergreen/sample_acq_order.mrc": (10, 0),
    "evergreen/serials_marc21.xml": (7, 0),  # <record>s without a <collection>
    "evergreen/serials_mfhd.xml": (0, 7),  # holdings records, no namespace
}


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def counts(content: bytes) -> tuple[int, int]:
    results = list(reader.read(content))
    return sum(r.data is not None for r in results), sum(r.data is None for r in results)


def test_every_sample_file_is_listed():
    found = {
        str(p.relative_to(SAMPLES))
        for p in SAMPLES.glob("*/*")
        if p.suffix not in {".txt", ".md"} and p.name != "README"
    }
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_files(name):
    assert counts((SAMPLES / name).read_bytes()) == EXPECTED[name]


def test_refusals_say_why():
    results = list(reader.read((SAMPLES / "evergreen/auth-subset100.mrc").read_bytes()))
    assert results[0].position == 1 and "authority" in results[0].error
    (unimarc,) = reader.read((SAMPLES / "pymarc/testunimarc.dat").read_bytes())
    assert "UNIMARC" in unimarc.error
    with translation.override("vi"):
        (holding, *_rest) = reader.read((SAMPLES / "evergreen/serials_mfhd.xml").read_bytes())
    assert holding.error  # translated when the catalogue's .po has it


def test_serials_and_maps_get_their_document_type():
    serials = [r.data for r in reader.read((SAMPLES / "evergreen/serials_marc21.xml").read_bytes())]
    assert {d.doc_type for d in serials} == {"periodical"}
    maps = [r.data for r in reader.read((SAMPLES / "evergreen/map_data.mrc").read_bytes())]
    assert {d.doc_type for d in maps} == {"map"}


def test_utf8_without_leader_flag_is_read_as_utf8():
    flagged = next(reader.read((SAMPLES / "pymarc/utf8_with_leader_flag.dat").read_bytes()))
    unflagged = next(reader.read((SAMPLES / "pymarc/utf8_without_leader_flag.dat").read_bytes()))
    assert unflagged.data.title == flagged.data.title
    assert unflagged.warnings


def test_marc8_is_converted():
    (result,) = reader.read((SAMPLES / "pymarc/marc8.dat").read_bytes())
    assert result.data is not None
    assert all(not (0x80 <= ord(c) <= 0x9F) for c in result.data.title)


def vietnamese_record(title: str, *, coding: str = "a", force: bool = True) -> bytes:
    record = pymarc.Record(force_utf8=force, leader=f"00000nam {coding}2200000 i 4500")
    record.add_field(
        pymarc.Field("245", pymarc.Indicators("0", "0"), [pymarc.Subfield("a", title)])
    )
    return record.as_marc()


def test_truncated_file_and_lying_leaders():
    whole = vietnamese_record("Đường về quê") + vietnamese_record("Hoa học trò")
    (ok, cut) = reader.read(whole[:-10])
    assert ok.data and not cut.data and cut.position == 2 and "cut off" in cut.error
    lying = b"00999" + vietnamese_record("Đường về quê")[5:]
    (bad,) = reader.read(lying)
    assert "999" in bad.error
    latin1 = vietnamese_record("Café").replace("Café".encode(), "Café".encode("latin-1"))
    latin1 = f"{len(latin1):05d}".encode() + latin1[5:]
    (liar,) = reader.read(latin1)
    assert "UTF-8" in liar.error


def test_text_is_canonical_nfc():
    nfd = unicodedata.normalize("NFD", "Tiếng Việt lớp một")
    (result,) = reader.read(vietnamese_record(nfd))
    assert result.data.title == "Tiếng Việt lớp một"
