"""The campaign's official letter (Công văn, Nghị định 30/2020 layout), built from the campaign.

The letter is always in Vietnamese, whatever language the reader chose. The signer is not stored on
the campaign: the issuer's head signer signs by default, another of its signers may be chosen (or a
name typed) on the download form (`default_signature`). "Kính gửi" and "Nơi nhận" are the
campaign's two lists; an empty "Kính gửi" names the offices and schools reached as the tree names
them, and so does the body.
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
    Table,
)
from thuvien.organisations.agencies import (
    abbreviation,
    collective_names,
    document_signature,
    governing_agency,
    head_signer,
    issuing_agency,
    place_of_issue,
)
from thuvien.organisations.models import Role, Signer, Unit, UnitKind
from thuvien.training.models import Campaign, Material

DEFAULT_POSITION: dict[str, str] = {
    UnitKind.DEPARTMENT: "GIÁM ĐỐC",
    UnitKind.OFFICE: "TRƯỞNG PHÒNG",
}
BLANK_PLACE = "………"  # Văn thư writes the place in when the campaign has none
BLANK_NAME = "………………………"  # the name line the head signs over and writes in by hand


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _material(material: Material) -> str:
    parts = [material.title, material.author, material.publisher, str(material.year or "")]
    text = ", ".join(part for part in parts if part)
    return f"{text} ({material.url})" if material.url else text


def in_sentence(subject: str) -> str:
    """The trích yếu inside a sentence: "V/v Hướng dẫn …" → "hướng dẫn …" (an abbreviation
    such as "THPT" keeps its capitals)."""
    text = subject.strip().removeprefix("V/v ").strip()
    first = text.split(" ", 1)[0]
    if not first or (len(first) > 1 and first.isupper()):
        return text
    return text[0].lower() + text[1:]


def default_signature(campaign: Campaign, user: Any) -> tuple[str, str]:
    """(position, name) pre-filled on the download form. Empty when the issuer keeps its signers:
    its head signs, with the authority line. Else the head's position over the name of whoever
    drafted the campaign, until the issuer types the signer's (a draft for signing)."""
    if head_signer(campaign.issuer) is not None:
        return "", ""
    position = DEFAULT_POSITION.get(campaign.issuer.kind, "THỦ TRƯỞNG ĐƠN VỊ")
    drafter = campaign.created_by or user
    return position, getattr(drafter, "display_name", "") or str(drafter)


def reached_units(campaign: Campaign) -> tuple[list[str], bool]:
    """The offices the campaign reaches as one letter names them, and whether schools sit
    directly under the issuer within the target ("Các trường trực thuộc Sở")."""
    below = Unit.objects.filter(path__startswith=campaign.target.path, is_active=True)
    offices = list(below.filter(kind=UnitKind.OFFICE).exclude(pk=campaign.issuer_id))
    direct = below.filter(kind=UnitKind.SCHOOL, parent_id=campaign.issuer_id).exists()
    return collective_names(offices), direct


def kinh_gui(campaign: Campaign) -> list[str]:
    """The campaign's "Kính gửi" lines; when empty, the offices and schools it reaches."""
    typed = _lines(campaign.recipients)
    if typed:
        return typed
    if campaign.target_id != campaign.issuer_id:
        return [campaign.target.name]
    offices, direct = reached_units(campaign)
    words = "Sở" if campaign.issuer.kind == UnitKind.DEPARTMENT else "Phòng"
    return [*offices, *([f"Các trường trực thuộc {words}"] if direct else [])]


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
    offices, _direct = reached_units(campaign)
    if campaign.issuer.kind == UnitKind.DEPARTMENT and campaign.office_deadline and offices:
        blocks.append(
            Paragraph(
                f"{' và '.join(offices)} tổng hợp, báo cáo kết quả về Sở trước ngày "
                f"{_day(campaign.office_deadline)}."
            )
        )
    return blocks


def campaign_letter(
    campaign: Campaign, *, position: str = "", signer: str = "", signatory: Signer | None = None
) -> OfficialDocument:
    """The Công văn of `campaign`; a draft (unpublished, or without a number) has a blank number.
    Signed by the name typed (`position`, `signer`), else by `signatory` (one of the issuer's
    signers), else by the issuer's head signer."""
    issuer = campaign.issuer
    with translation.override("vi"):
        body = [*_purpose(campaign), *_content(campaign), *_timeline(campaign)]
        body += _organisation(campaign)
    numbered = campaign.status != "draft" and campaign.number
    drafter = getattr(campaign.created_by, "display_name", "")
    governing = governing_agency(issuer)
    return OfficialDocument(
        parent_agency=governing,
        issuing_agency=issuing_agency(issuer, governing),
        symbol=campaign.symbol or abbreviation(issuer),
        number=campaign.number if numbered else None,
        place=campaign.place or place_of_issue(issuer) or BLANK_PLACE,
        issued_on=campaign.issued_on or timezone.localdate(),
        kind=CongVan(campaign.subject),
        kinh_gui=kinh_gui(campaign),
        can_cu=[_basis(line) for line in _lines(campaign.basis)],
        body=body,
        signature=document_signature(
            issuer,
            signer=signatory,
            position=position,
            name=signer,
            default_position=DEFAULT_POSITION.get(issuer.kind, "THỦ TRƯỞNG ĐƠN VỊ"),
            default_name=drafter or BLANK_NAME,
        ),
        noi_nhan=["Như trên", *_lines(campaign.copies_to)],
        drafting_unit=_drafting_unit(campaign),
    )
