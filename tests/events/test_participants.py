"""Who sees an event's participants (issue 8 §3, the first hole): their names, schools, answers,
check-ins and certificates are for the event's organisers, the Sở, the supervisors and the staff
of the participant's own school, the participant, and the other participants of the same event;
never for an officer of an unrelated office or the trainer of an unrelated partner, even though
both see an event aimed at the whole province.

Declared once on the models (`Registration`, `CheckIn`, `Feedback`, `SessionRating`); every page
that names a participant reads them through that policy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from thuvien.access import Action, get_scoped_or_404, resolve_scope
from thuvien.core.testing import make_user
from thuvien.events.models import (
    CheckIn,
    Event,
    Feedback,
    Registration,
    RegistrationStatus,
    SessionRating,
)
from thuvien.organisations import services as units
from thuvien.organisations.models import Role, UnitKind

COMMENT = "Rất bổ ích."


@pytest.fixture
def province_wide(world: Any, event: Event, registration: Registration) -> Event:
    """The world's event aimed at the whole province (so every office and partner sees it), the
    librarian's answer shown as a quote and rated."""
    Event.objects.filter(pk=event.pk).update(target=world.department)
    answer = Feedback.objects.get(registration=registration)
    Feedback.objects.filter(pk=answer.pk).update(quote_shown=True)
    SessionRating.objects.create(feedback=answer, session=event.sessions.first(), rating=5)
    event.refresh_from_db()
    return event


@pytest.fixture
def unrelated_trainer(world: Any) -> Any:
    """The trainer of another partner of the department: sees the event, organises it not."""
    partner = units.create_unit(
        kind=UnitKind.PARTNER, name="Thư viện Trường Đại học khác", parent=world.department
    )
    trainer = make_user("giangvien_khac", "Trần Giảng Khác")
    units.add_membership(trainer, partner, Role.TRAINER)
    return trainer


def unrelated(world: Any, unrelated_trainer: Any) -> list[Any]:
    return [world.office_b_officer, unrelated_trainer]


def quotes(client_for: Any, user: Any, event: Event) -> Any:
    return client_for(user).get(reverse("events:feedback_quotes", args=[event.pk]))


def test_the_unrelated_office_and_partner_see_the_event(
    world, client_for, province_wide, unrelated_trainer
):
    # What makes the hole: both see the event page (the province is its audience) ...
    for user in unrelated(world, unrelated_trainer):
        page = client_for(user).get(reverse("events:event_detail", args=[province_wide.pk]))
        assert page.status_code == 200, user
        assert world.librarian.full_name not in page.content.decode(), user


def test_the_quotes_name_nobody_to_an_unrelated_office_or_partner(
    world, client_for, province_wide, unrelated_trainer
):
    # ... but not who took part, what they said or which school they came from.
    for user in unrelated(world, unrelated_trainer):
        response = quotes(client_for, user, province_wide)
        body = response.content.decode()
        assert response.status_code in (200, 404), user
        assert world.librarian.full_name not in body, user
        assert world.school.name not in body, user
        assert COMMENT not in body, user


def test_the_quotes_for_those_who_see_the_participants(world, client_for, province_wide):
    other_participant = world.thpt_librarian  # another school, registered for the same event
    Registration.objects.create(
        event=province_wide, user=other_participant, school=world.thpt, role=Role.LIBRARIAN,
        status=RegistrationStatus.REGISTERED,
    )  # fmt: skip
    seeing = [
        world.trainer,  # the organiser
        world.dept_officer,  # the Sở
        world.dept_admin,
        world.office_officer,  # the supervisor of the participant's school
        world.principal,  # the head of the participant's school
        world.librarian,  # the participant
        other_participant,  # a participant of the same event
    ]
    for user in seeing:
        body = quotes(client_for, user, province_wide).content.decode()
        assert COMMENT in body and world.librarian.full_name in body, user
    # The audience that did not take part sees the event, not its people.
    for user in (world.outsider, world.principal_a2, world.teacher_librarian):  # a colleague
        body = quotes(client_for, user, province_wide).content.decode()
        assert COMMENT not in body and world.librarian.full_name not in body, user


def test_a_waiting_or_cancelled_person_is_not_a_participant(world, client_for, province_wide):
    for status in (RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED):
        Registration.objects.update_or_create(
            event=province_wide, user=world.outsider,
            defaults={"school": world.outsider_school, "role": Role.LIBRARIAN, "status": status},
        )  # fmt: skip
        body = quotes(client_for, world.outsider, province_wide).content.decode()
        assert world.librarian.full_name not in body, status


