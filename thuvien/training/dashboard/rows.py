"""What the dashboard shows: figures, rows, submissions, the pending list, the whole `Progress`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from thuvien.organisations.models import Unit, UnitKind
from thuvien.training.models import (
    PRESET_LEVELS,
    Campaign,
    PackageStatus,
    ReportStatus,
    Scale,
    UnitReportStatus,
)

OWN_TOPIC = "own"
SENT = (PackageStatus.SUBMITTED, PackageStatus.ACCEPTED)  # the same words for unit reports
DONE = frozenset({*SENT, UnitReportStatus.FINAL})
_SUBMITTED = Q(report_status__in=(ReportStatus.SUBMITTED, ReportStatus.EVALUATED))
# (code, label, lowest mark) of the mark buckets of the marks-out-of-10 scale, best first.
MARK_BUCKETS = (
    ("9-10", "9–10", Decimal(9)),
    ("7-8.9", "7–8.9", Decimal(7)),
    ("5-6.9", "5–6.9", Decimal(5)),
    ("0-4.9", "< 5", Decimal(0)),
)


@dataclass(frozen=True)
class Bucket:
    code: str
    label: str


def grade_buckets(campaign: Campaign) -> list[Bucket]:
    """The grades of the campaign's scale, best first (marks out of 10 are bucketed)."""
    if campaign.scale == Scale.MARKS_10:
        return [Bucket(code, label) for code, label, _lowest in MARK_BUCKETS]
    if campaign.scale == Scale.CUSTOM:
        return [Bucket(lvl.label, lvl.label) for lvl in campaign.scale_levels.order_by("order")]
    return [Bucket(code, str(label)) for code, label, _passes in PRESET_LEVELS[campaign.scale]]


def bucket_of(grade: str, mark: Decimal | None) -> str:
    if mark is None:
        return grade
    return next(code for code, _label, lowest in MARK_BUCKETS if mark >= lowest)


@dataclass
class Figures:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    evaluated: int = 0
    passed: int = 0
    grades: Counter[str] = field(default_factory=Counter)  # bucket code → people
    topics: Counter[int | str] = field(default_factory=Counter)  # topic id or OWN_TOPIC → people

    COUNTS = ("expected", "submitted", "on_time", "late", "missing", "evaluated", "passed")

    def add(self, other: Figures) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.grades.update(other.grades)
        self.topics.update(other.topics)


@dataclass(frozen=True)
class Submission:
    """A school's package or an office's report, as it stands."""

    status: str  # "not_sent" or a PackageStatus / UnitReportStatus value
    label: str
    late: bool = False
    submitted_at: dt.datetime | None = None
    submitted_to: str = ""


NOT_SENT = "not_sent"


def _labels() -> dict[str | None, str]:
    """status → label, a package's or a report's (the package's statuses are among these)."""
    labels: dict[str | None, str] = {str(s): str(s.label) for s in UnitReportStatus}
    labels[None] = labels[PackageStatus.DRAFT] = _("Not sent")
    return labels


def deadline_ends(deadline: dt.date | None) -> dt.datetime | None:
    """The instant a deadline day ends (midnight after it, in the current time zone)."""
    if deadline is None:
        return None
    return timezone.make_aware(dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time()))


def _submission(
    row: dict[str, Any] | None,
    deadline: dt.date | None,
    labels: dict[str | None, str] | None = None,
    ends: dt.datetime | None = None,
) -> Submission:
    """For a whole table, `labels` (`_labels()`) and `ends` (`deadline_ends(deadline)`) are read
    once: a translation or time-zone lookup per row costs more than the row."""
    labels = labels or _labels()
    if row is None or row["status"] == PackageStatus.DRAFT:
        return Submission(NOT_SENT, labels[None])
    sent = row["submitted_at"]
    ends = ends or deadline_ends(deadline)
    late = sent is not None and ends is not None and sent >= ends
    name = row["submitted_to__name"] or ""
    return Submission(row["status"], labels[row["status"]], late, sent, name)


