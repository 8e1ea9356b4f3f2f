"""Training events of the demo province.

`seed_events` adds, once (it is idempotent), the model case of issue 4 — the training day the
library of Tôn Đức Thắng University ran on 10/11/2018 for the library staff of the province's THPT
schools — as a past event organised by the partner unit "Thư viện Trường Đại học Tôn Đức Thắng"
(created under the department with a trainer when absent), under the cooperation agreement between
the university and the department (its signed copy an illustrative PDF): the six themes as sessions,
a visit to the university library, talks by the department's leaders and an open discussion;
attendance (most THPT schools came, one sent nobody), certificates, survey answers with quotes, and
captioned placeholder photos drawn with Pillow (no real photos). Then an upcoming event of the
department, open for registration: full, with one person on the waiting list, all registered days
before the seeding day, so that a person who joins the list now comes after them.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import textwrap
from pathlib import Path
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from thuvien.documents import (
    BulletList,
    DocumentType,
    OfficialDocument,
    Paragraph,
    Signature,
    render_pdf,
)
from thuvien.events.models import (
    Agreement,
    CheckIn,
    CheckInMethod,
    Event,
    EventMaterial,
    EventSession,
    EventStatus,
    Feedback,
    Photo,
    Registration,
    RegistrationStatus,
    SessionRating,
    Theme,
    new_code,
)
from thuvien.events.services import organising, photos
from thuvien.organisations import services as units
from thuvien.organisations.agencies import governing_agency, place_of_issue
from thuvien.organisations.models import Membership, Role, Unit, UnitKind

PAST_DAY = dt.date(2018, 11, 10)
PARTNER_NAME = "Thư viện Trường Đại học Tôn Đức Thắng"
PARTNER_ADDRESS = "Số 19 đường Nguyễn Hữu Thọ, phường Tân Phong, Quận 7, TP. Hồ Chí Minh"
PARTNER_PLACE = "TP. Hồ Chí Minh"
# A fictional member of the library's staff, so that the partner has a trainer.
TRAINER = ("giangvien_tdtu", "Lê Minh Thư")
AGREEMENT_DAY = dt.date(2018, 3, 15)
AGREEMENT_REFERENCE = "01/TTHT-TĐT-SGDĐT"
AGREEMENT_SCOPE = (
    "Bồi dưỡng nghiệp vụ cho đội ngũ nhân viên thư viện các trường phổ thông",
    "Chia sẻ tài nguyên thông tin và kinh nghiệm tổ chức dịch vụ thư viện",
    "Tư vấn xây dựng thư viện trường học đạt chuẩn theo quy định của Bộ Giáo dục và Đào tạo",
)
PAST_TITLE = "Tập huấn nghiệp vụ thư viện trường học cho cán bộ thư viện các trường THPT"
UPCOMING_TITLE = "Hội thảo xây dựng thư viện trường học đạt chuẩn theo Thông tư 16/2022/TT-BGDĐT"
STAFF = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN)
FONT = Path(__file__).resolve().parent.parent / "documents" / "fonts" / "LiberationSerif-Bold.ttf"
# (start, end) hours of the parts of the day around the six themes.
OPENING = "Phát biểu khai mạc của Lãnh đạo Sở Giáo dục và Đào tạo"
VISIT = "Tham quan Thư viện Trường Đại học Tôn Đức Thắng"
DISCUSSION = "Trao đổi, thảo luận mở"
CLOSING = "Phát biểu bế mạc của Lãnh đạo Sở Giáo dục và Đào tạo"
COMMENTS = (
    "Buổi tập huấn rất bổ ích, nhiều ví dụ thực tế.",
    "Phần ứng dụng công nghệ giúp tôi hiểu cách tổ chức thư viện số.",
    "Mong được tham quan thêm các thư viện trường phổ thông làm tốt.",
    "Thời gian hơi ngắn so với nội dung.",
)
PLANS = (
    "Bố trí lại không gian đọc mở, thân thiện cho học sinh.",
    "Xây dựng kế hoạch tự đánh giá thư viện theo tiêu chuẩn của Bộ.",
    "Tổ chức ngày hội đọc sách mỗi học kỳ.",
    "Số hóa danh mục tài liệu và giới thiệu sách mới trên trang web của trường.",
)
PHOTOS = (
    ("Lãnh đạo Sở phát biểu khai mạc buổi tập huấn", (31, 84, 140)),
    ("Báo cáo viên trình bày chuyên đề phát triển nguồn lực thông tin", (46, 125, 50)),
    ("Học viên thảo luận nhóm về không gian thư viện truyền cảm hứng", (198, 120, 40)),
    ("Tham quan khu tự học của Thư viện Trường Đại học Tôn Đức Thắng", (120, 60, 140)),
    ("Trao đổi, thảo luận mở cuối buổi", (170, 50, 60)),
    ("Chụp ảnh lưu niệm", (60, 60, 60)),
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _staff(schools: list[Unit], today: dt.date) -> list[Membership]:
    rows = Membership.objects.current(today).filter(unit__in=schools, role__in=STAFF)
    return list(rows.select_related("user", "unit").order_by("unit__name", "user__username"))


def _placeholder(caption: str, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 28)
    draw.rectangle((0, 530, 960, 640), fill=(255, 255, 255))
    for line, text in enumerate(textwrap.wrap(caption, 60)[:3]):
        draw.text((24, 545 + 34 * line), text, font=font, fill=(20, 20, 20))
    draw.text((24, 24), "Ảnh minh họa — 10/11/2018", font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _programme(event: Event, partner: Unit) -> list[EventSession]:
    """Opening, three themes, the site visit, three themes, discussion, closing."""
    themes = Theme.shipped()
    slots: list[tuple[str, Theme | None, int, int, int, int, str, bool]] = [
        (OPENING, None, 7, 30, 8, 0, "Lãnh đạo Sở GD&ĐT", False)
    ]
    starts = [(8, 0), (8, 50), (9, 40), (13, 30), (14, 20), (15, 10)]
    for index, theme in enumerate(themes):
        hour, minute = starts[index]
        end = hour * 60 + minute + 45
        speaker = "ThS. báo cáo viên"
        slots.append((theme.name, theme, hour, minute, end // 60, end % 60, speaker, False))
        if index == 2:
            slots.append((VISIT, None, 10, 30, 11, 30, partner.name, True))
    slots += [(DISCUSSION, None, 16, 0, 16, 45, "", False)]
    slots += [(CLOSING, None, 16, 45, 17, 0, "Lãnh đạo Sở GD&ĐT", False)]
    return [
        EventSession.objects.create(
            event=event, title=title, theme=theme, speaker=speaker, order=order,
            starts_at=_at(event.starts_on, h1, m1), ends_at=_at(event.starts_on, h2, m2),
            is_site_visit=visit, venue=partner.name if visit else "",
        )
        for order, (title, theme, h1, m1, h2, m2, speaker, visit) in enumerate(slots)
    ]  # fmt: skip


def _attend(event: Event, staff: list[Membership], rng: random.Random) -> None:
    sessions = list(event.sessions.order_by("starts_at"))
    schools = sorted({m.unit_id for m in staff})
    absent = set(schools[-max(1, len(schools) // 4) :]) if len(schools) > 1 else set()
    checkins, quotes = [], 0
    for member in staff:
        came = member.unit_id not in absent
        registration = Registration.objects.create(
            event=event, user=member.user, school=member.unit, role=member.role,
            status=RegistrationStatus.REGISTERED if came else RegistrationStatus.INVITED,
            invited_at=_at(PAST_DAY - dt.timedelta(days=20), 9),
            registered_at=_at(PAST_DAY - dt.timedelta(days=15), 10) if came else None,
            certificate_code=new_code() if came else "",
            certificate_issued_at=_at(PAST_DAY + dt.timedelta(days=3), 9) if came else None,
        )  # fmt: skip
        if not came:
            continue
        attended = [s for s in sessions if rng.random() < 0.9] or sessions[:1]
        checkins += [
            CheckIn(
                registration=registration,
                school_id=registration.school_id,
                session=s,
                at=s.starts_at,
                method=CheckInMethod.LIST,
            )
            for s in attended
        ]
        answer = Feedback.objects.create(
            registration=registration, comments=rng.choice(COMMENTS), change_plan=rng.choice(PLANS),
            quote_shown=quotes < 2,
        )  # fmt: skip
        quotes += 1
        SessionRating.objects.bulk_create(
            SessionRating(
                feedback=answer,
                school_id=answer.school_id,
                session=s,
                rating=rng.choice((3, 4, 4, 5, 5)),
            )
            for s in attended
        )
    CheckIn.objects.bulk_create(checkins)


def _partner(department: Unit) -> Unit:
    """The university's library under the department, with a trainer; reused when present."""
    partner = Unit.objects.filter(kind=UnitKind.PARTNER, name=PARTNER_NAME).order_by("pk").first()
    if partner is None:
        partner = units.create_unit(
            kind=UnitKind.PARTNER, name=PARTNER_NAME, parent=department, on=AGREEMENT_DAY,
            address=PARTNER_ADDRESS,
        )  # fmt: skip
    if not Membership.objects.current().filter(unit=partner, role=Role.TRAINER).exists():
        username, full_name = TRAINER
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            # The demo password, hashed once for the whole demo: copied from another trainer.
            other = Membership.objects.filter(role=Role.TRAINER).select_related("user").first()
            password = other.user.password if other else make_password(None)
            user = get_user_model().objects.create(
                username=username, full_name=full_name, password=password
            )
        units.add_membership(user, partner, Role.TRAINER, valid_from=AGREEMENT_DAY)
    return partner


