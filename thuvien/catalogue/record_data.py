"""A record as every reader of records hands it to the catalogue: the MARC reader, the
spreadsheet reader, the SRU client and the cataloguing form all produce `RecordData`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class HoldingData:
    """A copy described in the source (MARC 852/952, a spreadsheet's copy columns)."""

    barcode: str = ""
    registration_number: str = ""
    location: str = ""
    price_vnd: int | None = None
    collection_code: str = ""
    call_number: str = ""


@dataclass
class RecordData:
    title: str
    doc_type: str = "stk"
    subtitle: str = ""
    responsibility: str = ""
    part: str = ""
    author: str = ""
    other_authors: list[str] = field(default_factory=list)
    edition: str = ""
    place: str = ""
    publisher: str = ""
    year: int | None = None
    physical: str = ""
    series: str = ""
    classification: str = ""
    local_class: str = ""
    subjects: list[str] = field(default_factory=list)
    summary: str = ""
    language: str = "vie"
    grade: int | None = None
    school_subject: str = ""
    call_number: str = ""
    # ISBNs as written in the source, with their qualifiers; invalid ones are reported.
    isbns: list[tuple[str, str]] = field(default_factory=list)
    marc: dict[str, Any] = field(default_factory=dict)
    holdings: list[HoldingData] = field(default_factory=list)
    price_vnd: Decimal | None = None