def test_the_policy_hides_every_participant_row_from_the_unrelated(
    world, province_wide, unrelated_trainer
):
    models = (Registration, CheckIn, Feedback, SessionRating)
    for user in unrelated(world, unrelated_trainer):
        scope = resolve_scope(user, None)
        for model in models:
            assert not model.objects.visible_to(scope).exists(), (user, model)
    for user in (world.trainer, world.dept_officer, world.office_officer, world.principal):
        scope = resolve_scope(user, None)
        for model in models:
            assert model.objects.visible_to(scope).exists(), (user, model)


def test_no_page_names_a_participant_to_the_unrelated(
    world, client_for, province_wide, unrelated_trainer
):
    event = province_wide
    session = event.sessions.first()
    urls = [
        reverse("events:event_detail", args=[event.pk]),
        reverse("events:feedback_quotes", args=[event.pk]),
        reverse("events:feedback_summary", args=[event.pk]),
        reverse("events:report", args=[event.pk]),
        reverse("events:report_xlsx", args=[event.pk]),
        reverse("events:report_pdf", args=[event.pk]),
        reverse("events:materials", args=[event.pk]),
        reverse("events:attendance", args=[session.pk]),
        reverse("events:gallery", args=[event.pk]),
        reverse("events:certificate_pdf", args=[Registration.objects.get(event=event).pk]),
    ]
    for user in unrelated(world, unrelated_trainer):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            body = response.content.decode(errors="replace")
            assert world.librarian.full_name not in body, (user, url)
            assert COMMENT not in body, (user, url)
            if response.status_code == 200:
                assert response["Content-Type"].startswith("text/html"), (user, url)


def test_the_survey_answers_are_for_the_organisers_and_the_department(
    world, client_for, province_wide
):
    url = reverse("events:feedback_summary", args=[province_wide.pk])
    for user in (world.trainer, world.dept_officer, world.dept_admin):
        body = client_for(user).get(url).content.decode()
        assert COMMENT in body and world.librarian.full_name in body, user
    # The supervisor of the school sees the school's participants elsewhere, not the report.
    assert client_for(world.office_officer).get(url).status_code == 403


def test_a_fellow_participant_sees_the_others_but_acts_only_on_their_own_seat(
    world, client_for, province_wide, registration
):
    """Participants see each other; a principal taking part may not cancel another school's
    seat, nor download another participant's certificate."""
    Registration.objects.create(
        event=province_wide, user=world.principal_a2, school=world.school_a2,
        role=Role.PRINCIPAL, status=RegistrationStatus.REGISTERED,
    )  # fmt: skip
    Registration.objects.filter(pk=registration.pk).update(certificate_code="ma-chung-nhan")
    scope = resolve_scope(world.principal_a2, None)
    assert Registration.objects.visible_to(scope).filter(pk=registration.pk).exists()
    with pytest.raises(PermissionDenied, match="Only the person, their principal or an organiser"):
        get_scoped_or_404(
            Registration.objects.all(), scope, Action.CANCEL_REGISTRATION, pk=registration.pk
        )
    client = client_for(world.principal_a2)
    cancel = client.post(reverse("events:registration_cancel", args=[registration.pk]))
    assert cancel.status_code == 403
    pdf = client.get(reverse("events:certificate_pdf", args=[registration.pk]))
    assert pdf.status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
    # The librarian's own principal may.
    cancelled = client_for(world.principal).post(
        reverse("events:registration_cancel", args=[registration.pk])
    )
    assert cancelled.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_a_participant_who_left_keeps_the_event_s_gallery(world, client_for, province_wide):
    """Without a current membership (they left the school) the participant still opens the
    photos of the event they took part in; no one else without a role does."""
    from thuvien.organisations.models import Membership

    ended = timezone.localdate() - dt.timedelta(days=1)
    Membership.objects.filter(user=world.librarian).update(valid_to=ended)
    gallery = reverse("events:gallery", args=[province_wide.pk])
    assert client_for(world.librarian).get(gallery).status_code == 200
    Membership.objects.filter(user=world.teacher_librarian).update(valid_to=ended)
    assert client_for(world.teacher_librarian).get(gallery).status_code == 404
    Event.objects.filter(pk=province_wide.pk).update(photos_public=True)
    assert client_for(world.teacher_librarian).get(gallery).status_code == 200
