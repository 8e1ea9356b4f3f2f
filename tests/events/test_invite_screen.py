"""The organisers' screen to invite named people: school staff of the department found by name,
username or e-mail without accents, ticked, invited and notified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thuvien.core.testing import OUTSIDER_MARK, make_user
from thuvien.events import forms as event_forms
from thuvien.events.models import Event, EventStatus, Registration, RegistrationStatus
from thuvien.events.services import organising
from thuvien.events.views import organise
from thuvien.notifications.models import Notification
from thuvien.organisations import services as units
from thuvien.organisations.models import Role, UnitKind


def invite_url(event: Event) -> str:
    return reverse("events:invite", kwargs={"event_id": event.pk})


def found(response) -> list:
    return [match.user for match in response.context["matches"]]


@pytest.fixture
def other_trainer(world):
    partner = units.create_unit(
        kind=UnitKind.PARTNER, name="Thư viện khác", parent=world.department
    )
    trainer = make_user("giangvien_khac", "Trần Giảng Khác")
    units.add_membership(trainer, partner, Role.TRAINER)
    return trainer


@pytest.fixture
def foreign_librarian(world):
    """A librarian of another department's school: outside the organiser's reach."""
    dept = units.create_unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT khác", parent=None)
    school = units.create_unit(
        kind=UnitKind.SCHOOL, name="Trường THCS khác", parent=dept, has_lower_secondary=True
    )
    person = make_user("thuvien_tinhkhac", "Đặng Thị Thư Khác")
    units.add_membership(person, school, Role.LIBRARIAN)
    return person


def test_search_without_accents_lists_only_school_staff_of_the_department(
    world, client_for, event, django_assert_max_num_queries
):
    client = client_for(world.trainer)
    with django_assert_max_num_queries(12):
        response = client.get(invite_url(event), {"q": "THI"})
    assert response.status_code == 200
    # Lê Thị Hồng is a department officer: not school staff, so not listed.
    assert set(found(response)) == {world.principal, world.librarian, world.thpt_librarian}
    body = response.content.decode()
    assert 'type="checkbox" name="people"' in body and world.thpt_librarian.display_name in body
    assert world.dept_officer.display_name not in body


def test_search_by_username_and_by_e_mail(world, client_for, event):
    client = client_for(world.trainer)
    assert found(client.get(invite_url(event), {"q": "gvkiemnhiem"})) == [world.teacher_librarian]
    by_mail = client.get(invite_url(event), {"q": "thuvien_thpt@example"})
    assert found(by_mail) == [world.thpt_librarian]


def test_readers_trainers_and_other_departments_are_not_found(
    world, client_for, event, foreign_librarian
):
    client = client_for(world.trainer)
    assert found(client.get(invite_url(event), {"q": "huynh minh doc"})) == []  # a reader
    assert found(client.get(invite_url(event), {"q": "ngo van giang"})) == []  # a trainer
    response = client.get(invite_url(event), {"q": "dang thi thu"})
    assert found(response) == [world.librarian]
    assert foreign_librarian.display_name not in response.content.decode()
    # The department's whole tree is the reach, office B's school included.
    assert found(client.get(invite_url(event), {"q": OUTSIDER_MARK.lower()})) == [world.outsider]


def test_without_a_search_nobody_is_listed(world, client_for, event):
    response = client_for(world.trainer).get(invite_url(event))
    assert response.status_code == 200
    assert response.context["matches"] == []
    assert world.librarian.display_name not in response.content.decode()


def test_people_already_registered_are_shown_with_their_status_and_cannot_be_ticked(
    world, client_for, event, registration
):
    response = client_for(world.trainer).get(invite_url(event), {"q": "dang thi thu"})
    body = response.content.decode()
    assert response.context["matches"][0].status == RegistrationStatus.REGISTERED
    assert "Registered" in body
    assert f'value="{world.librarian.pk}" id="person-{world.librarian.pk}" disabled' in body


def test_organiser_invites_a_person_outside_the_audience(world, client_for, event):
    url = invite_url(event) + "?q=doan"
    client = client_for(world.trainer)
    response = client.post(url, {"people": [world.thpt_librarian.pk]})
    assert response.status_code == 302 and response["Location"] == url
    invited = Registration.objects.get(event=event, user=world.thpt_librarian)
    assert invited.status == RegistrationStatus.INVITED
    assert invited.school == world.thpt and invited.nominated_by == world.trainer
    notice = Notification.objects.get(recipient=world.thpt_librarian, kind="events.invited")
    assert notice.url == reverse("events:event_detail", kwargs={"event_id": event.pk})
    page = client.get(url)
    assert "1 person was invited." in page.content.decode()
    assert page.context["matches"][0].status == RegistrationStatus.INVITED


def test_inviting_someone_already_invited_adds_nobody(world, client_for, event):
    client = client_for(world.dept_officer)
    people = {"people": [world.principal.pk, world.thpt_librarian.pk]}
    assert client.post(invite_url(event), people).status_code == 302
    response = client.post(invite_url(event), people, follow=True)
    assert "0 people were invited." in response.content.decode()
    assert Registration.objects.filter(event=event, nominated_by=world.dept_officer).count() == 2
    assert Notification.objects.filter(kind="events.invited").count() == 2


def test_a_person_outside_the_reach_is_refused(world, client_for, event, foreign_librarian):
    client = client_for(world.trainer)
    for person in (foreign_librarian, world.reader, world.dept_officer):
        response = client.post(invite_url(event), {"people": [person.pk]})
        assert response.status_code == 422
        assert "Only staff of the schools of the department" in response.content.decode()
    assert not Registration.objects.filter(
        event=event, user__in=[foreign_librarian, world.reader, world.dept_officer]
    ).exists()
    assert not Notification.objects.filter(kind="events.invited").exists()


def test_ticking_nobody_answers_422(world, client_for, event):
    response = client_for(world.trainer).post(invite_url(event) + "?q=thi", {})
    assert response.status_code == 422
    assert "Tick at least one person to invite." in response.content.decode()


def test_a_draft_event_cannot_invite_yet(world, client_for, event):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.DRAFT)
    client = client_for(world.trainer)
    assert (
        "Open registration before inviting people."
        in client.get(invite_url(event)).content.decode()
    )
    response = client.post(invite_url(event), {"people": [world.thpt_librarian.pk]})
    assert response.status_code == 422
    assert "Open registration before inviting people." in response.content.decode()
    assert not Registration.objects.filter(event=event, user=world.thpt_librarian).exists()


def test_long_results_are_cut_with_a_hint(world, client_for, event, monkeypatch):
    monkeypatch.setattr(event_forms, "MAX_MATCHES", 2)
    monkeypatch.setattr(organise, "MAX_MATCHES", 2)
    response = client_for(world.trainer).get(invite_url(event), {"q": "example.edu.vn"})
    assert len(response.context["matches"]) == 2 and response.context["more"] is True
    assert "Only the first 2 people found are shown" in response.content.decode()


def test_htmx_search_answers_the_results_fragment(world, client_for, event):
    response = client_for(world.trainer).get(
        invite_url(event), {"q": "thi"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="results"' in body and world.librarian.display_name in body


def test_access(world, client, client_for, event, other_trainer):
    url = invite_url(event)
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert client_for(world.trainer).delete(url).status_code == 405
    assert client_for(world.dept_admin).get(url).status_code == 200  # the partner is below
    for user in (world.librarian, world.principal, world.office_officer, world.outsider):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"people": [world.thpt_librarian.pk]}).status_code == 403
    assert client_for(other_trainer).get(url).status_code == 404
    assert (
        client_for(other_trainer).post(url, {"people": [world.thpt_librarian.pk]}).status_code
        == 404
    )
    assert not Registration.objects.filter(event=event, user=world.thpt_librarian).exists()


def test_a_foreign_event_is_not_found(world, client_for):
    foreign = organising.create_event(
        world.department, by=world.dept_officer, title="Hội thảo", starts_on=dt.date(2026, 5, 4),
        ends_on=dt.date(2026, 5, 4), venue="Sở", target=world.office_b, roles=[Role.LIBRARIAN],
    )  # fmt: skip
    assert client_for(world.trainer).get(invite_url(foreign)).status_code == 404


def test_the_event_page_links_to_the_screen_for_organisers_only(world, client_for, event):
    detail = reverse("events:event_detail", kwargs={"event_id": event.pk})
    assert invite_url(event) in client_for(world.trainer).get(detail).content.decode()
    assert invite_url(event) not in client_for(world.librarian).get(detail).content.decode()
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    assert invite_url(event) not in client_for(world.trainer).get(detail).content.decode()
