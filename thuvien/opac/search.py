"""The public catalogue's search: words typed with or without diacritics, ranked.

- Every word (folded: "Đường" → "duong") must be a term of the record, in any field: the
  intersection of the words' posting lists in the catalogue's term index (`RecordTerm`).
- Only records with a copy the library shows: a copy of a public collection, not withdrawn or
  lost, at the chosen school or at any school of the province.
- Ranked by where each word was found, title above author above subject (above the rest);
  then, among those, a word typed with its marks that the title carries with the same marks
  ("Đường" puts "đường" above "dương"); then by title.
- Facets (document type, grade, subject, year, language, availability) counted on the whole
  result; availability counted once per copy.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from thuvien.catalogue import text
from thuvien.catalogue.models import Copy, CopyStatus, Record, RecordTerm, TermField
from thuvien.circulation.models import Hold, HoldStatus
from thuvien.core.folding import canonical, fold
from thuvien.organisations.models import Unit, UnitKind

PAGE_SIZE = 20
RERANKED = 200  # the first results re-ranked by the marks typed
SHOWN_STATUSES = (CopyStatus.AVAILABLE, CopyStatus.ON_LOAN, CopyStatus.IN_REPAIR)
WEIGHTS = {TermField.TITLE: 8, TermField.AUTHOR: 4, TermField.SUBJECT: 2}
FACETS = ("doc_type", "grade", "school_subject", "year", "language")


def public_copies(library: Unit) -> QuerySet[Copy]:
    """The copies the library's public catalogue shows: of its school, or of every school of
    its province, in public collections, on the shelf or lent."""
    # policy: the public catalogue shows the public collections' copies to anyone, by design
    rows = Copy.objects.filter(collection__public=True, status__in=SHOWN_STATUSES)
    if library.is_school:
        return rows.filter(school=library)
    return rows.filter(school__path__startswith=library.path)


def free_copies(library: Unit) -> QuerySet[Copy]:
    """Copies on the shelf: available, not lent, not set aside for a hold."""
    aside = Hold.objects.filter(copy=OuterRef("pk"), status=HoldStatus.READY)
    return public_copies(library).filter(status=CopyStatus.AVAILABLE).exclude(Exists(aside))


def words_of(query: str) -> list[str]:
    """The typed words, folded, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in fold(query).split():
        for syllable in sorted(text.terms(word)):
            seen.setdefault(syllable, None)
    return list(seen)


@dataclass
class Results:
    query: str
    records: list[Any]  # Records annotated with their score
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    free: dict[int, int] = field(default_factory=dict)  # record → free copies
    held: dict[int, int] = field(default_factory=dict)  # record → copies shown


def matching(library: Unit, words: list[str], filters: dict[str, str]) -> QuerySet[Record]:
    copies = public_copies(library)
    rows = Record.objects.filter(deleted_at__isnull=True, merged_into__isnull=True).filter(
        Exists(copies.filter(record=OuterRef("pk")))
    )
    for word in words:
        # policy: the search index of the shared records, read only through the records above
        rows = rows.filter(pk__in=RecordTerm.objects.filter(term=word).values("record_id"))
    for name in FACETS:
        value = filters.get(name, "")
        if value:
            rows = rows.filter(**{name: value})
    if filters.get("available") == "1":
        rows = rows.filter(Exists(free_copies(library).filter(record=OuterRef("pk"))))
    return rows


def _field_score(words: list[str]) -> Any:
    """Σ over the words of the weight of the best field the record has it in."""
    total: Any = Value(0)
    for word in words:
        cases = [
            When(
                Exists(
                    # policy: the index of the shared record being ranked
                    RecordTerm.objects.filter(record_id=OuterRef("pk"), term=word, field=name)
                ),
                then=Value(weight),
            )
            for name, weight in WEIGHTS.items()
        ]
        total = total + Case(*cases, default=Value(1), output_field=IntegerField())
    return total


def _marked(word: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", word)) or (
        "đ" in word.lower()
    )


def _mark_bonus(typed: list[str], record: Record) -> int:
    """How many of the words typed with marks the title has with the same marks."""
    title_words = set(unicodedata.normalize("NFC", f"{record.title} {record.part}").lower().split())
    return sum(1 for word in typed if word in title_words)


