"""Which MARC fields each record column owns, and how a column is read from them.

The writer keeps an imported field untouched when the column read back from it equals the
record's column (so subfields the catalogue does not show, such as 100 $d or 650 $x, survive);
it rebuilds the field only when the column was changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pymarc

from thuvien.catalogue import text
from thuvien.core.folding import canonical

LOCAL_TAG = "991"
YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")
SUBJECT_CODES = "axyzv"
SUBJECT_JOIN = " -- "


def clean(value: str | None) -> str:
    """Column text from a subfield: canonical, ISBD punctuation and a final full stop off."""
    value = text.clean(value)
    if value.endswith(".") and not value.endswith("..."):
        value = text.clean(value[:-1])
    return value


class Indexed:
    """A record's fields by tag, sorted once: pymarc's `get_fields` reads every field of the
    record each time, and a record is asked for some twenty tags."""

    def __init__(self, record: pymarc.Record) -> None:
        self.record = record
        self.leader = record.leader
        self._by_tag: dict[str, list[tuple[int, pymarc.Field]]] = {}
        for i, f in enumerate(record.fields):
            self._by_tag.setdefault(f.tag, []).append((i, f))

    def get_fields(self, *tags: str) -> list[pymarc.Field]:
        """As pymarc's: the fields with these tags, in the record's order."""
        if len(tags) == 1:
            return [f for _i, f in self._by_tag.get(tags[0], ())]
        found = sorted(pair for tag in tags for pair in self._by_tag.get(tag, ()))
        return [f for _i, f in found]


def indexed(record: pymarc.Record | Indexed) -> Indexed:
    return record if isinstance(record, Indexed) else Indexed(record)


def first(record: pymarc.Record | Indexed, tags: tuple[str, ...]) -> pymarc.Field | None:
    for field in record.get_fields(*tags):
        return field
    return None


def sub(field: pymarc.Field | None, *codes: str) -> str:
    if field is None:
        return ""
    return " ".join([s.value for s in field.subfields if s.code in codes])


def read_title(record: pymarc.Record | Indexed) -> dict[str, Any]:
    field = first(record, ("245",))
    return {
        "title": clean(sub(field, "a")),
        "subtitle": clean(sub(field, "b")),
        "part": clean(sub(field, "n", "p")),
        "responsibility": clean(sub(field, "c")),
    }


def read_publication(record: pymarc.Record | Indexed) -> dict[str, Any]:
    field = first(record, ("264", "260"))
    year = None
    match = YEAR.search(sub(field, "c"))
    if match:
        year = int(match.group(1))
    else:
        control = first(record, ("008",))
        if control is not None and control.data and YEAR.fullmatch(control.data[7:11] or "x"):
            year = int(control.data[7:11])
    return {
        "place": clean(sub(field, "a")),
        "publisher": clean(sub(field, "b")),
        "year": year,
    }


def read_language(record: pymarc.Record | Indexed) -> dict[str, Any]:
    field = first(record, ("041",))
    code = sub(field, "a")[:3]
    if not code:
        control = first(record, ("008",))
        if control is not None and control.data and len(control.data) >= 38:
            code = control.data[35:38].strip()
    return {"language": code.strip().lower()[:3] or "vie"}


def read_isbns(record: pymarc.Record | Indexed) -> dict[str, Any]:
    isbns = []
    for field in record.get_fields("020"):
        for value in field.get_subfields("a"):
            value = canonical(value).strip()
            qualifier = " ".join(field.get_subfields("q"))
            # Old practice wrote the qualifier in $a: "0306406152 (pbk.)".
            match = re.match(r"^([0-9Xx\- ]+?)\s*(\(.*\))?\s*$", value)
            if match and match.group(2) and not qualifier:
                value, qualifier = match.group(1).strip(), match.group(2)
            isbns.append((value, clean(qualifier).strip("()")))
    return {"isbns": isbns}


def subject_heading(field: pymarc.Field) -> str:
    """A 650 as the record's column keeps it: "Lịch sử -- Việt Nam -- Sách thiếu nhi"."""
    parts = [clean(s.value) for s in field.subfields if s.code in SUBJECT_CODES]
    return SUBJECT_JOIN.join(p for p in parts if p)


def read_subjects(record: pymarc.Record | Indexed) -> dict[str, Any]:
    headings = [subject_heading(field) for field in record.get_fields("650")]
    return {"subjects": [heading for heading in headings if heading]}


def read_local(record: pymarc.Record | Indexed) -> dict[str, Any]:
    field = first(record, (LOCAL_TAG,))
    grade = sub(field, "b").strip()
    return {
        "local_doc_type": sub(field, "a").strip(),
        "grade": int(grade) if grade.isdigit() and 1 <= int(grade) <= 12 else None,
        "school_subject": clean(sub(field, "c")),
        "call_number": clean(sub(field, "d")) or clean(sub(first(record, ("090",)), "a", "b")),
    }


def read_simple(
    tags: tuple[str, ...], column: str, codes: str = "a", many: bool = False
) -> Callable[[pymarc.Record | Indexed], dict[str, Any]]:
    def read(record: pymarc.Record | Indexed) -> dict[str, Any]:
        values = [clean(sub(f, *codes)) for f in record.get_fields(*tags)]
        values = [v for v in values if v]
        if many:
            return {column: values}
        return {column: values[0] if values else ""}

    return read


# column group → (the tags it owns, how it is read).
GROUPS: dict[str, tuple[tuple[str, ...], Any]] = {
    "isbns": (("020",), read_isbns),
    "language": (("041",), read_language),
    "classification": (("082",), read_simple(("082",), "classification")),
    "local_class": (("084",), read_simple(("084",), "local_class")),
    "author": (("100", "110", "111"), read_simple(("100", "110", "111"), "author")),
    "title": (("245",), read_title),
    "edition": (("250",), read_simple(("250",), "edition")),
    "publication": (("264", "260"), read_publication),
    "physical": (("300",), read_simple(("300",), "physical", "abce")),
    "series": (("490",), read_simple(("490",), "series", "av")),
    "summary": (("520",), read_simple(("520",), "summary")),
    "subjects": (("650",), read_subjects),
    "other_authors": (("700",), read_simple(("700",), "other_authors", many=True)),
    "local": ((LOCAL_TAG,), read_local),
}


def read_columns(record: pymarc.Record | Indexed) -> dict[str, Any]:
    values: dict[str, Any] = {}
    fields = indexed(record)
    for _tags, read in GROUPS.values():
        values.update(read(fields))
    return values


def from_dict(data: dict[str, Any]) -> pymarc.Record:
    """A pymarc record from its `as_dict()` form (what Record.marc keeps)."""
    record = pymarc.Record(to_unicode=True, force_utf8=True)
    if data.get("leader"):
        record.leader = pymarc.Leader(str(data["leader"]).ljust(24)[:24])
    for entry in data.get("fields", []):
        for tag, value in entry.items():
            if isinstance(value, str):
                record.add_field(pymarc.Field(tag=tag, data=value))
            else:
                record.add_field(
                    pymarc.Field(
                        tag=tag,
                        indicators=pymarc.Indicators(
                            value.get("ind1", " "), value.get("ind2", " ")
                        ),
                        subfields=[
                            pymarc.Subfield(code, text_)
                            for s in value.get("subfields", [])
                            for code, text_ in s.items()
                        ],
                    )
                )
    return record