@dataclass
class Row:
    kind: str  # UnitKind.OFFICE, UnitKind.SCHOOL or "person"
    id: int  # the unit's id, or the person's record (enrolment) id
    name: str
    figures: Figures
    submission: Submission | None = None  # school: its package; office: its report
    # A person's row only:
    status: str = ""
    status_label: str = ""
    deadline: dt.date | None = None
    grade: str = ""
    topic: str = ""
    # (label, people) per grade of the scale, best first; filled by Progress.
    grade_counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Pending:
    """A unit that has not submitted yet: a school's package or an office's report."""

    kind: str
    id: int
    name: str
    status_label: str
    returned: bool = False  # a school's package returned for revision


class PendingList:
    """The units that have not submitted: the offices first (a short list, already read), then
    the schools from a query (`tree._pending_schools`: id, name, package status), read a slice
    at a time, so that a paginator shows a page of 2,000 names with two small queries (count,
    page); iterating reads them all (the XLSX)."""

    def __init__(
        self,
        first: list[Pending],
        schools: QuerySet[Any, Any] | None = None,
        counted: int | None = None,
    ) -> None:
        """`counted`: how many `schools` holds, when a query already counted them."""
        self.first, self.schools = first, schools
        self._count = None if counted is None else len(first) + counted

    def count(self) -> int:
        if self._count is None:
            more = self.schools.count() if self.schools is not None else 0
            self._count = len(self.first) + more
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.count() > 0

    def __getitem__(self, index: slice) -> list[Pending]:
        start, stop = index.start or 0, index.stop
        head = self.first[start:stop]
        offices = len(self.first)
        if self.schools is None or (stop is not None and stop <= offices):
            return head
        labels = _labels()
        returned, not_sent = labels[PackageStatus.RETURNED], labels[None]
        rows = self.schools[max(start - offices, 0) : None if stop is None else stop - offices]
        schools = [
            Pending(UnitKind.SCHOOL, pk, name, returned if was_returned else not_sent, was_returned)
            for pk, name, was_returned in rows
        ]
        return head + schools

    def __iter__(self) -> Iterator[Pending]:
        return iter(self[0:None])


@dataclass(frozen=True)
class PendingGroups:
    """A page of the not-submitted list, as the page shows it: offices, then schools whose
    package was returned, then schools that have not sent it."""

    offices: list[Pending]
    returned: list[Pending]
    not_sent: list[Pending]


def pending_groups(units: list[Pending]) -> PendingGroups:
    schools = [unit for unit in units if unit.kind == UnitKind.SCHOOL]
    return PendingGroups(
        [unit for unit in units if unit.kind == UnitKind.OFFICE],
        [unit for unit in schools if unit.returned],
        [unit for unit in schools if not unit.returned],
    )


@dataclass
class Progress:
    campaign: Campaign
    unit: Unit
    day: dt.date
    rows: list[Row]
    totals: Figures
    own: Submission | None
    pending: PendingList
    buckets: list[Bucket]
    topic_titles: dict[int | str, str]

    summed: bool = False  # the totals are already the rows' sum (rolled up from the counts)

    def finish(self) -> Progress:
        """Sum the rows into the totals and lay out each row's grades in the scale's order."""
        for row in self.rows:
            if not self.summed:
                self.totals.add(row.figures)
            row.grade_counts = [(b.label, row.figures.grades[b.code]) for b in self.buckets]
        return self

    @property
    def total_grades(self) -> list[tuple[Bucket, int]]:
        return [(bucket, self.totals.grades[bucket.code]) for bucket in self.buckets]

    @property
    def total_topics(self) -> list[tuple[str, int]]:
        return [(title, self.totals.topics[key]) for key, title in self.topic_titles.items()]

    @property
    def people(self) -> bool:
        return self.unit.is_school