def search(
    library: Unit, query: str, *, filters: dict[str, str] | None = None, page: int = 1
) -> Results:
    filters = filters or {}
    words = words_of(query)
    rows = matching(library, words, filters)
    total = rows.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    # Stored text is canonical (one tone placement: "hoà"); the typed words are made so too.
    typed = [w for w in canonical(query).lower().split() if _marked(w)]
    ranked = rows.annotate(score=_field_score(words)).order_by("-score", "sort_key", "pk")
    start = (page - 1) * PAGE_SIZE
    if typed and start < RERANKED:
        head = list(ranked.only(*_SHOWN)[:RERANKED])
        head.sort(key=lambda r: (-(r.score * 10 + _mark_bonus(typed, r)), r.sort_key, r.pk))
        records = head[start : start + PAGE_SIZE]
    else:
        records = list(ranked.only(*_SHOWN)[start : start + PAGE_SIZE])
    ids = [record.pk for record in records]
    return Results(
        query=query,
        records=records,
        total=total,
        page=page,
        pages=pages,
        facets=facets(rows, library) if words or any(filters.values()) else {},
        free=_count(free_copies(library), ids),
        held=_count(public_copies(library), ids),
    )


_SHOWN = (
    "title", "subtitle", "part", "author", "responsibility", "year", "edition", "publisher",
    "doc_type", "grade", "school_subject", "language", "call_number", "sort_key",
)  # fmt: skip


def _count(copies: QuerySet[Copy], ids: list[int]) -> dict[int, int]:
    return dict(Counter(copies.filter(record_id__in=ids).values_list("record_id", flat=True)))


def facets(rows: QuerySet[Record], library: Unit) -> dict[str, list[tuple[Any, int]]]:
    """Each facet's values on the whole result with their counts (commonest first, at most
    12), and how many results have a copy free."""
    found: dict[str, list[tuple[Any, int]]] = {}
    for name in FACETS:
        counted = Counter(rows.exclude(**{f"{name}__isnull": True}).values_list(name, flat=True))
        counted.pop("", None)
        found[name] = sorted(counted.items(), key=lambda item: (-item[1], str(item[0])))[:12]
    free = rows.filter(Exists(free_copies(library).filter(record=OuterRef("pk")))).count()
    found["available"] = [("1", free)] if free else []
    return found


@dataclass(frozen=True)
class Holding:
    school: Unit
    copies: int
    free: int
    call_number: str
    locations: list[str]


def holdings(library: Unit, record: Record) -> tuple[list[Holding], list[Holding]]:
    """Where the record's copies are: (at this school, elsewhere in the province), one count a
    copy: a copy of the school is never "elsewhere"."""
    province = library if not library.is_school else _province_of(library)
    copies = public_copies(province).filter(record=record).select_related("school")
    free_ids = set(free_copies(province).filter(record=record).values_list("pk", flat=True))
    by_school: dict[int, list[Copy]] = {}
    for copy in copies.order_by("school__path", "pk"):
        by_school.setdefault(copy.school_id, []).append(copy)
    here: list[Holding] = []
    elsewhere: list[Holding] = []
    for rows in by_school.values():
        school = rows[0].school
        holding = Holding(
            school=school,
            copies=len(rows),
            free=sum(1 for copy in rows if copy.pk in free_ids),
            call_number=record.call_number,
            locations=sorted({copy.location for copy in rows if copy.location}),
        )
        (here if library.is_school and school.pk == library.pk else elsewhere).append(holding)
    return here, elsewhere


def _province_of(school: Unit) -> Unit:
    ancestors = school.ancestor_ids()
    province = Unit.objects.filter(pk=ancestors[0]).first() if ancestors else None
    return province or school


def new_acquisitions(library: Unit, *, limit: int = 12) -> list[Record]:
    """The titles whose copies came in last (a new-acquisitions shelf)."""
    recent = (
        public_copies(library)
        .order_by("-registered_on", "-pk")
        .values_list("record_id", flat=True)[:400]
    )
    ids = list(dict.fromkeys(recent))[:limit]
    by_id = {r.pk: r for r in Record.objects.filter(pk__in=ids).only(*_SHOWN)}
    return [by_id[pk] for pk in ids if pk in by_id]


# The public catalogue's own reads of units and records: public by design.


def library_of(library_id: int) -> Unit | None:
    """An active school or department: a public catalogue (a school's, or its province's)."""
    unit = Unit.objects.filter(pk=library_id, is_active=True).first()
    if unit is None or not (unit.is_school or unit.kind == UnitKind.DEPARTMENT):
        return None
    return unit


def default_library() -> Unit | None:
    """The deployment's province (one department a deployment; the first if more)."""
    return Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True).order_by("pk").first()


def schools_named(library: Unit, name: str, *, limit: int = 30) -> list[Unit]:
    """The province's schools whose name holds `name`, diacritics ignored."""
    wanted = fold(name)
    schools = Unit.objects.filter(path__startswith=library.path, is_active=True).schools()
    return [school for school in schools.order_by("path") if wanted in fold(school.name)][:limit]


def public_record(record_id: int) -> Record | None:
    """A live record of the union catalogue (the page then shows where its copies are)."""
    return Record.objects.filter(
        pk=record_id, deleted_at__isnull=True, merged_into__isnull=True
    ).first()
