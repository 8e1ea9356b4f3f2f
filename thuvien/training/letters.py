"""The campaign's official letter (Công văn, Nghị định 30/2020 layout), built from the campaign.

The letter is always in Vietnamese, whatever language the reader chose. The signer is not stored on
the campaign: the download asks for it, with sensible defaults (`default_signature`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation

from thuvien.documents import (
    Block,
    BulletList,
    CongVan,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from thuvien.organisations.agencies import governing_agency, place_of_issue
from thuvien.organisations.models import Role, UnitKind
from thuvien.training.models import Campaign, Material

DEFAULT_SYMBOL: dict[str, str] = {UnitKind.DEPARTMENT: "SGDĐT", UnitKind.OFFICE: "PGDĐT"}
DEFAULT_POSITION: dict[str, str] = {
    UnitKind.DEPARTMENT: "GIÁM ĐỐC",
    UnitKind.OFFICE: "TRƯỞNG PHÒNG",
}
BLANK_PLACE = "………"  # Văn thư writes the place in when the campaign has none


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _material(material: Material) -> str:
    parts = [material.title, material.author, material.publisher, str(material.year or "")]
    text = ", ".join(part for part in parts if part)
    return f"{text} ({material.url})" if material.url else text


def default_signature(campaign: Campaign, user: Any) -> tuple[str, str]:
    """(position, name) offered on the download form: the head of the issuing unit, with the name
    of whoever drafted the campaign until the issuer types the signer's (a draft for signing)."""
    position = DEFAULT_POSITION.get(campaign.issuer.kind, "THỦ TRƯỞNG ĐƠN VỊ")
    drafter = campaign.created_by or user
    return position, getattr(drafter, "display_name", "") or str(drafter)


def _basis(line: str) -> str:
    """A basis line reads "Căn cứ …" (written so when the issuer typed only the document)."""
    return line if line.lower().startswith("căn cứ") else f"Căn cứ {line}"


def _drafting_unit(campaign: Campaign) -> str:
    """ "KHTC" of "SGDĐT-KHTC": the unit that drafted the letter, kept in the archive line."""
    parts = campaign.symbol.split("-")
    return parts[-1] if len(parts) > 1 else ""


def _purpose(campaign: Campaign) -> list[Block]:
    roles = ", ".join(str(Role(role).label).lower() for role in campaign.roles)
    blocks: list[Block] = [Heading("I. MỤC ĐÍCH, YÊU CẦU")]
    blocks += [Paragraph(line) for line in _lines(campaign.purpose)]
    blocks += [Paragraph(line) for line in _lines(campaign.requirements)]
    blocks.append(Paragraph(f"Đối tượng: {roles} các trường thuộc {campaign.target.name}."))
    return blocks


def _content(campaign: Campaign) -> list[Block]:
    blocks: list[Block] = [Heading("II. NỘI DUNG TỰ BỒI DƯỠNG"), Heading("1. Phần chung", 2)]
    materials = [_material(m) for m in campaign.materials.all()]
    blocks.append(Paragraph("Nghiên cứu các tài liệu sau:") if materials else Paragraph("…"))
    if materials:
        blocks.append(BulletList(materials))
    blocks.append(Heading("2. Phần tự chọn", 2))
    topics = [topic.title for topic in campaign.topics.all()]
    count = f"{campaign.topics_per_person:02d}"
    blocks.append(Paragraph(f"Mỗi người chọn {count} chuyên đề trong các chuyên đề sau:"))
    if topics:
        blocks.append(BulletList(topics))
    if campaign.allow_own_topic:
        blocks.append(Paragraph("Có thể đề xuất chuyên đề khác, được Hiệu trưởng phê duyệt."))
    return blocks


def _timeline(campaign: Campaign) -> list[Block]:
    rows = [
        [str(index), m.name, f"{_day(m.start)} – {_day(m.end)}", m.expected_output]
        for index, m in enumerate(campaign.milestones.all(), start=1)
    ]
    blocks: list[Block] = [Heading("III. THỜI GIAN THỰC HIỆN")]
    if rows:
        header = [["STT", "Nội dung", "Thời gian", "Sản phẩm"]]
        blocks.append(
            Table(header, rows, widths=(1, 6, 4, 4), align=("center", "left", "center", "left"))
        )
    return blocks


def _organisation(campaign: Campaign) -> list[Block]:
    blocks: list[Block] = [Heading("IV. TỔ CHỨC THỰC HIỆN")]
    # Guidance written into the draft is part of the letter; guidance published later (as in the
    # letter's "month 3") is a document of its own and does not rewrite the letter.
    if campaign.report_guidance and campaign.guidance_published_at is None:
        blocks += [Paragraph(line) for line in _lines(campaign.report_guidance)]
    elif not campaign.report_guidance or campaign.guidance_published_at is not None:
        blocks.append(Paragraph("Hướng dẫn cụ thể về bài thu hoạch sẽ được ban hành sau."))
    blocks.append(
        Paragraph(
            "Các trường nộp bài thu hoạch đã đánh giá và báo cáo của trường về đơn vị quản lý "
            f"trực tiếp trước ngày {_day(campaign.school_deadline)}."
        )
    )
    if campaign.issuer.kind == UnitKind.DEPARTMENT and campaign.office_deadline:
        blocks.append(
            Paragraph(
                "Các Phòng Giáo dục và Đào tạo tổng hợp, báo cáo kết quả về Sở trước ngày "
                f"{_day(campaign.office_deadline)}."
            )
        )
    return blocks


def campaign_letter(campaign: Campaign, *, position: str, signer: str) -> OfficialDocument:
    """The Công văn of `campaign`; a draft (unpublished, or without a number) has a blank number."""
    with translation.override("vi"):
        body = [*_purpose(campaign), *_content(campaign), *_timeline(campaign)]
        body += _organisation(campaign)
    numbered = campaign.status != "draft" and campaign.number
    return OfficialDocument(
        parent_agency=governing_agency(campaign.issuer),
        issuing_agency=campaign.issuer.name.upper(),
        symbol=campaign.symbol or DEFAULT_SYMBOL.get(campaign.issuer.kind, "…"),
        number=campaign.number if numbered else None,
        place=campaign.place or place_of_issue(campaign.issuer) or BLANK_PLACE,
        issued_on=campaign.issued_on or timezone.localdate(),
        kind=CongVan(campaign.subject),
        kinh_gui=_lines(campaign.recipients),
        can_cu=[_basis(line) for line in _lines(campaign.basis)],
        body=body,
        signature=Signature(position, signer),
        noi_nhan=["Như trên"],
        drafting_unit=_drafting_unit(campaign),
    )
