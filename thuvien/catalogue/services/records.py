"""Records of the union catalogue: made from `RecordData`, kept searchable, de-duplicated,
changed with an audit line, merged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields as dataclass_fields
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from thuvien.catalogue import text
from thuvien.catalogue.models import (
    CallNumberRule,
    CatalogueSettings,
    Copy,
    DocType,
    Record,
    RecordIsbn,
    RecordTerm,
    TermField,
)
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.core.folding import canonical, fold, sort_key
from thuvien.organisations.models import Unit

# The RecordData fields that are columns of Record.
COLUMNS = tuple(
    f.name for f in dataclass_fields(RecordData) if f.name not in {"isbns", "holdings", "price_vnd"}
)
TEXT_COLUMNS = tuple(
    name
    for name in COLUMNS
    if name not in {"year", "grade", "marc", "other_authors", "subjects", "doc_type"}
)
REISSUED_YEARLY = {DocType.TEXTBOOK, DocType.TEACHER_BOOK}


def invalid_isbn(value: str) -> str:
    return _(
        "“%(value)s” is not a valid ISBN: check its digits (10 or 13 digits, the last one is a "
        "check digit)."
    ) % {"value": value}


def build(
    data: RecordData,
    *,
    catalogued_by: Unit | None,
    rule: str | None = None,
    use_local_class: bool = False,
    cleaned: bool = False,
) -> Record:
    """An unsaved record from `data`, text canonical and keys computed (the call number by
    `rule` unless `data` has one). `cleaned`: the text of `data` is already as `text.clean`
    leaves it (the MARC reader's is)."""
    values: dict[str, Any] = {name: getattr(data, name) for name in COLUMNS}
    if not cleaned:
        for name in TEXT_COLUMNS:
            values[name] = (
                text.clean(values[name]) if name != "summary" else canonical(values[name]).strip()
            )
        values["other_authors"] = [text.clean(a) for a in data.other_authors if text.clean(a)]
        values["subjects"] = [text.clean(s) for s in data.subjects if text.clean(s)]
    values["catalogued_by_id"] = catalogued_by.pk if catalogued_by is not None else None
    record = _unsaved(values)
    if catalogued_by is not None:
        record.catalogued_by = catalogued_by
    refresh_keys(record, rule=rule, use_local_class=use_local_class)
    return record


def _unsaved(values: dict[str, Any]) -> Record:
    """`Record(**values)` by position, the path Django takes for rows read from the database:
    half the cost of the keyword path, which an import pays for every record. Columns missing
    from `values` take their default (a fresh one each time)."""
    args = [
        values[f.attname] if f.attname in values else None if f.primary_key else f.get_default()
        for f in Record._meta.concrete_fields
    ]
    return Record(*args)  # type: ignore[misc, unused-ignore]  # the stubs type keyword arguments only


def refresh_keys(record: Record, *, rule: str | None = None, use_local_class: bool = False) -> None:
    record.title_folded = fold(record.full_title)[:500]
    record.author_folded = fold(record.author)[:300]
    record.dedup_key = text.dedup_key(record.full_title, record.author, record.edition, record.year)
    record.sort_key = sort_key(record.full_title)
    if not record.call_number:
        record.call_number = call_number(
            record, rule or CallNumberRule.CLASS_MARK3_YEAR, use_local_class=use_local_class
        )


def call_number(record: Record, rule: str, *, use_local_class: bool = False) -> str:
    """The ký hiệu xếp giá by the province's rule: class number, author or title mark, year."""
    klass = (record.local_class if use_local_class else record.classification) or (
        record.classification or record.local_class
    )
    letters = 1 if rule == CallNumberRule.CLASS_MARK1 else 3
    entry = record.author or record.title
    parts = [klass.split("/")[0].strip(), text.mark(entry, letters)]
    if rule == CallNumberRule.CLASS_MARK3_YEAR and record.year:
        parts.append(str(record.year))
    return " ".join(part for part in parts if part)[:100]


def province_rule(unit: Unit | None) -> tuple[str, bool]:
    """The call-number rule the province of `unit` chose (the default when none was)."""
    settings = None
    if unit is not None:
        root = (unit.ancestor_ids() or [unit.pk])[0]
        settings = CatalogueSettings.objects.filter(department_id=root).first()
    if settings is None:
        return CallNumberRule.CLASS_MARK3_YEAR, False
    return settings.call_number_rule, settings.use_local_class


def term_values(record: Record) -> list[tuple[str, str]]:
    """The record's search terms as (field, term): folded syllables of title, authors, subjects,
    series and publisher."""
    by_field: dict[str, set[str]] = {
        TermField.TITLE: text.terms(f"{record.full_title} {record.part}"),
        TermField.AUTHOR: text.terms(" ".join([*record.authors, record.responsibility])),
        TermField.SUBJECT: text.terms(" ".join([*record.subjects, record.school_subject])),
        TermField.OTHER: text.terms(f"{record.series} {record.publisher}"),
    }
    return [(field, term) for field, words in by_field.items() for term in sorted(words)]


def terms_of(record: Record) -> list[RecordTerm]:
    """The record's search terms (unsaved rows)."""
    return [
        RecordTerm(record_id=record.pk, field=field, term=term)
        for field, term in term_values(record)
    ]


def isbn_values(isbns: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(ISBN-13 digits, qualifier) of a record's ISBNs, each once; invalid ones left out."""
    seen: set[str] = set()
    out = []
    for value, qualifier in isbns:
        digits = text.isbn13(value)
        if digits and digits not in seen:
            seen.add(digits)
            out.append((digits, qualifier[:100]))
    return out


def isbn_rows(record: Record, isbns: Iterable[tuple[str, str]]) -> list[RecordIsbn]:
    return [
        RecordIsbn(record_id=record.pk, isbn13=digits, qualifier=qualifier)
        for digits, qualifier in isbn_values(isbns)
    ]


def index(
    records: Sequence[Record], isbns: Sequence[Iterable[tuple[str, str]]] | None = None
) -> None:
    """Write the terms (and, when given, the ISBNs) of saved records, replacing their old ones."""
    ids = [record.pk for record in records]
    RecordTerm.objects.filter(record_id__in=ids).delete()
    RecordTerm.objects.bulk_create(
        [term for record in records for term in terms_of(record)], batch_size=2000
    )
    if isbns is not None:
        RecordIsbn.objects.filter(record_id__in=ids).delete()
        RecordIsbn.objects.bulk_create(
            [
                row
                for record, given in zip(records, isbns, strict=True)
                for row in isbn_rows(record, given)
            ],
            batch_size=2000,
        )


def duplicates_of(
    candidates: Sequence[Record], isbns: Sequence[Iterable[tuple[str, str]]]
) -> list[Record | None]:
    """For each candidate (unsaved), the live record it duplicates, if any: same normalised
    ISBN (unless a textbook of another year: reissued every year, a new record), else the same
    folded title + author + edition + year. Two queries, whatever the number of candidates."""
    return duplicates_of_digits(
        candidates, [[d for d in (text.isbn13(v) for v, _q in given) if d] for given in isbns]
    )


class Candidate(Protocol):
    """What the duplicate test reads of a record to be."""

    doc_type: str
    year: int | None
    dedup_key: str


def duplicates_of_digits(
    candidates: Sequence[Candidate], isbns: Sequence[Iterable[str]]
) -> list[Record | None]:
    """`duplicates_of`, the ISBNs given as ISBN-13 digits."""
    wanted = [set(given) for given in isbns]
    all_isbns = set().union(*wanted) if wanted else set()
    by_isbn: dict[str, list[Record]] = {}
    if all_isbns:
        for row in RecordIsbn.objects.filter(
            isbn13__in=all_isbns, record__deleted_at__isnull=True
        ).select_related("record"):
            by_isbn.setdefault(row.isbn13, []).append(row.record)
    keys = {candidate.dedup_key for candidate in candidates}
    by_key = {
        r.dedup_key: r
        for r in Record.objects.filter(dedup_key__in=keys, deleted_at__isnull=True).order_by("pk")
    }
    found: list[Record | None] = []
    for candidate, digits in zip(candidates, wanted, strict=True):
        match = None
        for isbn in sorted(d for d in digits if d):
            for record in by_isbn.get(isbn, []):
                if _same_edition(candidate, record):
                    match = record
                    break
            if match:
                break
        found.append(match or by_key.get(candidate.dedup_key))
    return found


def _same_edition(candidate: Candidate, record: Record) -> bool:
    yearly = candidate.doc_type in REISSUED_YEARLY or record.doc_type in REISSUED_YEARLY
    return not (yearly and candidate.year and record.year and candidate.year != record.year)


def find_by_isbn(value: str) -> Record | None:
    """Copy cataloguing: the record some school of the province has for this ISBN."""
    digits = text.isbn13(value)
    if digits is None:
        raise CatalogueError(invalid_isbn(value))
    row = (
        RecordIsbn.objects.filter(isbn13=digits, record__deleted_at__isnull=True)
        .select_related("record")
        .order_by("-record__year", "record_id")
        .first()
    )
    return row.record if row else None


def _check(data: RecordData) -> None:
    """What a record typed by a person must have: a title, and only valid ISBNs."""
    if not text.clean(data.title):
        raise CatalogueError(_("Enter the title (245 $a)."))
    for value, _qualifier in data.isbns:
        if value.strip() and text.isbn13(value) is None:
            raise CatalogueError(invalid_isbn(value))


@transaction.atomic
def create_record(data: RecordData, *, school: Unit | None, by: Any) -> Record:
    """A record made by hand (or taken from an SRU target): refused when it duplicates one."""
    _check(data)
    rule, local = province_rule(school)
    # A call number typed by the cataloguer is kept; else the province's rule makes it.
    record = build(data, catalogued_by=school, rule=rule, use_local_class=local)
    duplicate = duplicates_of([record], [data.isbns])[0]
    if duplicate is not None:
        raise CatalogueError(
            _(
                "This record is already in the catalogue: “%(title)s” (%(year)s). "
                "Add copies to it instead."
            )
            % {"title": duplicate.full_title, "year": duplicate.year or "—"}
        )
    record._history_user = by  # type: ignore[attr-defined]
    record.save()
    index([record], [data.isbns])
    return record


EDITABLE = tuple(name for name in COLUMNS if name != "marc")


@transaction.atomic
def update_record(record: Record, data: RecordData, *, by: Any, reason: str = "") -> Record:
    """Change a shared record: every school holding it sees the change, so it is audited (who,
    when, before/after and why). Fields of the MARC record the form does not show are kept."""
    locked = Record.objects.select_for_update().get(pk=record.pk)
    _check(data)
    fresh = build(data, catalogued_by=locked.catalogued_by)
    for name in EDITABLE:
        setattr(locked, name, getattr(fresh, name))
    locked.call_number = text.clean(data.call_number)
    rule, local = province_rule(locked.catalogued_by)
    refresh_keys(locked, rule=rule, use_local_class=local)
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save()
    update_change_reason(locked, reason[:100] or _("Record edited"))
    index([locked], [data.isbns])
    return locked


@transaction.atomic
def merge_records(keep: Record, drop: Record, *, by: Any) -> int:
    """Merge `drop` into `keep`: its copies (every school's), ISBNs and digital resources move,
    it is marked merged (OAI-PMH reports it deleted), and both changes are audited."""
    if keep.pk == drop.pk:
        raise CatalogueError(_("Choose two different records to merge."))
    keep, drop = (
        Record.objects.select_for_update().get(pk=keep.pk),
        Record.objects.select_for_update().get(pk=drop.pk),
    )
    if drop.deleted_at is not None or keep.deleted_at is not None:
        raise CatalogueError(_("One of these records was already merged or deleted."))
    moved = Copy.objects.filter(record=drop).update(record=keep)
    drop.resources.update(record=keep)
    have = set(keep.isbns.values_list("isbn13", flat=True))
    drop.isbns.exclude(isbn13__in=have).update(record=keep)
    drop.merged_into = keep
    drop.deleted_at = timezone.now()
    drop._history_user = by  # type: ignore[attr-defined]
    drop.save()
    update_change_reason(drop, _("Merged into record %(pk)s") % {"pk": keep.pk})
    keep._history_user = by  # type: ignore[attr-defined]
    keep.save()
    update_change_reason(
        keep,
        _("Record %(pk)s merged into it (%(count)s copies moved)")
        % {"pk": drop.pk, "count": moved},
    )
    RecordTerm.objects.filter(record=drop).delete()
    return moved


def search(query: str, *, limit: int = 50) -> list[Record]:
    """Staff search over the union catalogue: every folded syllable of the query must be a term
    of the record (title, author, subject…), or the query is an ISBN. Matches whose title has the
    query's exact diacritics come first."""
    query = canonical(query).strip()
    if not query:
        return []
    rows = Record.objects.live()
    digits = text.isbn13(query) if text.looks_like_isbn(query) else None
    if digits:
        rows = rows.filter(isbns__isbn13=digits)
    else:
        words = sorted(text.terms(query))
        if not words:
            return []
        for word in words:
            rows = rows.filter(pk__in=RecordTerm.objects.filter(term=word).values("record_id"))
    found = list(rows.order_by("sort_key", "pk")[: limit * 4])
    lowered = query.casefold()
    found.sort(key=lambda r: (lowered not in r.full_title.casefold(), r.sort_key))
    return found[:limit]
