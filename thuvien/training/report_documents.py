"""The aggregate report (Báo cáo tổng hợp) as an official BÁO CÁO (Nghị định 30/2020, Mẫu 1.4),
with its figures in landscape appendices, and the same tables as an XLSX workbook.

Like the campaign letter, the document is always in Vietnamese. The unit's head signer signs (or
the signer chosen among the unit's); a unit that keeps no signer prints the name of the person who
sent (or finalised) the report, else of whoever downloads the draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone, translation

from thuvien.documents import (
    Appendix,
    Block,
    DocumentType,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from thuvien.documents.text import date_words
from thuvien.documents.workbook import Sheet, tables_workbook
from thuvien.organisations.agencies import (
    abbreviation,
    document_signature,
    governing_agency,
    head_signer,
    issuing_agency,
    place_of_issue,
)
from thuvien.organisations.models import Signer, UnitKind
from thuvien.training.figures import Figures, OfficeRow, Person, SchoolRow, Tally
from thuvien.training.letters import BLANK_NAME, BLANK_PLACE, DEFAULT_POSITION, in_sentence
from thuvien.training.models import UnitReport

PACKAGE_WORDS = {
    "draft": "Chưa gửi",
    "submitted": "Đã nộp",  # as the pages say it (one label a state), and one line a row
    "returned": "Trả lại để chỉnh sửa",
    "accepted": "Đã tiếp nhận",
}
REPORT_WORDS = {
    "draft": "Chưa gửi",
    "submitted": "Đã gửi",
    "returned": "Trả lại để chỉnh sửa",
    "accepted": "Đã tiếp nhận",
    "final": "Chính thức",
}
NONE = "Không có."


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _counts(tally: Tally) -> list[str]:
    values = (tally.expected, tally.submitted, tally.on_time, tally.late, tally.missing)
    return [str(n) for n in (*values, tally.evaluated, tally.passed)]


COUNT_HEADERS = [
    "Số người",
    "Đã nộp",
    "Đúng hạn",
    "Trễ hạn",
    "Chưa nộp",
    "Đã đánh giá",
    "Đạt yêu cầu",
]


def _school_table(figures: Figures) -> Table:
    levels = figures.levels
    province = figures.province
    header = ["STT", "Trường", *(["Đơn vị quản lý"] if province else []), *COUNT_HEADERS]
    header += [str(level.label) for level in levels] + ["Hồ sơ của trường", "Ngày gửi"]
    rows = []
    for index, row in enumerate(figures.schools, start=1):
        status = PACKAGE_WORDS[row.package.status] if row.package else "Chưa lập"
        if row.late:
            status += " (trễ hạn)"
        grades = [str(row.tally.grades[level.code]) for level in levels]
        via = [row.via.name if row.via else ""] if province else []
        cells = [str(index), row.school.name, *via, *_counts(row.tally), *grades]
        rows.append([*cells, status, _day(row.sent_on)])
    total = figures.totals
    grades = [str(total.grades[level.code]) for level in levels]
    rows.append(["", "Tổng cộng", *([""] if province else []), *_counts(total), *grades, "", ""])
    fixed = (1, 6, *((4,) if province else ()))
    widths = (*fixed, *[1.4] * (len(COUNT_HEADERS) + len(levels)), 3, 2.2)
    align: list[Any] = ["center", "left", *(["left"] if province else [])]
    align += ["center"] * (len(COUNT_HEADERS) + len(levels)) + ["left", "center"]
    return Table([header], rows, widths=widths, align=align)


def _office_table(offices: Sequence[OfficeRow]) -> Table:
    header = ["STT", "Đơn vị", "Số trường", "Đã gửi hồ sơ", *COUNT_HEADERS, "Báo cáo", "Ngày gửi"]
    rows = []
    for index, row in enumerate(offices, start=1):
        report = row.report
        status = REPORT_WORDS[report.status] if report else "Chưa lập"
        if report is not None and report.is_late:
            status += " (trễ hạn)"
        sent = timezone.localdate(report.submitted_at) if report and report.submitted_at else None
        cells = [str(index), row.office.name, str(row.schools), str(row.sent)]
        rows.append([*cells, *_counts(row.tally), status, _day(sent)])
    widths = (1, 6, 1.6, 1.6, *[1.4] * len(COUNT_HEADERS), 3, 2.2)
    align: list[Any] = ["center", "left"] + ["center"] * (2 + len(COUNT_HEADERS))
    return Table([header], rows, widths=widths, align=[*align, "left", "center"])


def _grade_table(figures: Figures) -> Table:
    rows = [
        [str(i), str(level.label), "Đạt" if level.passes else "Chưa đạt", str(n), f"{pct:g}%"]
        for i, (level, n, pct) in enumerate(figures.grade_rows, start=1)
    ]
    header = [["STT", "Mức đánh giá", "Kết quả", "Số người", "Tỉ lệ"]]
    return Table(
        header, rows, widths=(1, 5, 3, 2, 2), align=("center", "left", "left") + ("center",) * 2
    )


def _topic_table(figures: Figures) -> Table:
    rows = [[str(i), title, str(n)] for i, (title, n) in enumerate(figures.topics, start=1)]
    start = len(rows) + 1
    rows += [
        [str(i), f"{title} (chuyên đề tự đề xuất)", str(n)]
        for i, (title, n) in enumerate(figures.own_topics, start=start)
    ]
    header = [["STT", "Chuyên đề", "Số người chọn"]]
    return Table(header, rows, widths=(1, 8, 2), align=("center", "left", "center"))


def _people_table(people: Sequence[Person], day_header: str) -> Table:
    with translation.override("vi"):
        rows = [
            [str(i), p.name, p.school, _day(p.day), str(p.status_label)]
            for i, p in enumerate(people, start=1)
        ]
    header = [["STT", "Họ và tên", "Trường", day_header, "Tình trạng bài thu hoạch"]]
    return Table(
        header, rows, widths=(1, 5, 6, 2.5, 3.5), align=("center", "left", "left", "center", "left")
    )


def _not_sent_table(rows: Sequence[SchoolRow]) -> Table:
    body = [
        [str(i), row.school.name, PACKAGE_WORDS[row.package.status] if row.package else "Chưa lập"]
        for i, row in enumerate(rows, start=1)
    ]
    return Table([["STT", "Trường", "Tình trạng hồ sơ"]], body, widths=(1, 8, 3))


def sheets(figures: Figures) -> list[Sheet]:
    """The appendix tables, in order; the XLSX has one sheet each."""
    late = _people_table(figures.late, "Ngày nộp")
    missing = _people_table(figures.missing, "Hạn nộp")
    with translation.override("vi"):
        found = [
            Sheet("Theo trường", "TỔNG HỢP KẾT QUẢ THEO TRƯỜNG", _school_table(figures)),
            Sheet("Phân loại", "PHÂN LOẠI KẾT QUẢ ĐÁNH GIÁ", _grade_table(figures)),
            Sheet("Chuyên đề", "CHUYÊN ĐỀ TỰ CHỌN", _topic_table(figures)),
            Sheet("Nộp trễ hạn", "DANH SÁCH NỘP BÀI THU HOẠCH TRỄ HẠN", late),
            Sheet("Quá hạn chưa nộp", "DANH SÁCH QUÁ HẠN CHƯA NỘP BÀI THU HOẠCH", missing),
            Sheet("Chưa gửi hồ sơ", "CÁC TRƯỜNG CHƯA GỬI HỒ SƠ", _not_sent_table(figures.not_sent)),
        ]
    if figures.province:
        found.insert(
            0, Sheet("Theo đơn vị", "TỔNG HỢP THEO ĐƠN VỊ", _office_table(figures.offices))
        )
    return found


def _situation(figures: Figures) -> list[Block]:
    total = figures.totals
    sent = len(figures.schools) - len(figures.not_sent)
    return [
        Heading("I. TÌNH HÌNH CHUNG"),
        Paragraph(
            f"Tổng số trường: {len(figures.schools)}, đã gửi hồ sơ: {sent}, "
            f"chưa gửi: {len(figures.not_sent)}."
        ),
        Paragraph(
            f"Tổng số người tham gia: {total.expected}; đã nộp bài thu hoạch: {total.submitted} "
            f"(đúng hạn: {total.on_time}, trễ hạn: {total.late}); quá hạn chưa nộp: "
            f"{total.missing}; chưa đến hạn: {total.pending}."
        ),
        Paragraph(
            f"Đã đánh giá: {total.evaluated}, đạt: {total.passed}. Số liệu chi tiết tại các "
            "phụ lục kèm theo."
        ),
    ]


def _narrative(heading: str, text: str) -> list[Block]:
    return [Heading(heading), *(Paragraph(line) for line in _lines(text) or ["…"])]


def _table_blocks(sheet: Sheet) -> list[Block]:
    return [sheet.table] if sheet.table.rows else [Paragraph(NONE)]


def unit_report_document(
    report: UnitReport,
    figures: Figures,
    *,
    signer: str = "",
    position: str = "",
    signatory: Signer | None = None,
) -> OfficialDocument:
    """The report as a BÁO CÁO: signed by the name given (`signer`, with `position`), else by
    `signatory` (one of the unit's signers), else by the unit's head signer."""
    campaign, unit = report.campaign, report.unit
    year = campaign.school_year
    supervisor = report.submitted_to or (unit.parent if unit.kind == UnitKind.OFFICE else None)
    sent = timezone.localdate(report.submitted_at) if report.submitted_at else None
    basis = f"Căn cứ Công văn số {campaign.reference or '…'}"
    if campaign.issued_on:
        basis += f" {date_words(campaign.issued_on)}"
    basis += f" của {campaign.issuer.name} về việc {in_sentence(campaign.subject)}"
    body = [*_situation(figures), *_narrative("II. KẾT QUẢ ĐẠT ĐƯỢC", report.results)]
    body += _narrative("III. HẠN CHẾ", report.limitations)
    body += _narrative("IV. ĐỀ XUẤT, KIẾN NGHỊ", report.proposals)
    appendices = [
        Appendix(sheet.title, blocks=_table_blocks(sheet), landscape=True)
        for sheet in sheets(figures)
    ]
    governing = governing_agency(unit, supervisor)
    return OfficialDocument(
        parent_agency=governing,
        issuing_agency=issuing_agency(unit, governing),
        symbol=report.symbol or f"BC-{abbreviation(unit)}",
        number=report.number,
        place=report.place
        or (campaign.place if unit.pk == campaign.issuer_id else "")
        or place_of_issue(unit)
        or BLANK_PLACE,
        issued_on=sent or timezone.localdate(),
        kind=DocumentType(
            "BÁO CÁO",
            f"Kết quả tự bồi dưỡng chuyên môn nghiệp vụ thư viện năm học {year}–{year + 1}",
        ),
        kinh_gui=[supervisor.name] if supervisor else [],
        can_cu=[basis],
        body=body,
        signature=document_signature(
            unit,
            signer=signatory,
            position=position,
            name=signer,
            default_position=DEFAULT_POSITION.get(unit.kind, "THỦ TRƯỞNG ĐƠN VỊ"),
            default_name=BLANK_NAME,
        ),
        noi_nhan=[*(["Như trên"] if supervisor else []), "Lưu: VT"],
        appendices=appendices,
    )


def signer_name(report: UnitReport, user: Any) -> str:
    """The name to print when the unit keeps no signer: whoever sent the report, else `user`;
    "" when it keeps one or one was chosen (a signer signs, never silently the person logged in)."""
    if report.signer_id is not None or head_signer(report.unit) is not None:
        return ""
    person = report.submitted_by or user
    return getattr(person, "display_name", "") or str(person)


def workbook(figures: Figures) -> bytes:
    """The appendix tables as an XLSX: one sheet each, a title row, then the header and rows."""
    return tables_workbook(sheets(figures))
