"""The daily reminders of the self-assessment window: 14, 7, 3 and 1 days before it closes, and on
its last day, the library staff of every school in it whose self-assessment is not handed in yet
(not started, being prepared, returned for changes), and the principal of every school whose
self-assessment waits for approval. Keyed by window, school, person and day: a second run the
same day sends nothing. A few queries whatever the number of schools."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thuvien.notifications.services import Message, deliver
from thuvien.organisations.models import Membership, Role, Unit
from thuvien.standards.models import Assessment, AssessmentStatus, AssessmentWindow

DAYS_BEFORE = (14, 7, 3, 1, 0)
TO_PREPARE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
LIBRARY_STAFF = (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN)


def send_reminders(today: dt.date | None = None) -> Counter[str]:
    """The day's reminders of every open window; how many were sent, by kind."""
    today = today or timezone.localdate()
    sent: Counter[str] = Counter()
    windows = AssessmentWindow.objects.filter(opens_on__lte=today, closes_on__gte=today)
    for window in windows.select_related("target"):
        left = (window.closes_on - today).days
        if left in DAYS_BEFORE:
            for message in deliver(_messages(window, today, left)):
                sent[message.kind] += 1
    return sent


def _messages(window: AssessmentWindow, today: dt.date, left: int) -> list[Message]:
    schools = {
        pk: name
        for pk, name in Unit.objects.schools()
        .filter(is_active=True, path__startswith=window.target.path)
        .values_list("pk", "name")
    }
    status = dict(Assessment.objects.filter(window=window).values_list("school_id", "status"))
    ids = dict(Assessment.objects.filter(window=window).values_list("school_id", "pk"))
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, role, user_id in (
        Membership.objects.current(today)
        .filter(unit_id__in=list(schools), role__in=[*LIBRARY_STAFF, Role.PRINCIPAL])
        .values_list("unit_id", "role", "user_id")
    ):
        people[(unit_id, "principal" if role == Role.PRINCIPAL else "library")].add(user_id)
    closes = window.closes_on.strftime("%d/%m/%Y")
    messages: list[Message] = []
    with translation.override(settings.LANGUAGE_CODE):
        for school_id, name in schools.items():
            state = status.get(school_id)
            values = {"school": name, "year": window.school_year, "day": closes, "days": left}
            if state is None or state in TO_PREPARE:
                kind, who = "standards.prepare_reminder", "library"
                subject = _("The library self-assessment of %(year)s closes on %(day)s") % values
                body = _("%(school)s has not submitted its library self-assessment yet.") % values
                url = reverse("standards:assessment_list")
            elif state == AssessmentStatus.SUBMITTED:
                kind, who = "standards.approve_reminder", "principal"
                subject = (
                    _("The library self-assessment of %(year)s waits for your approval") % values
                )
                body = _("The window closes on %(day)s.") % values
                url = reverse("standards:assessment_detail", args=[ids[school_id]])
            else:
                continue
            for user_id in sorted(people.get((school_id, who), ())):
                messages.append(
                    Message(
                        recipient=user_id,
                        kind=kind,
                        subject=subject,
                        body=body,
                        url=url,
                        key=f"standards-reminder:{window.pk}:{school_id}:{today.isoformat()}",
                    )
                )
    return messages
