"""Records of the catalogue as MARC21: one pymarc record, ISO 2709 files, MARCXML collections.

`to_marc` starts from the record's own MARC (`Record.marc`, the whole imported record) and
replaces only the fields the columns own, and only when a column changed: every other field,
and every subfield the form does not show (100 $d, 650 $x…), is kept. Local field 991 carries
$a document type, $b grade, $c school subject, $d call number; holdings go out as 852 ($a
school code, $b collection code, $c shelf location, $h call number, $i registration number,
$p barcode, $9 price in VND)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

import pymarc
from lxml import etree

from thuvien.catalogue import text
from thuvien.catalogue.marc import mapping
from thuvien.catalogue.models import Copy, DocType, Record

MARC_NS = "http://www.loc.gov/MARC21/slim"
DEFAULT_LEADER = "00000nam a2200000 i 4500"
OWNED_CONTROL = ("001", "005")
from_dict = mapping.from_dict


def _ind(one: str = " ", two: str = " ") -> pymarc.Indicators:
    return pymarc.Indicators(one, two)


def _end(value: str, mark: str) -> str:
    """`value` followed by ISBD punctuation `mark` (" :", " /", ".") unless it has one."""
    if mark == ".":
        return value if value.endswith((".", "?", "!")) else value + "."
    return value if value.endswith(mark.strip()) else value + mark


def _current(record: Record, isbns: list[tuple[str, str]]) -> dict[str, Any]:
    names = mapping.read_columns(pymarc.Record())
    values = {name: getattr(record, name) for name in names if hasattr(record, name)}
    values["isbns"] = isbns
    return values


def _same(group: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    if group == "isbns":
        digits = {(text.isbn13(v), q) for v, q in old["isbns"] if text.isbn13(v)}
        return digits == {(text.isbn13(v), q) for v, q in new["isbns"] if text.isbn13(v)}
    return all(old[key] == new.get(key) for key in old)


def _reused(
    values: Sequence[str],
    originals: list[tuple[str, pymarc.Field]],
    make: Any,
) -> list[pymarc.Field]:
    """The fields of a repeated column (subjects, added authors) after an edit: a value the
    record had is its own field again, whole (650 $v $z $2, 700 $d $e…); a changed or new one
    is made by `make(value, template)`, the template being the original field in its place
    when no other value took it."""
    taken: set[int] = set()
    fields: list[pymarc.Field | None] = []
    for value in values:
        match = next(
            (i for i, (old, _f) in enumerate(originals) if old == value and i not in taken), None
        )
        if match is not None:
            taken.add(match)
        fields.append(originals[match][1] if match is not None else None)
    out = []
    for i, (value, field) in enumerate(zip(values, fields, strict=True)):
        if field is None:
            template = originals[i][1] if i < len(originals) and i not in taken else None
            if template is not None:
                taken.add(i)
            field = make(value, template)
        out.append(field)
    return out


def _subject(heading: str, template: pymarc.Field | None) -> pymarc.Field:
    """A 650 of an edited or new heading: the subdivision codes ($x, $y, $z, $v) and other
    subfields ($2…) of the field it replaces when it has as many parts; $x otherwise."""
    parts = heading.split(mapping.SUBJECT_JOIN)
    codes = ["a"] + ["x"] * (len(parts) - 1)
    ind = _ind(" ", "4")
    extra: list[pymarc.Subfield] = []
    if template is not None:
        ind = pymarc.Indicators(template.indicator1, template.indicator2)
        old = [s.code for s in template.subfields if s.code in mapping.SUBJECT_CODES]
        if len(old) == len(parts):
            codes = old
        extra = [s for s in template.subfields if s.code not in mapping.SUBJECT_CODES]
    subs = [pymarc.Subfield(c, p) for c, p in zip(codes, parts, strict=True)]
    return pymarc.Field("650", ind, subs + extra)


def _added_author(name: str, template: pymarc.Field | None) -> pymarc.Field:
    """A 700 of an edited or new name; an edited one keeps its relator ($e, $4: "dịch")."""
    subs = [pymarc.Subfield("a", name)]
    if template is not None:
        subs += [s for s in template.subfields if s.code in ("e", "4")]
    return pymarc.Field("700", _ind("1" if "," in name else "0"), subs)


def _build(
    group: str,
    record: Record,
    isbns: list[tuple[str, str]],
    old_main: str,
    original: pymarc.Record,
) -> list[pymarc.Field]:
    F, S = pymarc.Field, pymarc.Subfield
    if group == "isbns":
        fields = []
        for value, qualifier in isbns:
            subs = [S("a", text.isbn13(value) or value)]
            if qualifier:
                subs.append(S("q", qualifier))
            fields.append(F("020", _ind(), subs))
        return fields
    if group == "language":
        return [F("041", _ind("0"), [S("a", record.language)])] if record.language else []
    if group in {"classification", "local_class"}:
        value = getattr(record, group)
        tag, ind = ("082", _ind("0", "4")) if group == "classification" else ("084", _ind())
        return [F(tag, ind, [S("a", value)])] if value else []
    if group == "author":
        if not record.author:
            return []
        ind1 = "1" if "," in record.author else "0"
        return [F(old_main or "100", _ind(ind1), [S("a", record.author)])]
    if group == "title":
        parts = [["a", record.title]]
        for code, value, mark in (
            ("b", record.subtitle, " :"),
            ("n", record.part, "."),
            ("c", record.responsibility, " /"),
        ):
            if value:
                parts[-1][1] = _end(parts[-1][1], mark)
                parts.append([code, value])
        parts[-1][1] = _end(parts[-1][1], ".")
        ind1 = "1" if record.author else "0"
        return [F("245", _ind(ind1, "0"), [S(c, v) for c, v in parts])]
    if group == "edition":
        return [F("250", _ind(), [S("a", _end(record.edition, "."))])] if record.edition else []
    if group == "publication":
        if not (record.place or record.publisher or record.year):
            return []
        publication: list[list[str]] = []
        for code, value in (
            ("a", record.place),
            ("b", record.publisher),
            ("c", str(record.year or "")),
        ):
            if value:
                if publication:
                    publication[-1][1] = _end(publication[-1][1], {"b": " :", "c": ","}[code])
                publication.append([code, value])
        publication[-1][1] = _end(publication[-1][1], ".")
        return [F("264", _ind(" ", "1"), [S(c, v) for c, v in publication])]
    if group == "physical":
        return [F("300", _ind(), [S("a", record.physical)])] if record.physical else []
    if group == "series":
        return [F("490", _ind("0"), [S("a", record.series)])] if record.series else []
    if group == "summary":
        return [F("520", _ind(), [S("a", record.summary)])] if record.summary else []
    if group == "subjects":
        return _reused(
            record.subjects,
            [(mapping.subject_heading(f), f) for f in original.get_fields("650")],
            _subject,
        )
    if group == "other_authors":
        return _reused(
            record.other_authors,
            [(mapping.clean(mapping.sub(f, "a")), f) for f in original.get_fields("700")],
            _added_author,
        )
    if group == "local":
        local = [S("a", record.doc_type)]
        if record.grade:
            local.append(S("b", str(record.grade)))
        if record.school_subject:
            local.append(S("c", record.school_subject))
        if record.call_number:
            local.append(S("d", record.call_number))
        return [F(mapping.LOCAL_TAG, _ind(), local)]
    raise ValueError(group)


def _leader(old: str, record: Record) -> str:
    leader = list((old or DEFAULT_LEADER).ljust(24)[:24])
    leader[9] = "a"
    if record.doc_type == DocType.MAP:
        leader[6] = "e"
    elif leader[6] == "e":
        leader[6] = "a"
    if record.doc_type == DocType.PERIODICAL:
        leader[7] = "s"
    elif leader[7] == "s":
        leader[7] = "m"
    if leader[6] == " ":
        leader[6] = "a"
    if leader[7] == " ":
        leader[7] = "m"
    leader[5] = leader[5] if leader[5] in "acdnp" else "n"
    leader[10], leader[11], leader[20:24] = "2", "2", list("4500")
    return "".join(leader)


def _008(old: str, record: Record) -> str:
    data = list((old or "").ljust(40)[:40])
    if not old:
        data[0:6] = list(dt.date.today().strftime("%y%m%d"))
        data[6] = "s"
        data[15:18] = list("vm ")
        data[39] = "d"
    if record.year:
        data[7:11] = list(str(record.year))
    if record.language:
        data[35:38] = list(record.language.ljust(3)[:3])
    return "".join(data)


def to_marc(
    record: Record,
    *,
    copies: Sequence[Copy] | None = None,
    isbns: list[tuple[str, str]] | None = None,
) -> pymarc.Record:
    """The record as MARC21 (UTF-8). When `copies` are given, 852/952 become one 852 per copy."""
    if isbns is None:
        isbns = [(row.isbn13, row.qualifier) for row in record.isbns.all()] if record.pk else []
    original = mapping.from_dict(record.marc or {})
    current = _current(record, isbns)
    main = mapping.first(original, ("100", "110", "111"))
    rebuilt: dict[str, list[pymarc.Field]] = {}
    keep_tags: set[str] = set()
    for group, (tags, read) in mapping.GROUPS.items():
        old = read(original)
        if group != "local" and original.fields and _same(group, old, current):
            keep_tags.update(tags)
        else:
            rebuilt[group] = _build(group, record, isbns, main.tag if main else "", original)
    owned = {tag for tags, _r in mapping.GROUPS.values() for tag in tags}
    replace = (owned - keep_tags) | set(OWNED_CONTROL) | {"008"}
    if copies is not None:
        replace |= {"852", "952"}
    out = pymarc.Record(to_unicode=True, force_utf8=True)
    out.leader = pymarc.Leader(_leader(str(original.leader) if original.fields else "", record))
    old_008 = mapping.first(original, ("008",))
    stamp = record.updated_at or dt.datetime.now()
    new_fields = [
        pymarc.Field("005", data=stamp.strftime("%Y%m%d%H%M%S.0")),
        pymarc.Field("008", data=_008((old_008.data or "") if old_008 is not None else "", record)),
    ]
    if record.pk is not None:
        new_fields.insert(0, pymarc.Field("001", data=str(record.pk)))
    new_fields += [f for f in original.fields if f.tag not in replace]
    for built in rebuilt.values():
        new_fields += built
    for copy in copies or ():
        new_fields.append(holding_field(copy))
    new_fields.sort(key=lambda f: f.tag)  # stable: the source's order within a tag is kept
    for field in new_fields:
        out.add_field(field)
    return out


def holding_field(copy: Copy) -> pymarc.Field:
    S = pymarc.Subfield
    subs = [S("a", copy.school.code or str(copy.school_id)), S("b", copy.collection.code)]
    if copy.location:
        subs.append(S("c", copy.location))
    if copy.record.call_number:
        subs.append(S("h", copy.record.call_number))
    subs += [S("i", copy.registration_number), S("p", copy.barcode)]
    if copy.price_vnd is not None:
        subs.append(S("9", str(copy.price_vnd)))
    return pymarc.Field("852", _ind("8"), subs)


def _marc_of(record: Record | pymarc.Record) -> pymarc.Record:
    return record if isinstance(record, pymarc.Record) else to_marc(record)


def write_iso2709(records: Iterable[Record | pymarc.Record], out: BinaryIO) -> int:
    """Write the records as ISO 2709 (UTF-8) to `out`; the number written."""
    count = 0
    for record in records:
        out.write(_marc_of(record).as_marc())
        count += 1
    return count


def marc_element(marc: pymarc.Record) -> etree._Element:
    """One <record> element in the MARC21 slim namespace."""
    root = etree.Element(f"{{{MARC_NS}}}record", nsmap={None: MARC_NS})
    etree.SubElement(root, f"{{{MARC_NS}}}leader").text = str(marc.leader)
    for field in marc.fields:
        if field.control_field:
            el = etree.SubElement(root, f"{{{MARC_NS}}}controlfield", tag=field.tag)
            el.text = field.data
        else:
            el = etree.SubElement(
                root,
                f"{{{MARC_NS}}}datafield",
                tag=field.tag,
                ind1=field.indicator1,
                ind2=field.indicator2,
            )
            for s in field.subfields:
                etree.SubElement(el, f"{{{MARC_NS}}}subfield", code=s.code).text = s.value
    return root


def record_element(record: Record) -> etree._Element:
    """The record as a MARCXML <record> element, for SRU and OAI-PMH to embed."""
    return marc_element(to_marc(record))


def record_xml(record: Record) -> bytes:
    """The record as MARCXML <record> bytes (MARC21 slim namespace)."""
    return bytes(etree.tostring(record_element(record), encoding="utf-8"))


def write_marcxml(records: Iterable[Record | pymarc.Record], out: BinaryIO) -> int:
    """A MARCXML <collection>, written one record at a time; the number written."""
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS}):
            for record in records:
                xf.write(marc_element(_marc_of(record)))
                count += 1
    return count


def marcxml_bytes(records: Iterable[Record | pymarc.Record]) -> bytes:
    buffer = io.BytesIO()
    write_marcxml(records, buffer)
    return buffer.getvalue()
