"""The standards' official documents (Nghị định 30/2020 layout), built from the data, always in
Vietnamese: the school's biên bản tự đánh giá and tờ trình đề nghị công nhận, the recognising
unit's quyết định công nhận with its list of schools, and the library's development plan.

Drafts: Văn thư gives the number ("Số:    /BB-…"). Each is signed by the unit's head signer (or its
head's position over a blank name line when it keeps none), never by whoever downloads it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from thuvien.core.templatetags.numbers import group_thousands
from thuvien.documents import (
    Appendix,
    Block,
    BulletList,
    DocumentType,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from thuvien.organisations.agencies import (
    abbreviation,
    document_signature,
    issuing_agency,
    parent_agency,
    place_of_issue,
)
from thuvien.organisations.models import Unit, UnitKind
from thuvien.organisations.services import supervisor_on
from thuvien.standards import results
from thuvien.standards.models import (
    Assessment,
    DevelopmentPlan,
    Judgement,
    PlanActionStatus,
    Recognition,
)

POSITIONS: dict[str, str] = {UnitKind.DEPARTMENT: "GIÁM ĐỐC", UnitKind.OFFICE: "TRƯỞNG PHÒNG"}
BLANK_NAME = "………………………"
BLANK_PLACE = "………"
STATUS_WORDS: dict[str, str] = {
    PlanActionStatus.PLANNED: "Chưa thực hiện",
    PlanActionStatus.IN_PROGRESS: "Đang thực hiện",
    PlanActionStatus.DONE: "Hoàn thành",
    PlanActionStatus.DROPPED: "Không thực hiện",
}


def _signature(unit: Unit) -> Signature:
    return document_signature(
        unit,
        default_position=POSITIONS.get(unit.kind, "HIỆU TRƯỞNG"),
        default_name=BLANK_NAME,
    )


def _header(unit: Unit, on: dt.date) -> dict[str, object]:
    parent = parent_agency(unit, on)
    return {
        "parent_agency": parent,
        "issuing_agency": issuing_agency(unit, parent),
        "place": place_of_issue(unit) or BLANK_PLACE,
        "issued_on": on,
        "signature": _signature(unit),
    }


def _number(value: object) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".") if not isinstance(value, int) else str(value)
    whole, _dot, fraction = text.partition(".")
    return group_thousands(int(whole)) + (f",{fraction}" if fraction else "")


def _met(met: bool | None) -> str:
    if met is None:
        return "Chưa đánh giá"
    return "Đạt" if met else "Chưa đạt"


def _criteria_table(result: results.Result) -> Table:
    rows = []
    for n, row in enumerate(result.criteria, start=1):
        criterion = row.criterion
        figure = _number(row.used) if criterion.judgement == Judgement.THRESHOLD else "—"
        rows.append([str(n), criterion.code, criterion.name, figure, _met(row.met)])
    return Table(
        [["STT", "Mã", "Tiêu chí", "Số liệu", "Kết quả"]],
        rows,
        widths=(1, 3, 9, 2, 2),
        align=("center", "left", "left", "right", "center"),
    )


def _level_words(result: results.Result) -> str:
    if result.reached is None:
        return "chưa đạt mức độ nào"
    return f"đạt {result.reached.name}"


def bien_ban(assessment: Assessment) -> OfficialDocument:
    """Biên bản tự đánh giá thư viện: the values and results, criterion by criterion."""
    with translation.override("vi"):
        school, window = assessment.school, assessment.window
        on = (
            timezone.localdate(assessment.submitted_at)
            if assessment.submitted_at
            else timezone.localdate()
        )
        result = results.result_of(assessment)
        body: list[Block] = [
            Paragraph(
                f"Thực hiện kế hoạch tự đánh giá thư viện năm học {window.school_year} theo "
                f"{window.framework_version.framework.name}, {school.name} tiến hành tự đánh giá "
                "thư viện như sau:"
            ),
            Heading("I. KẾT QUẢ THEO TỪNG TIÊU CHÍ"),
            _criteria_table(result),
            Heading("II. KẾT QUẢ THEO TIÊU CHUẨN"),
            BulletList(
                [
                    f"{group.group.name}: "
                    + "; ".join(
                        f"{level.name} {_met(met).lower()}"
                        for level, met in zip(result.levels, group.met, strict=True)
                    )
                    for group in result.groups
                ]
            ),
            Heading("III. KẾT LUẬN"),
            Paragraph(f"Thư viện {school.name} tự đánh giá {_level_words(result)}."),
        ]
        if result.gaps and result.next_level:
            body.append(Paragraph(f"Các tiêu chí cần đạt để lên {result.next_level.name}:"))
            body.append(
                BulletList([f"{gap.criterion.code}: {gap.criterion.name}" for gap in result.gaps])
            )
        if assessment.summary.strip():
            body.append(Paragraph(f"Tự nhận xét của thư viện: {assessment.summary.strip()}"))
        return OfficialDocument(
            **_header(school, on),  # type: ignore[arg-type]
            symbol=f"BB-{abbreviation(school)}",
            kind=DocumentType("BIÊN BẢN", f"Tự đánh giá thư viện năm học {window.school_year}"),
            body=body,
            noi_nhan=[
                n
                for n in [assessment.sent_to.name if assessment.sent_to else "", "Lưu: VT, TV"]
                if n
            ],
        )


def to_trinh(assessment: Assessment) -> OfficialDocument:
    """Tờ trình đề nghị công nhận: from the school to the level that recognises it."""
    with translation.override("vi"):
        school, window = assessment.school, assessment.window
        on = (
            timezone.localdate(assessment.approved_at)
            if assessment.approved_at
            else timezone.localdate()
        )
        recipient = assessment.sent_to or supervisor_on(school, on) or window.issuer
        result = results.result_of(assessment)
        claimed = assessment.level_claimed or result.reached
        level = claimed.name if claimed else "theo kết quả tự đánh giá"
        body: list[Block] = [
            Paragraph(
                f"Căn cứ {window.framework_version.framework.name} "
                f"{window.framework_version.framework.title.lower()};"
            ),
            Paragraph(
                f"Căn cứ kết quả tự đánh giá thư viện năm học {window.school_year} của "
                f"{school.name},"
            ),
            Paragraph(
                f"{school.name} kính trình {recipient.name} xem xét, công nhận thư viện của "
                f"trường đạt {level}."
            ),
            Paragraph("Hồ sơ kèm theo: biên bản tự đánh giá thư viện và các minh chứng."),
            Paragraph(f"Kính trình {recipient.name} xem xét, quyết định."),
        ]
        return OfficialDocument(
            **_header(school, on),  # type: ignore[arg-type]
            symbol=f"TTr-{abbreviation(school)}",
            kind=DocumentType(
                "TỜ TRÌNH",
                f"Đề nghị công nhận thư viện đạt tiêu chuẩn năm học {window.school_year}",
            ),
            kinh_gui=[recipient.name],
            body=body,
            noi_nhan=["Như trên", "Lưu: VT, TV"],
        )


def quyet_dinh(recognition: Recognition) -> OfficialDocument:
    """Quyết định công nhận, with the list of every school recognised by the same decision."""
    with translation.override("vi"):
        unit = recognition.decided_by
        same = (
            Recognition.objects.filter(decided_by=unit, decision_number=recognition.decision_number)
            .select_related("school", "level", "assessment__window")
            .order_by("level__order", "school__name_folded")
        )
        window = recognition.assessment.window
        framework = window.framework_version.framework
        rows = [
            [
                str(n),
                row.school.name,
                row.level.name if row.level else "Chưa đạt",
                row.valid_until.strftime("%d/%m/%Y") if row.valid_until else "—",
            ]
            for n, row in enumerate(same, start=1)
        ]
        valid = recognition.valid_until
        body: list[Block] = [
            Paragraph(
                f"Điều 1. Công nhận thư viện của các trường có tên trong danh sách kèm theo đạt "
                f"tiêu chuẩn theo {framework.name}, năm học {window.school_year}."
            ),
            Paragraph(
                "Điều 2. Quyết định có hiệu lực kể từ ngày ký"
                + (f" đến ngày {valid:%d/%m/%Y}." if valid else ".")
            ),
            Paragraph(
                "Điều 3. Thủ trưởng các đơn vị liên quan và hiệu trưởng các trường có tên tại "
                "Điều 1 chịu trách nhiệm thi hành Quyết định này."
            ),
        ]
        number, _slash, symbol = recognition.decision_number.partition("/")
        header = _header(unit, recognition.decided_on)
        return OfficialDocument(
            **header,  # type: ignore[arg-type]
            symbol=symbol or f"QĐ-{abbreviation(unit)}",
            number=int(number) if number.isdigit() and int(number) > 0 else None,
            kind=DocumentType(
                "QUYẾT ĐỊNH",
                "Về việc công nhận thư viện trường học đạt tiêu chuẩn năm học "
                f"{window.school_year}",
            ),
            can_cu=[
                f"{framework.name} {framework.title.lower()}",
                f"Kết quả kiểm tra, đánh giá thư viện các trường năm học {window.school_year}",
            ],
            body=body,
            noi_nhan=["Như Điều 3", "Lưu: VT"],
            appendices=[
                Appendix(
                    "DANH SÁCH THƯ VIỆN TRƯỜNG HỌC ĐƯỢC CÔNG NHẬN",
                    [
                        Table(
                            [["STT", "Trường", "Mức độ", "Hiệu lực đến"]],
                            rows,
                            widths=(1, 9, 5, 3),
                            align=("center", "left", "left", "center"),
                        )
                    ],
                )
            ],
        )


def ke_hoach(plan: DevelopmentPlan) -> OfficialDocument:
    """Kế hoạch phát triển thư viện: the actions, who, by when, for how much."""
    with translation.override("vi"):
        school = plan.school
        actions = list(plan.actions.all())
        rows = [
            [
                str(n),
                action.title,
                action.criterion_code or "—",
                action.owner or "—",
                action.due_on.strftime("%d/%m/%Y") if action.due_on else "—",
                group_thousands(action.budget_vnd) if action.budget_vnd is not None else "—",
                STATUS_WORDS.get(action.status, action.status),
            ]
            for n, action in enumerate(actions, start=1)
        ]
        total = sum(action.budget_vnd or 0 for action in actions)
        body: list[Block] = [
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            Paragraph(
                plan.goal.strip()
                or f"Phát triển thư viện {school.name} đáp ứng các tiêu chí còn thiếu theo kết quả "
                f"tự đánh giá năm học {plan.school_year}."
            ),
            Heading("II. NHIỆM VỤ"),
            Table(
                [
                    [
                        "STT",
                        "Nhiệm vụ",
                        "Tiêu chí",
                        "Người thực hiện",
                        "Thời hạn",
                        "Kinh phí (đồng)",
                        "Tiến độ",
                    ]
                ],
                rows,
                widths=(1, 8, 3, 4, 3, 3, 3),
                align=("center", "left", "left", "left", "center", "right", "center"),
            ),
            Heading("III. KINH PHÍ"),
            Paragraph(f"Tổng kinh phí dự kiến: {group_thousands(total)} đồng."),
            Heading("IV. TỔ CHỨC THỰC HIỆN"),
            Paragraph(
                "Người làm công tác thư viện chủ trì thực hiện; các tổ chuyên môn phối hợp; "
                "hiệu trưởng kiểm tra, đánh giá việc thực hiện kế hoạch."
            ),
        ]
        return OfficialDocument(
            **_header(school, timezone.localdate()),  # type: ignore[arg-type]
            symbol=f"KH-{abbreviation(school)}",
            kind=DocumentType("KẾ HOẠCH", f"Phát triển thư viện năm học {plan.school_year}"),
            body=body,
            noi_nhan=["Tổ chuyên môn", "Lưu: VT, TV"],
        )