def _parties(department: Unit) -> str:
    return f"giữa Trường Đại học Tôn Đức Thắng và {department.name}"


def _agreement_pdf(partner: Unit, department: Unit) -> bytes:
    """An illustrative signed copy of the agreement (no real document is reproduced)."""
    document = OfficialDocument(
        parent_agency=governing_agency(department),
        issuing_agency=department.name.upper(),
        symbol=AGREEMENT_REFERENCE.split("/", 1)[1],
        number=1,
        place=place_of_issue(department) or PARTNER_PLACE,
        issued_on=AGREEMENT_DAY,
        kind=DocumentType("THỎA THUẬN HỢP TÁC", f"Hợp tác toàn diện {_parties(department)}"),
        body=[
            Paragraph(f"Các bên: Trường Đại học Tôn Đức Thắng và {department.name}."),
            Paragraph(f"Đơn vị thực hiện của Nhà trường: {partner.name}."),
            Paragraph("Phạm vi hợp tác:"),
            BulletList(AGREEMENT_SCOPE),
            Paragraph(f"Thỏa thuận có hiệu lực 05 năm kể từ ngày ký, {AGREEMENT_DAY:%d/%m/%Y}."),
            Paragraph("Bản minh họa dùng cho dữ liệu trình diễn của ThuVien.", italic=True),
        ],
        signature=Signature("GIÁM ĐỐC", "(Đã ký)"),
        noi_nhan=["Trường Đại học Tôn Đức Thắng", "Lưu: VT"],
    )
    return render_pdf(document)


