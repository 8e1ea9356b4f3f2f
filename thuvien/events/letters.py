"""The event's invitation (Giấy mời, Nghị định 30/2020 layout), built from the event.

Always in Vietnamese, whatever language the reader chose. The signer is not stored on the event:
the download may give one, else the head of the organiser signs (`default_signature`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from thuvien.documents import (
    Block,
    DocumentType,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from thuvien.events.models import Event, EventSession, EventStatus
from thuvien.organisations.models import Role, UnitKind

DEFAULT_SYMBOL: dict[str, str] = {UnitKind.DEPARTMENT: "SGDĐT", UnitKind.OFFICE: "PGDĐT"}
DEFAULT_POSITION: dict[str, str] = {
    UnitKind.DEPARTMENT: "GIÁM ĐỐC",
    UnitKind.OFFICE: "TRƯỞNG PHÒNG",
    UnitKind.PARTNER: "GIÁM ĐỐC",
}
TIER_WORDS: dict[str, str] = {
    "target_preschool": "mầm non",
    "target_primary": "tiểu học",
    "target_lower_secondary": "trung học cơ sở",
    "target_upper_secondary": "trung học phổ thông",
}
BLANK_PLACE = "………"


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isalpha()).upper()


def symbol(event: Event) -> str:
    """ "GM-SGDĐT": a Giấy mời's symbol starts with its type (Phụ lục III)."""
    given = event.symbol.strip()
    if given.upper().startswith("GM-"):
        return given
    agency = given or DEFAULT_SYMBOL.get(event.organiser.kind) or _initials(event.organiser.name)
    return f"GM-{agency}"


def default_signature(event: Event, user: Any) -> tuple[str, str]:
    """(position, name): the head of the organiser, signed by whoever drafted the event."""
    position = DEFAULT_POSITION.get(event.organiser.kind, "THỦ TRƯỞNG ĐƠN VỊ")
    drafter = event.created_by or user
    return position, getattr(drafter, "display_name", "") or str(drafter)


def audience(event: Event) -> str:
    """ "nhân viên thư viện, giáo viên kiêm nhiệm thư viện các trường trung học phổ thông thuộc
    Sở …" (in Vietnamese: call inside translation.override("vi"))."""
    roles = ", ".join(str(Role(role).label).lower() for role in event.roles) or "cán bộ"
    tiers = [words for field, words in TIER_WORDS.items() if getattr(event, field)]
    schools = f"các trường {', '.join(tiers)}" if tiers else "các trường"
    return f"{roles} {schools} thuộc {event.target.name}"


def _time(session: EventSession) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{start:%H:%M}–{end:%H:%M} ngày {start:%d/%m/%Y}"


def _days(event: Event) -> str:
    if event.starts_on == event.ends_on:
        return f"ngày {event.starts_on:%d/%m/%Y}"
    return f"từ ngày {event.starts_on:%d/%m/%Y} đến ngày {event.ends_on:%d/%m/%Y}"


def _programme(event: Event) -> list[Block]:
    sessions = list(event.sessions.select_related("theme"))
    if not sessions:
        return []
    rows = []
    for index, session in enumerate(sessions, start=1):
        content = session.title + (f" ({session.theme.name})" if session.theme else "")
        if session.is_site_visit:
            content += f" — tham quan {session.venue or event.venue}"
        rows.append([str(index), _time(session), content, session.speaker or "—"])
    header = [["STT", "Thời gian", "Nội dung", "Người trình bày"]]
    table = Table(header, rows, widths=(1, 4, 8, 4), align=("center", "center", "left", "left"))
    return [Heading("CHƯƠNG TRÌNH"), table]


def _body(event: Event) -> list[Block]:
    organisers = ", ".join([event.organiser.name, *(u.name for u in event.co_organisers.all())])
    blocks: list[Block] = [
        Paragraph(f"{organisers} trân trọng kính mời {audience(event)} tham dự {event.title}."),
    ]
    blocks += [Paragraph(line.strip()) for line in event.description.splitlines() if line.strip()]
    first = event.sessions.order_by("starts_at").first()
    start = f"từ {timezone.localtime(first.starts_at):%H giờ %M}, " if first else ""
    blocks.append(Paragraph(f"Thời gian: {start}{_days(event)}."))
    address = f", {event.venue_address}" if event.venue_address else ""
    blocks.append(Paragraph(f"Địa điểm: {event.venue}{address}."))
    blocks += _programme(event)
    closes = event.registration_closes_on
    deadline = f" trước ngày {closes:%d/%m/%Y}" if closes else ""
    blocks.append(
        Paragraph(
            f"Đề nghị quý thầy cô đăng ký tham dự trên hệ thống ThuVien{deadline}. "
            "Trân trọng kính mời."
        )
    )
    return blocks


def invitation(event: Event, *, position: str, signer: str) -> OfficialDocument:
    """The Giấy mời of `event`; before registration opens it is a draft without a number."""
    with translation.override("vi"):
        body = _body(event)
        noi_nhan = ["Như thành phần mời", *(u.name for u in event.co_organisers.all()), "Lưu: VT"]
    numbered = event.status != EventStatus.DRAFT and event.number
    return OfficialDocument(
        issuing_agency=event.organiser.name.upper(),
        symbol=symbol(event),
        number=event.number if numbered else None,
        place=event.place or BLANK_PLACE,
        issued_on=event.invited_on or timezone.localdate(),
        kind=DocumentType("GIẤY MỜI", f"Tham dự {event.title}"),
        body=body,
        signature=Signature(position, signer),
        noi_nhan=noi_nhan,
        drafting_unit="",
    )
