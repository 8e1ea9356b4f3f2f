"""The event's invitation (Giấy mời, Nghị định 30/2020 layout), built from the event, and the
agency block, place and signature it shares with the event report.

Always in Vietnamese, whatever language the reader chose. The signer is not stored on the event:
an organiser may give one when downloading (a name, or one of the organiser's signers); else the
organiser's head signer signs; an organiser that keeps no signer prints its head's position over a
blank name line, for the head signs the official copy by hand (`signature`).
"""

from __future__ import annotations

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
from thuvien.organisations.agencies import (
    abbreviation,
    document_signature,
    issuing_agency,
    parent_agency,
    place_of_issue,
)
from thuvien.organisations.models import Role, Signer, Unit, UnitKind

DEFAULT_POSITION: dict[str, str] = {
    UnitKind.DEPARTMENT: "GIÁM ĐỐC",
    UnitKind.OFFICE: "TRƯỞNG PHÒNG",
    UnitKind.SCHOOL: "HIỆU TRƯỞNG",
}
LIBRARY_HEAD = "GIÁM ĐỐC THƯ VIỆN"  # a partner library ("Thư viện Trường Đại học …")
HEAD_OF_UNIT = "THỦ TRƯỞNG ĐƠN VỊ"
TIER_WORDS: dict[str, str] = {
    "target_preschool": "mầm non",
    "target_primary": "tiểu học",
    "target_lower_secondary": "trung học cơ sở",
    "target_upper_secondary": "trung học phổ thông",
}
BLANK_PLACE = "………"
BLANK_NAME = "………………………"  # the name line the head signs over and writes in by hand


def symbol(event: Event) -> str:
    """ "GM-SGDĐT": a Giấy mời's symbol starts with its type (Phụ lục III)."""
    given = event.symbol.strip()
    if given.upper().startswith("GM-"):
        return given
    return f"GM-{given or abbreviation(event.organiser)}"


def default_position(unit: Unit) -> str:
    """The head of `unit`: "GIÁM ĐỐC" of the department, "GIÁM ĐỐC THƯ VIỆN" of a partner
    library, "THỦ TRƯỞNG ĐƠN VỊ" of another partner."""
    if unit.kind in DEFAULT_POSITION:
        return DEFAULT_POSITION[unit.kind]
    return LIBRARY_HEAD if unit.name.strip().lower().startswith("thư viện") else HEAD_OF_UNIT


def signature(
    unit: Unit, *, position: str = "", signer: str = "", signatory: Signer | None = None
) -> Signature:
    """The name given, else `signatory` (one of the unit's signers), else the unit's head signer,
    else the head's position over a blank name line (never the drafter)."""
    return document_signature(
        unit,
        signer=signatory,
        position=position,
        name=signer,
        default_position=default_position(unit),
        default_name=BLANK_NAME,
    )


def issue_place(event: Event) -> str:
    """The event's place of issue, else the organiser's locality, else a blank Văn thư fills."""
    return event.place.strip() or place_of_issue(event.organiser) or BLANK_PLACE


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


def session_content(session: EventSession, venue: str = "") -> str:
    """ "Title (theme)", or the title alone when it is the theme's name; a site visit adds the
    place visited (`venue`: the event's) unless the title names it."""
    content = session.title.strip()
    theme = session.theme.name.strip() if session.theme else ""
    if theme and theme.casefold() != content.casefold():
        content += f" ({theme})"
    visited = (session.venue or venue).strip()
    if session.is_site_visit and visited and visited.casefold() not in content.casefold():
        content += f" — tham quan {visited}"
    return content


def _programme(event: Event) -> list[Block]:
    sessions = list(event.sessions.select_related("theme"))
    if not sessions:
        return []
    rows = []
    for index, session in enumerate(sessions, start=1):
        content = session_content(session, event.venue)
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


def invitation(
    event: Event, *, position: str = "", signer: str = "", signatory: Signer | None = None
) -> OfficialDocument:
    """The Giấy mời of `event`; before registration opens it is a draft without a number.
    Signed as `signature` says."""
    with translation.override("vi"):
        body = _body(event)
        noi_nhan = ["Như thành phần mời", *(u.name for u in event.co_organisers.all()), "Lưu: VT"]
    numbered = event.status != EventStatus.DRAFT and event.number
    issued_on = event.invited_on or timezone.localdate()
    governing = parent_agency(event.organiser, issued_on)
    return OfficialDocument(
        parent_agency=governing,
        issuing_agency=issuing_agency(event.organiser, governing),
        symbol=symbol(event),
        number=event.number if numbered else None,
        place=issue_place(event),
        issued_on=issued_on,
        kind=DocumentType("GIẤY MỜI", f"Tham dự {event.title}"),
        body=body,
        signature=signature(event.organiser, position=position, signer=signer, signatory=signatory),
        noi_nhan=noi_nhan,
        drafting_unit="",
    )
