"""Event rows for the named test world (`thuvien.organisations.testing.build_world` calls
`extend_world`).

The partner library's agreement with the department and its training day for office A's schools:
two sessions, school A1's librarian registered, checked in by QR at the first session; feedback.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from thuvien.events.models import (
    Agreement,
    CheckIn,
    CheckInMethod,
    Event,
    EventSession,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
    Theme,
)
from thuvien.organisations.models import Role
from thuvien.organisations.testing import World


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def extend_world(world: World) -> Event:
    day = dt.date(2025, 11, 10)
    agreement = Agreement.objects.create(
        partner=world.partner,
        department=world.department,
        title="Thỏa thuận hợp tác toàn diện",
        signed_on=dt.date(2025, 3, 1),
        valid_from=dt.date(2025, 3, 1),
    )
    event = Event.objects.create(
        organiser=world.partner,
        agreement=agreement,
        title="Tập huấn công tác thư viện trường học",
        starts_on=day,
        ends_on=day,
        venue="Thư viện Trường Đại học Tôn Đức Thắng",
        capacity=40,
        target=world.office,
        target_roles=f",{Role.LIBRARIAN},{Role.TEACHER_LIBRARIAN},",
        status=EventStatus.OPEN,
        created_by=world.trainer,
    )
    # The themes ship in a data migration, but a transactional test's flush removes them.
    themes = Theme.shipped()[:2]
    sessions = [
        EventSession.objects.create(
            event=event,
            title=f"Chuyên đề {index + 1}",
            theme=theme,
            speaker="ThS. Ngô Văn Giảng",
            starts_at=_at(day, 8 + 2 * index),
            ends_at=_at(day, 10 + 2 * index),
            order=index,
        )
        for index, theme in enumerate(themes)
    ]
    registration = Registration.objects.create(
        event=event,
        user=world.librarian,
        school=world.school,
        role=Role.LIBRARIAN,
        status=RegistrationStatus.REGISTERED,
        registered_at=_at(day - dt.timedelta(days=10), 9),
    )
    CheckIn.objects.create(
        registration=registration,
        session=sessions[0],
        at=sessions[0].starts_at,
        method=CheckInMethod.QR,
        recorded_by=world.librarian,
    )
    Feedback.objects.create(registration=registration, comments="Rất bổ ích.")
    return event
