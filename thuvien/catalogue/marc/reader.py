"""MARC21 files (ISO 2709 or MARCXML, told apart by their first bytes) read into `RecordData`,
one result per record with its 1-based position: the data, or the reason it was refused.

Encodings: UTF-8 (LDR/09 "a"), MARC-8 (LDR/09 blank, converted by pymarc), and UTF-8 files whose
leader does not say so (LDR/09 blank but the bytes are valid UTF-8 with non-ASCII letters)."""

from __future__ import annotations

import contextlib
import io
import re
import warnings as warnings_module
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pymarc
from django.utils.translation import gettext as _
from lxml import etree

from thuvien.catalogue import text
from thuvien.catalogue.marc import mapping
from thuvien.catalogue.models import DocType
from thuvien.catalogue.record_data import HoldingData, RecordData

END_OF_RECORD = b"\x1d"
BIBLIOGRAPHIC = set("acdefgijkmoprt")
MARC_NS = "{http://www.loc.gov/MARC21/slim}"
DOC_TYPES = set(DocType.values)
PRICE = re.compile(r"\d[\d.,]*")


@dataclass
class ReadResult:
    position: int
    data: RecordData | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)


def is_xml(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def read(content: bytes) -> Iterator[ReadResult]:
    """Every record of the file, in order, as data or a refusal."""
    if is_xml(content):
        yield from _read_xml(content)
    else:
        yield from _read_iso2709(content)


def _read_iso2709(content: bytes) -> Iterator[ReadResult]:
    position = 0
    start = 0
    size = len(content)
    while start < size:
        end = content.find(END_OF_RECORD, start)
        chunk = content[start : end + 1] if end >= 0 else content[start:]
        start = end + 1 if end >= 0 else size
        if not chunk.strip(b"\x1a\r\n \x00"):
            continue  # padding at the end of a file, or line breaks between records
        chunk = chunk.lstrip(b"\r\n")
        position += 1
        if end < 0:
            yield ReadResult(
                position,
                error=_("The file is cut off: record %(position)s has no end-of-record mark.")
                % {"position": position},
            )
            continue
        yield _parse_chunk(position, chunk)


def _parse_chunk(position: int, chunk: bytes) -> ReadResult:
    leader = chunk[:24]
    declared = leader[:5]
    if len(chunk) < 24 or not declared.isdigit():
        return ReadResult(position, error=_("The leader is not a MARC leader."))
    if int(declared) != len(chunk):
        return ReadResult(
            position,
            error=_(
                "The leader says the record is %(declared)s bytes long but it is %(actual)s: "
                "the file is damaged or cut off."
            )
            % {"declared": int(declared), "actual": len(chunk)},
        )
    coding = chr(leader[9])
    body = chunk[24:]
    ascii_only = body.isascii()
    try:
        body.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        valid_utf8 = False
    warnings = []
    if coding == "a":
        if not valid_utf8:
            return ReadResult(
                position,
                error=_(
                    "The leader says the record is in UTF-8 (LDR/09 “a”) but its bytes are not "
                    "valid UTF-8."
                ),
            )
        options: dict[str, Any] = {"force_utf8": True}
    elif coding == " ":
        if valid_utf8 and not ascii_only:
            options = {"force_utf8": True}
            warnings.append(
                _("The leader says MARC-8 but the text is UTF-8; it was read as UTF-8.")
            )
        else:
            options = {"to_unicode": True}
    else:
        return ReadResult(
            position,
            error=_("Unknown character coding “%(code)s” in the leader (LDR/09).")
            % {"code": coding},
        )
    if re.search(rb"\x1f[\x80-\xff]", chunk):
        return ReadResult(
            position,
            error=_("The record has a subfield code that is not a letter or digit: it is damaged."),
        )
    complaints = io.StringIO()
    try:
        # pymarc reports MARC-8 bytes it cannot convert on stderr only: listen there.
        with contextlib.redirect_stderr(complaints), warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore")
            record = pymarc.Record(data=chunk, utf8_handling="strict", **options)
    except Exception as error:  # pymarc raises many kinds on damaged records
        return ReadResult(
            position,
            error=_("The record is damaged and cannot be read (%(detail)s).")
            % {"detail": type(error).__name__},
        )
    # pymarc leaves a space for the space of the Hebrew and Arabic sets (0x20): not a fault.
    if re.search(r"Unable to parse character 0x(?!20 )", complaints.getvalue()):
        return ReadResult(
            position,
            error=_(
                "The record has bytes that are not MARC-8 nor UTF-8 (another encoding, such as "
                "Windows-1251 or TCVN3?): convert the file to UTF-8 first."
            ),
        )
    for f in record.fields:
        if not f.control_field and any(
            not s.code.isascii() or "\ufffd" in s.value for s in f.subfields
        ):
            return ReadResult(
                position,
                error=_(
                    "Field %(tag)s has invalid characters (bytes lost in an earlier conversion)."
                )
                % {"tag": f.tag},
            )
    result = to_data(position, record)
    result.warnings[:0] = warnings
    return result


def _read_xml(content: bytes) -> Iterator[ReadResult]:
    position = 0
    # A file of <record>s without a <collection> is common: wrap whatever the file holds.
    body = re.sub(rb"^\s*(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>", b"", content)
    wrapped = b"<thuvien-marc>" + body + b"</thuvien-marc>"
    try:
        for _event, element in etree.iterparse(
            io.BytesIO(wrapped),
            events=("end",),
            huge_tree=True,
            resolve_entities=False,
            no_network=True,
        ):
            if not isinstance(element.tag, str) or etree.QName(element).localname != "record":
                continue
            if element.getparent() is not None and etree.QName(
                element.getparent()
            ).localname not in {"collection", "thuvien-marc"}:
                continue  # a <record> inside an OAI or SRU envelope's own record element
            position += 1
            try:
                record = _xml_record(element)
            except ValueError as error:
                yield ReadResult(position, error=str(error))
            else:
                yield to_data(position, record)
            element.clear()
    except etree.XMLSyntaxError as error:
        yield ReadResult(
            position + 1,
            error=_("The XML file is damaged after record %(position)s (%(detail)s).")
            % {"position": position, "detail": error.msg},
        )


def _xml_record(element: etree._Element) -> pymarc.Record:
    record = pymarc.Record(to_unicode=True, force_utf8=True)
    for child in element:
        tag = etree.QName(child).localname
        if tag == "leader":
            record.leader = pymarc.Leader((child.text or "").ljust(24)[:24])
        elif tag == "controlfield":
            record.add_field(pymarc.Field(tag=child.get("tag", ""), data=child.text or ""))
        elif tag == "datafield":
            subs = [
                pymarc.Subfield(s.get("code", ""), s.text or "")
                for s in child
                if etree.QName(s).localname == "subfield"
            ]
            record.add_field(
                pymarc.Field(
                    tag=child.get("tag", ""),
                    indicators=pymarc.Indicators(
                        (child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1]
                    ),
                    subfields=subs,
                )
            )
    return record


def to_data(position: int, record: pymarc.Record) -> ReadResult:
    """Map one MARC21 bibliographic record to `RecordData`."""
    leader = str(record.leader).ljust(24)
    kind = leader[6]
    notes = []
    if kind == " ":
        kind = "a"
        notes.append(_("The leader gives no record type (LDR/06); it was read as a book."))
    if kind == "z":
        return ReadResult(
            position, error=_("This is an authority record, not a bibliographic record.")
        )
    if kind in "uvxy":
        return ReadResult(
            position, error=_("This is a holdings record, not a bibliographic record.")
        )
    if record.get_fields("200") and not record.get_fields("245"):
        return ReadResult(
            position, error=_("This is a UNIMARC record; only MARC21 can be imported.")
        )
    if kind not in BIBLIOGRAPHIC:
        return ReadResult(
            position,
            error=_("Record type “%(kind)s” (LDR/06) is not a bibliographic record.")
            % {"kind": kind},
        )
    values = mapping.read_columns(record)
    if not values["title"]:
        return ReadResult(position, error=_("The record has no title (245 $a)."))
    warnings = notes
    for value, _qualifier in values["isbns"]:
        if value and text.isbn13(value) is None:
            warnings.append(
                _("ISBN “%(value)s” is not valid; it was kept in the record but not indexed.")
                % {"value": value}
            )
    local = values.pop("local_doc_type")
    if local in DOC_TYPES:
        doc_type = local
    elif kind == "e" or kind == "f":
        doc_type = DocType.MAP
    elif leader[7] == "s":
        doc_type = DocType.PERIODICAL
    else:
        doc_type = DocType.REFERENCE
    data = RecordData(
        doc_type=doc_type,
        holdings=holdings(record),
        marc=record.as_dict(),
        **{k: v for k, v in values.items() if k in RecordData.__dataclass_fields__},
    )
    return ReadResult(position, data=data, warnings=warnings)


def _price(value: str) -> int | None:
    match = PRICE.search(value or "")
    if not match:
        return None
    digits = re.sub(r"[.,]\d{1,2}$", "", match.group(0)).replace(".", "").replace(",", "")
    return int(digits) if digits.isdigit() else None


def holdings(record: pymarc.Record) -> list[HoldingData]:
    """Copies described by Koha's 952 ($p barcode, $o call number, $g/$v price, $c/$a place)
    or by 852 ($p barcode, $h/$i call number, $c location, $9 price)."""
    found = []
    for f in record.get_fields("952"):
        found.append(
            HoldingData(
                barcode=mapping.sub(f, "p").strip()[:40],
                call_number=mapping.clean(mapping.sub(f, "o")),
                price_vnd=_price(mapping.sub(f, "g") or mapping.sub(f, "v")),
                location=mapping.clean(mapping.sub(f, "c") or mapping.sub(f, "a"))[:100],
            )
        )
    for f in record.get_fields("852"):
        found.append(
            HoldingData(
                barcode=mapping.sub(f, "p").strip()[:40],
                registration_number=mapping.sub(f, "i").strip()[:30] if mapping.sub(f, "h") else "",
                call_number=mapping.clean(mapping.sub(f, "h") or mapping.sub(f, "i")),
                location=mapping.clean(mapping.sub(f, "c"))[:100],
                price_vnd=_price(mapping.sub(f, "9")),
                collection_code=mapping.sub(f, "b").strip()[:20],
            )
        )
    return found
