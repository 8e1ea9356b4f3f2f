"""MARC21 files (ISO 2709 or MARCXML, told apart by their first bytes) read into `RecordData`,
one result per record with its 1-based position: the data, or the reason it was refused.

Encodings: UTF-8 (LDR/09 "a"), MARC-8 (LDR/09 blank, converted by pymarc), and UTF-8 files whose
leader does not say so (LDR/09 blank but the bytes are valid UTF-8 with non-ASCII letters)."""

from __future__ import annotations

import contextlib
import io
import re
import warnings as warnings_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

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


BLOCK = 1 << 20  # a file is read a megabyte at a time: a 200,000-record file is never held whole


def is_xml(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


Wanted = Callable[[int], bool]


def read(source: bytes | IO[bytes], wanted: Wanted | None = None) -> Iterator[ReadResult]:
    """Every record of the file (its bytes, or a binary file open for reading), in order, as
    data or a refusal. With `wanted`, the records at the other positions are only counted:
    their results are `SKIPPED` (so that two processes can share a file)."""
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    head = stream.read(BLOCK)
    if is_xml(head):
        yield from _read_xml(_XmlStream(head, stream), wanted)
    else:
        yield from _read_iso2709(head, stream, wanted)


SKIPPED = ReadResult(0, error="skipped")


def _records(head: bytes, stream: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """The bytes of each record (with its end-of-record mark, True) and the cut-off rest of a
    file that lacks its last mark (False)."""
    pending = head
    while True:
        parts = pending.split(END_OF_RECORD)
        for part in parts[:-1]:
            yield part + END_OF_RECORD, True
        pending = parts[-1]
        block = stream.read(BLOCK)
        if not block:
            break
        pending += block
    if pending:
        yield pending, False


def _read_iso2709(head: bytes, stream: IO[bytes], wanted: Wanted | None) -> Iterator[ReadResult]:
    position = 0
    for chunk, complete in _records(head, stream):
        if not chunk.strip(b"\x1a\x1d\r\n \x00"):
            continue  # padding at the end of a file, or line breaks between records
        chunk = chunk.lstrip(b"\r\n")
        position += 1
        if wanted is not None and not wanted(position):
            yield SKIPPED
            continue
        if not complete:
            yield ReadResult(
                position,
                error=_("The file is cut off: record %(position)s has no end-of-record mark.")
                % {"position": position},
            )
            continue
        yield _parse_chunk(position, chunk)


class _NotMarc8(Exception):
    pass


def _pymarc_record(chunk: bytes, utf8: bool) -> pymarc.Record:
    """pymarc's record of the bytes: UTF-8 read strictly, or MARC-8 converted, pymarc's
    complaints about bytes it cannot convert (printed on stderr only) caught."""
    if utf8:
        return pymarc.Record(data=chunk, utf8_handling="strict", force_utf8=True)
    complaints = io.StringIO()
    with contextlib.redirect_stderr(complaints), warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore")
        record = pymarc.Record(data=chunk, utf8_handling="strict", to_unicode=True)
    # pymarc leaves a space for the space of the Hebrew and Arabic sets (0x20): not a fault.
    if re.search(r"Unable to parse character 0x(?!20 )", complaints.getvalue()):
        raise _NotMarc8
    return record


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
        text_ = body.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        text_, valid_utf8 = "", False
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
        utf8 = True
    elif coding == " ":
        utf8 = valid_utf8 and not ascii_only
        if utf8:
            warnings.append(
                _("The leader says MARC-8 but the text is UTF-8; it was read as UTF-8.")
            )
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
    try:
        record = _pymarc_record(chunk, utf8)
    except _NotMarc8:
        return ReadResult(
            position,
            error=_(
                "The record has bytes that are not MARC-8 nor UTF-8 (another encoding, such as "
                "Windows-1251 or TCVN3?): convert the file to UTF-8 first."
            ),
        )
    except Exception as error:  # pymarc raises many kinds on damaged records
        return ReadResult(
            position,
            error=_("The record is damaged and cannot be read (%(detail)s).")
            % {"detail": type(error).__name__},
        )
    # U+FFFD: a character an earlier conversion lost (UTF-8 text is checked once, whole).
    if not utf8 or "\ufffd" in text_:
        for f in record.fields:
            if not f.control_field and any("\ufffd" in s.value for s in f.subfields):
                return ReadResult(
                    position,
                    error=_(
                        "Field %(tag)s has invalid characters (bytes lost in an earlier "
                        "conversion)."
                    )
                    % {"tag": f.tag},
                )
    result = to_data(position, record)
    result.warnings[:0] = warnings
    return result


class _XmlStream:
    """The file's XML inside one element of ours: a file of <record>s without a <collection>
    is common, so whatever the file holds is wrapped (its XML declaration dropped)."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        body = re.sub(rb"^\s*(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>", b"", head)
        self._parts = iter([b"<thuvien-marc>" + body])
        self._stream: IO[bytes] | None = stream

    def read(self, size: int = -1) -> bytes:
        for part in self._parts:
            return part
        if self._stream is None:
            return b""
        block = self._stream.read(BLOCK)
        if block:
            return block
        self._stream = None
        return b"</thuvien-marc>"


def _read_xml(wrapped: _XmlStream, wanted: Wanted | None) -> Iterator[ReadResult]:
    position = 0
    try:
        for _event, element in etree.iterparse(
            wrapped,
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
            if wanted is not None and not wanted(position):
                yield SKIPPED
            else:
                yield _xml_result(position, element)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]  # the records already read: a long file is not kept in memory
    except etree.XMLSyntaxError as error:
        if wanted is not None and not wanted(position + 1):
            yield SKIPPED
            return
        yield ReadResult(
            position + 1,
            error=_("The XML file is damaged after record %(position)s (%(detail)s).")
            % {"position": position, "detail": error.msg},
        )


def _xml_result(position: int, element: etree._Element) -> ReadResult:
    try:
        record = _xml_record(element)
    except ValueError as error:
        return ReadResult(position, error=str(error))
    return to_data(position, record)


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
    fields = mapping.Indexed(record)
    if fields.get_fields("200") and not fields.get_fields("245"):
        return ReadResult(
            position, error=_("This is a UNIMARC record; only MARC21 can be imported.")
        )
    if kind not in BIBLIOGRAPHIC:
        return ReadResult(
            position,
            error=_("Record type “%(kind)s” (LDR/06) is not a bibliographic record.")
            % {"kind": kind},
        )
    values = mapping.read_columns(fields)
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
        holdings=holdings(fields),
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


def holdings(record: pymarc.Record | mapping.Indexed) -> list[HoldingData]:
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