def _agreement(partner: Unit, department: Unit) -> Agreement:
    title = f"Thỏa thuận hợp tác toàn diện {_parties(department)}"
    found = Agreement.objects.filter(partner=partner, department=department, title=title).first()
    if found is not None:
        return found
    signed = SimpleUploadedFile(
        "thoa-thuan-hop-tac.pdf", _agreement_pdf(partner, department), "application/pdf"
    )
    return organising.create_agreement(
        partner, department, by=None, signed_file=signed, title=title,
        reference=AGREEMENT_REFERENCE, signed_on=AGREEMENT_DAY, valid_from=AGREEMENT_DAY,
        valid_until=dt.date(2023, 3, 14), scope_text="; ".join(AGREEMENT_SCOPE) + ".",
    )  # fmt: skip


def _past_event(department: Unit, partner: Unit, today: dt.date, rng: random.Random) -> None:
    event = Event.objects.create(
        organiser=partner, agreement=_agreement(partner, department), title=PAST_TITLE,
        description="Theo mô hình buổi tập huấn của Thư viện Trường Đại học Tôn Đức Thắng cho "
        "nhân viên thư viện các trường THPT tỉnh Khánh Hòa ngày 10/11/2018, trong khuôn khổ "
        "thỏa thuận hợp tác toàn diện giữa Nhà trường và Sở Giáo dục và Đào tạo.",
        starts_on=PAST_DAY, ends_on=PAST_DAY, venue=partner.name, venue_address=partner.address,
        target=department, target_roles=f",{Role.LIBRARIAN},{Role.TEACHER_LIBRARIAN},",
        target_upper_secondary=True, status=EventStatus.HELD, photos_public=True,
        number=45, symbol="GM-TVTĐT", place=PARTNER_PLACE,
        invited_on=PAST_DAY - dt.timedelta(days=20),
    )  # fmt: skip
    event.co_organisers.add(department)
    _programme(event, partner)
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL, has_upper_secondary=True, is_active=True)
    _attend(event, _staff(list(schools.filter(path__startswith=department.path)), today), rng)
    files = [
        SimpleUploadedFile(f"anh-{index}.jpg", _placeholder(caption, colour), "image/jpeg")
        for index, (caption, colour) in enumerate(PHOTOS, start=1)
    ]
    for photo, (caption, _colour) in zip(photos.upload_photos(event, files), PHOTOS, strict=True):
        photos.set_caption(photo, caption)


