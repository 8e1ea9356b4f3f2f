"""Class sets: one copy of a title to every student of a class in one action, the class's
copies taken back together, and what a class still holds.

A class set is lent in one transaction: the class's students who do not hold the title yet each
get one available copy (in registration-number order), by the loan rule of the copies'
collection; if there are not enough copies, or a student would go over the rule's limit, nothing
is lent and the message says what is missing. Running it again lends nothing twice. The work is
a fixed number of queries whatever the size of the class (45 students: one insert of loans and
their history, one update of the copies).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from thuvien.catalogue.models import Copy, CopyStatus, Record
from thuvien.circulation.models import DEFAULT_RULE, Loan, Reader, ReaderKind
from thuvien.circulation.services.calendar import due_date, rules_of_kind
from thuvien.circulation.services.errors import CirculationError
from thuvien.organisations.models import Unit


@dataclass(frozen=True)
class ClassSetResult:
    lent: int
    already: int  # students of the class who held the title already


def students_of(school: Unit, class_name: str) -> list[Reader]:
    return list(
        Reader.objects.filter(
            school=school, kind=ReaderKind.STUDENT, active=True, class_name=class_name
        ).order_by("folded_name", "code")
    )


@transaction.atomic
def lend_class_set(
    school: Unit,
    record: Record,
    class_name: str,
    *,
    by: Any,
    now: dt.datetime | None = None,
) -> ClassSetResult:
    now = now or timezone.now()
    students = students_of(school, class_name)
    if not students:
        raise CirculationError(
            _("Class %(class)s has no active student reader.") % {"class": class_name}
        )
    holding = set(
        Loan.objects.filter(
            reader__in=students, copy__record=record, returned_at__isnull=True
        ).values_list("reader_id", flat=True)
    )
    wanting = [student for student in students if student.pk not in holding]
    if not wanting:
        return ClassSetResult(0, len(holding))
    free = list(
        Copy.objects.select_for_update()
        .filter(school=school, record=record, status=CopyStatus.AVAILABLE)
        .exclude(Exists(Loan.objects.filter(copy=OuterRef("pk"), returned_at__isnull=True)))
        .order_by("sequence_id", "number")[: len(wanting)]
    )
    if len(free) < len(wanting):
        raise CirculationError(
            _(
                "Only %(free)s copies of %(title)s are on the shelf for the %(wanting)s students "
                "of class %(class)s who do not hold it: add copies or lend them one by one."
            )
            % {
                "free": len(free),
                "title": record.title,
                "wanting": len(wanting),
                "class": class_name,
            }
        )
    rules = rules_of_kind(school, ReaderKind.STUDENT)
    today = timezone.localtime(now).date()
    loans = []
    by_rule: dict[int | None, list[Reader]] = {}
    dues: dict[int | None, dt.date] = {}
    for student, copy in zip(wanting, free, strict=True):
        rule = rules.get(copy.collection_id) or rules.get(None) or DEFAULT_RULE
        by_rule.setdefault(rule.collection_id, []).append(student)
        if rule.collection_id not in dues:
            dues[rule.collection_id] = due_date(school, rule, today)
        loans.append(
            Loan(
                school=school,
                copy=copy,
                reader=student,
                issued_at=now,
                due_on=dues[rule.collection_id],
                issued_by=by,
            )
        )
    _check_limits(rules, by_rule)
    try:
        with transaction.atomic():
            bulk_create_with_history(loans, Loan, default_user=by)
            Copy.objects.filter(pk__in=[copy.pk for copy in free]).update(status=CopyStatus.ON_LOAN)
    except IntegrityError as error:
        raise CirculationError(
            _("A copy of this set was lent at another desk a moment ago: try again.")
        ) from error
    return ClassSetResult(len(loans), len(holding))


def _check_limits(rules: dict[int | None, Any], by_rule: dict[int | None, list[Reader]]) -> None:
    """No student goes over the limit of the rule the set is lent by (one query a rule)."""
    own = [collection for collection in rules if collection is not None]
    for collection, students in by_rule.items():
        rule = rules.get(collection) or DEFAULT_RULE
        rows = Loan.objects.filter(reader__in=students, returned_at__isnull=True)
        if collection is not None:
            rows = rows.filter(copy__collection_id=collection)
        else:
            rows = rows.exclude(copy__collection_id__in=own)
        counts = Counter(dict(rows.values_list("reader").annotate(n=Count("pk"))))
        over = [student.full_name for student in students if counts[student.pk] >= rule.max_items]
        if over:
            raise CirculationError(
                _("%(names)s already hold the most items the loan rules allow.")
                % {"names": ", ".join(over[:5]) + ("…" if len(over) > 5 else "")}
            )


@transaction.atomic
def return_class_set(
    school: Unit, record: Record, class_name: str, *, by: Any, now: dt.datetime | None = None
) -> int:
    """Every copy of the title the class's students hold, taken back at once."""
    now = now or timezone.now()
    loans = list(
        Loan.objects.select_for_update().filter(
            school=school,
            copy__record=record,
            reader__class_name=class_name,
            reader__kind=ReaderKind.STUDENT,
            returned_at__isnull=True,
        )
    )
    for loan in loans:
        loan.returned_at = max(now, loan.issued_at)
        loan.returned_by = by
    # One history row each, as a return at the desk leaves.
    bulk_update_with_history(loans, Loan, ["returned_at", "returned_by"], default_user=by)
    Copy.objects.filter(pk__in=[loan.copy_id for loan in loans], status=CopyStatus.ON_LOAN).update(
        status=CopyStatus.AVAILABLE
    )
    return len(loans)


@dataclass(frozen=True)
class Held:
    record: Record
    students: list[str]

    @property
    def copies(self) -> int:
        return len(self.students)


def class_holdings(school: Unit, class_name: str) -> list[Held]:
    """What the class's students still hold, title by title."""
    loans = (
        Loan.objects.filter(
            school=school,
            reader__class_name=class_name,
            reader__kind=ReaderKind.STUDENT,
            returned_at__isnull=True,
        )
        .select_related("copy__record", "reader")
        .order_by("copy__record__sort_key", "reader__folded_name")
    )
    grouped: dict[int, Held] = {}
    for loan in loans:
        record = loan.copy.record
        grouped.setdefault(record.pk, Held(record, [])).students.append(loan.reader.full_name)
    return list(grouped.values())


def title_of(school: Unit, code: str) -> Record:
    """The title a class set is of, from one of its copies (barcode or registration number, as
    the librarian scans one copy from the box) or from its ISBN."""
    from thuvien.catalogue.services import CatalogueError
    from thuvien.catalogue.services.records import find_by_isbn

    code = code.strip()
    rows = Copy.objects.select_related("record").filter(school=school)
    copy = rows.scanned(code)
    if copy is not None:
        return copy.record
    try:
        record = find_by_isbn(code) if code else None
    except CatalogueError:
        record = None
    if record is None or not rows.filter(record=record).exists():
        raise CirculationError(
            _("No copy or ISBN of the school's titles is %(code)s: scan one copy of the set.")
            % {"code": code or "—"}
        )
    return record
