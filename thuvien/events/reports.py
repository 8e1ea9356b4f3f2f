"""The event report: attendance by school and office, the audience's schools that sent nobody,
the survey's averages per session and theme with every comment — in a fixed number of queries.
The documents (`report_workbook`, `report_document`) are always in Vietnamese. The answers name
their authors: they are read through the participants' policy (`models.scoping`) of the scope
the report is made for."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from thuvien.access import Scope
from thuvien.core.templatetags.numbers import format_number
from thuvien.documents import (
    Appendix,
    Block,
    DocumentType,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from thuvien.documents.model import Align
from thuvien.documents.workbook import Sheet, tables_workbook
from thuvien.events.letters import issue_place, signature
from thuvien.events.models import (
    Event,
    EventSession,
    Feedback,
    Registration,
    RegistrationStatus,
    SessionRating,
)
from thuvien.organisations.agencies import abbreviation, issuing_agency, parent_agency
from thuvien.organisations.models import Unit, UnitKind


@dataclass
class Counts:
    invited: int = 0
    registered: int = 0
    waitlisted: int = 0
    attended: int = 0

    def add(self, other: Counts) -> None:
        self.invited += other.invited
        self.registered += other.registered
        self.waitlisted += other.waitlisted
        self.attended += other.attended


@dataclass(frozen=True)
class SchoolLine:
    school: Unit
    group: Unit  # the office above the school, or the department for schools directly under it
    counts: Counts
    targeted: bool


@dataclass
class GroupLine:
    unit: Unit
    schools: int = 0
    sent_nobody: int = 0
    counts: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class Average:
    label: str
    total: int
    count: int
    theme: str = ""

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


@dataclass(frozen=True)
class Answer:
    feedback_id: int
    registration_id: int
    name: str
    school: str
    comments: str
    change_plan: str
    quote_shown: bool


@dataclass(frozen=True)
class FeedbackSummary:
    answers: list[Answer]
    sessions: list[Average]
    themes: list[Average]
    overall: Average


@dataclass(frozen=True)
class EventReport:
    event: Event
    schools: list[SchoolLine]
    groups: list[GroupLine]
    totals: Counts
    sent_nobody: list[SchoolLine]
    feedback: FeedbackSummary
    started: bool  # attendance counts (else registrations) decide who "sent nobody"


def targeted_schools(event: Event) -> QuerySet[Unit]:
    """The active schools of the audience: under `event.target`, of the chosen tiers."""
    rows = Unit.objects.filter(
        kind=UnitKind.SCHOOL, is_active=True, path__startswith=event.target.path
    )
    if not event.targets_all_tiers():
        tiers = Q()
        for tier, chosen in Event.TIER_FIELDS.items():
            if getattr(event, chosen):
                tiers |= Q(**{tier: True})
        rows = rows.filter(tiers)
    return rows


def _counts_by_school(event: Event) -> dict[int, Counts]:
    def status(value: str) -> Count:
        return Count("pk", filter=Q(status=value), distinct=True)

    rows = (
        Registration.objects.filter(event=event)
        .values("school_id")
        .annotate(
            invited=Count("pk", distinct=True),
            registered=status(RegistrationStatus.REGISTERED),
            waitlisted=status(RegistrationStatus.WAITLISTED),
            attended=Count("pk", filter=Q(checkins__isnull=False), distinct=True),
        )
        .order_by()
    )
    return {
        row["school_id"]: Counts(
            row["invited"], row["registered"], row["waitlisted"], row["attended"]
        )
        for row in rows
    }


def _group_of(school: Unit, ancestors: dict[int, Unit]) -> Unit:
    """The nearest office above the school; else its department (or its parent)."""
    chain = [ancestors[pk] for pk in reversed(school.ancestor_ids()) if pk in ancestors]
    office = next((unit for unit in chain if unit.kind == UnitKind.OFFICE), None)
    department = next((unit for unit in chain if unit.kind == UnitKind.DEPARTMENT), None)
    return office or department or (chain[0] if chain else school)


def _groups(schools: list[SchoolLine], started: bool) -> list[GroupLine]:
    groups: dict[int, GroupLine] = {}
    for line in schools:
        group = groups.setdefault(line.group.pk, GroupLine(line.group))
        group.schools += 1
        group.sent_nobody += _sent_nobody(line, started)
        group.counts.add(line.counts)
    # The department first, then the offices by name.
    return sorted(groups.values(), key=lambda g: (g.unit.kind != UnitKind.DEPARTMENT, g.unit.name))


def _sent_nobody(line: SchoolLine, started: bool) -> bool:
    return line.targeted and not (line.counts.attended if started else line.counts.registered)


def feedback_summary(event: Event, scope: Scope) -> FeedbackSummary:
    """Averages per session, per theme and overall, and every answer the scope sees (three
    queries)."""
    sessions = list(EventSession.objects.filter(event=event).select_related("theme"))
    sums = {
        row["session_id"]: (row["total"], row["count"])
        for row in SessionRating.objects.filter(session__event=event)
        .values("session_id")
        .annotate(total=Sum("rating"), count=Count("pk"))
        .order_by()
    }
    per_session: list[Average] = []
    per_theme: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for session in sessions:
        total, count = sums.get(session.pk, (0, 0))
        theme = session.theme.name if session.theme else ""
        per_session.append(Average(session.title, total, count, theme))
        if theme:
            per_theme[theme][0] += total
            per_theme[theme][1] += count
    answers = [
        Answer(f.pk, f.registration_id, f.registration.user.display_name,
               f.registration.school.name, f.comments, f.change_plan, f.quote_shown)
        for f in Feedback.objects.visible_to(scope).filter(registration__event=event)
        .select_related("registration__user", "registration__school")
        .order_by("registration__school__name", "registration__user__full_name", "pk")
    ]  # fmt: skip
    overall = Average("", sum(t for t, _ in sums.values()), sum(c for _, c in sums.values()))
    themes = [Average(name, total, count) for name, (total, count) in per_theme.items()]
    return FeedbackSummary(answers, per_session, themes, overall)


def event_report(event: Event, scope: Scope, *, today: dt.date | None = None) -> EventReport:
    """Attendance and feedback of `event` in a fixed number of queries (the answers those the
    scope sees)."""
    event = Event.objects.select_related("target", "organiser").get(pk=event.pk)
    counts = _counts_by_school(event)
    targeted = set(targeted_schools(event).values_list("pk", flat=True))
    schools = list(Unit.objects.filter(pk__in=targeted | set(counts)).order_by("name", "pk"))
    ancestor_ids = {pk for school in schools for pk in school.ancestor_ids()}
    ancestors = Unit.objects.in_bulk(ancestor_ids)
    lines = [
        SchoolLine(s, _group_of(s, ancestors), counts.get(s.pk, Counts()), s.pk in targeted)
        for s in schools
    ]
    started = event.starts_on <= (today or timezone.localdate())
    totals = Counts()
    for line in lines:
        totals.add(line.counts)
    return EventReport(
        event=event,
        schools=sorted(lines, key=lambda line: (line.group.name, line.school.name)),
        groups=_groups(lines, started),
        totals=totals,
        sent_nobody=[line for line in lines if _sent_nobody(line, started)],
        feedback=feedback_summary(event, scope),
        started=started,
    )


def shown_quotes(event: Event, scope: Scope) -> list[Feedback]:
    """The answers the organiser chose to show on the event page, to those who see the
    participants (an event's audience sees the event, not who took part in it)."""
    return list(
        Feedback.objects.visible_to(scope)
        .filter(registration__event=event, quote_shown=True)
        .select_related("registration__user", "registration__school")
        .order_by("pk")
    )


# --- The documents (always in Vietnamese) ------------------------------------------------------

COUNT_HEADERS = ["Được mời", "Đăng ký", "Danh sách chờ", "Tham dự"]
NONE = "Không có."
CENTRED: list[Align] = ["center"]
LEFT: list[Align] = ["left"]


def _n(value: int) -> str:
    return format_number(value, language="vi")  # 15.067: the document is Vietnamese


def _numbers(counts: Counts) -> list[str]:
    return [_n(n) for n in (counts.invited, counts.registered, counts.waitlisted, counts.attended)]


def _mark(value: float | None) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else "—"


def _school_table(report: EventReport) -> Table:
    header = ["STT", "Trường", "Đơn vị quản lý", *COUNT_HEADERS]
    rows = [
        [str(i), line.school.name, line.group.name, *_numbers(line.counts)]
        for i, line in enumerate(report.schools, start=1)
    ]
    rows.append(["", "Tổng cộng", "", *_numbers(report.totals)])
    align: list[Align] = ["center", "left", "left", *CENTRED * 4]
    return Table([header], rows, widths=(1, 6, 5, 2, 2, 2, 2), align=align)


def _group_table(report: EventReport) -> Table:
    header = ["STT", "Đơn vị", "Số trường", "Không cử người", *COUNT_HEADERS]
    rows = [
        [str(i), g.unit.name, _n(g.schools), _n(g.sent_nobody), *_numbers(g.counts)]
        for i, g in enumerate(report.groups, start=1)
    ]
    align: list[Align] = ["center", "left", *CENTRED * 6]
    return Table([header], rows, widths=(1, 7, 2, 2, 2, 2, 2, 2), align=align)


def _nobody_table(report: EventReport) -> Table:
    rows = [
        [str(i), line.school.name, line.group.name]
        for i, line in enumerate(report.sent_nobody, start=1)
    ]
    return Table([["STT", "Trường", "Đơn vị quản lý"]], rows, widths=(1, 7, 6))


def _rating_table(averages: list[Average], with_theme: bool) -> Table:
    header = ["STT", "Nội dung", *(["Chủ đề"] if with_theme else []), "Điểm TB (1–5)", "Lượt"]
    rows = [
        [str(i), a.label, *([a.theme] if with_theme else []), _mark(a.average), _n(a.count)]
        for i, a in enumerate(averages, start=1)
    ]
    widths = (1, 7, *((5,) if with_theme else ()), 2, 1.5)
    align: list[Align] = ["center", "left", *LEFT * with_theme, "center", "center"]
    return Table([header], rows, widths=widths, align=align)


def _answer_table(summary: FeedbackSummary) -> Table:
    rows = [
        [str(i), a.name, a.school, a.comments, a.change_plan]
        for i, a in enumerate(summary.answers, start=1)
    ]
    header = ["STT", "Họ và tên", "Trường", "Ý kiến", "Dự định thay đổi ở thư viện"]
    return Table([header], rows, widths=(1, 4, 5, 7, 7))


def sheets(report: EventReport) -> list[Sheet]:
    summary = report.feedback
    return [
        Sheet("Theo đơn vị", "TỔNG HỢP THAM DỰ THEO ĐƠN VỊ", _group_table(report)),
        Sheet("Theo trường", "TỔNG HỢP THAM DỰ THEO TRƯỜNG", _school_table(report)),
        Sheet("Không cử người", "CÁC TRƯỜNG KHÔNG CỬ NGƯỜI THAM DỰ", _nobody_table(report)),
        Sheet("Đánh giá phiên", "ĐÁNH GIÁ TỪNG PHIÊN", _rating_table(summary.sessions, True)),
        Sheet("Đánh giá chủ đề", "ĐÁNH GIÁ THEO CHỦ ĐỀ", _rating_table(summary.themes, False)),
        Sheet("Ý kiến", "Ý KIẾN CỦA NGƯỜI THAM DỰ", _answer_table(summary)),
    ]


def report_workbook(report: EventReport) -> bytes:
    """The report's tables as an XLSX: one sheet each, a title row, the header, the rows."""
    return tables_workbook(sheets(report))


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _situation(report: EventReport) -> list[Block]:
    event, totals, summary = report.event, report.totals, report.feedback
    days = _day(event.starts_on)
    if event.ends_on != event.starts_on:
        days += f" – {_day(event.ends_on)}"
    targeted = sum(1 for line in report.schools if line.targeted)
    return [
        Heading("I. TÌNH HÌNH TỔ CHỨC"),
        Paragraph(f"{event.title}; thời gian: {days}; địa điểm: {event.venue}."),
        Paragraph(
            f"Số trường thuộc đối tượng: {targeted}; số trường không cử người tham dự: "
            f"{len(report.sent_nobody)}."
        ),
        Paragraph(
            f"Số người được mời: {totals.invited}; đăng ký: {totals.registered}; danh sách chờ: "
            f"{totals.waitlisted}; tham dự: {totals.attended}."
        ),
        Heading("II. ĐÁNH GIÁ CỦA NGƯỜI THAM DỰ"),
        Paragraph(
            f"Số phiếu khảo sát: {len(summary.answers)}; điểm trung bình chung: "
            f"{_mark(summary.overall.average)} trên 5 ({summary.overall.count} lượt đánh giá)."
        ),
        Paragraph("Số liệu chi tiết tại các phụ lục kèm theo."),
    ]


def report_document(report: EventReport, *, signer: str = "") -> OfficialDocument:
    """The report as an official BÁO CÁO with its tables in landscape appendices; without a
    signer, the organiser's head over a blank name line (signed by hand)."""
    event, organiser = report.event, report.event.organiser
    issued_on = timezone.localdate()
    to = [] if organiser.kind == UnitKind.DEPARTMENT else ["Sở Giáo dục và Đào tạo"]
    appendices = [
        Appendix(s.title, blocks=[s.table] if s.table.rows else [Paragraph(NONE)], landscape=True)
        for s in sheets(report)
    ]
    governing = parent_agency(organiser, issued_on)
    return OfficialDocument(
        parent_agency=governing,
        issuing_agency=issuing_agency(organiser, governing),
        symbol=f"BC-{abbreviation(organiser)}",
        place=issue_place(event),
        issued_on=issued_on,
        kind=DocumentType("BÁO CÁO", f"Kết quả {event.title[:1].lower()}{event.title[1:]}"),
        kinh_gui=to,
        body=_situation(report),
        signature=signature(organiser, signer=signer),
        noi_nhan=[*(["Như trên"] if to else []), "Lưu: VT"],
        appendices=appendices,
    )