def _upcoming_event(department: Unit, today: dt.date) -> None:
    day, invited = today + dt.timedelta(days=21), today - dt.timedelta(days=10)
    event = Event.objects.create(
        organiser=department, title=UPCOMING_TITLE, starts_on=day, ends_on=day,
        venue=f"Hội trường {department.name}", capacity=6,
        registration_closes_on=day - dt.timedelta(days=3), target=department,
        target_roles=f",{Role.LIBRARIAN},{Role.TEACHER_LIBRARIAN},",
        status=EventStatus.OPEN, number=112, symbol="GM-SGDĐT", invited_on=invited,
    )  # fmt: skip
    themes = Theme.shipped()
    for index, theme in enumerate(themes[-2:] + themes[:1]):
        EventSession.objects.create(
            event=event, title=theme.name, theme=theme, order=index,
            starts_at=_at(day, 8 + 2 * index), ends_at=_at(day, 9 + 2 * index, 45),
        )  # fmt: skip
    # The showcase school (the demo logins') is left out: its people can try registering.
    first_school = Unit.objects.filter(kind=UnitKind.SCHOOL, parent__kind=UnitKind.OFFICE).first()
    staff = [m for m in _staff(list(Unit.objects.filter(kind=UnitKind.SCHOOL)), today)]
    staff = [m for m in staff if first_school is None or m.unit_id != first_school.pk][:7]
    # One a day in the week before seeding, never on the day itself: whoever registers for real
    # comes after them all (the waiting list is ordered by the time of registering).
    for index, member in enumerate(staff):
        Registration.objects.create(
            event=event, user=member.user, school=member.unit, role=member.role,
            status=RegistrationStatus.REGISTERED if index < 6 else RegistrationStatus.WAITLISTED,
            invited_at=_at(invited, 8),
            registered_at=_at(today - dt.timedelta(days=len(staff) - index), 9),
        )  # fmt: skip


@transaction.atomic
def seed_events(
    province: Unit | None = None, *, today: dt.date | None = None, seed: int = 0
) -> None:
    """The demo's two events (see the module docstring); does nothing that is already there."""
    department = province or Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").first()
    if department is None:
        return
    day = today or timezone.localdate()
    rng = random.Random(f"events-{seed}")  # noqa: S311 - demo data, not secrets
    partner = _partner(department)
    if not Event.objects.filter(title=PAST_TITLE, organiser=partner).exists():
        _past_event(department, partner, day, rng)
    if not Event.objects.filter(title=UPCOMING_TITLE, organiser=department).exists():
        _upcoming_event(department, day)


def clear_events_data() -> None:
    """Delete every event, agreement and what hangs off them, files and audit rows included
    (`seed_demo --reset`, development databases only): run before the units and people go."""
    for photo in cast(list[Photo], list(Photo.objects.all())):
        photos.delete_photo(photo)
    for material in cast(list[EventMaterial], list(EventMaterial.objects.all())):
        material.file.delete(save=False)
        material.delete()
    for model in (SessionRating, Feedback, CheckIn, Registration, EventSession):
        model.objects.all().delete()
    Event.objects.all().delete()
    for agreement in Agreement.objects.all():
        if agreement.signed_file:
            agreement.signed_file.delete(save=False)
    Agreement.objects.all().delete()
    for audited in (Registration, Event, Agreement):
        history: Any = getattr(audited, "history", None)
        if history is not None:
            history.all().delete()
