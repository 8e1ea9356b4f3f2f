"""The home page's to-do list, training's part (`training.home`): each role sees its next steps,
read through the policies, each a link to the page where the step is done; a constant number of
queries whatever the scope."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.training import todo_world
from thuvien.core.testing import make_user
from thuvien.organisations import services as units
from thuvien.organisations.models import Role, UnitKind
from thuvien.training import services
from thuvien.training.models import Enrolment

HOME = reverse("core:home")


@pytest.fixture
def journey(world: Any) -> todo_world.TodoWorld:
    return todo_world.build(world)


@pytest.fixture
def home_for(client_for: Any) -> Any:
    def get(user: Any) -> str:
        client = client_for(user)
        client.cookies["thuvien_language"] = "en"
        response = client.get(HOME)
        assert response.status_code == 200
        return response.text

    return get


def todo_part(page: str) -> str:
    """The to-do section of the home page ('' when there is none)."""
    if '<section class="todo"' not in page:
        return ""
    start = page.index('<section class="todo"')
    ends = [page.find(mark, start) for mark in ('class="figures"', '<div class="cards">')]
    return page[start : min(end for end in ends if end > 0)]


def links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', todo_part(page))


def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def test_the_librarian_sees_her_open_record_with_the_next_milestone_and_its_date(
    journey, world, home_for
):
    page = home_for(world.librarian)
    todo = todo_part(page)
    assert "My self-training records" in todo
    line = todo.split(todo_world.SUBJECT)[1].split("</li>")[0]
    assert todo_world.FIRST_STEP in line
    assert f"by {day(journey.first_end)}" in line  # dd/mm/yyyy
    assert reverse("training:record_detail", args=[journey.record.pk]) in links(page)
    # Her colleague's record is not hers; the office's campaign she is late in comes first.
    colleague = reverse("training:record_detail", args=[journey.submitted.pk])
    assert colleague not in links(page)
    assert "the report is overdue" in todo


def test_an_evaluated_record_leaves_the_list(journey, world, home_for):
    services.submit_report(journey.record)
    assert "waiting for the principal" in todo_part(home_for(world.librarian))
    services.evaluate(journey.record, by=world.principal, grade="good")
    mine = reverse("training:record_detail", args=[journey.record.pk])
    assert mine not in links(home_for(world.librarian))


def test_the_principal_sees_reports_to_evaluate_staff_behind_and_the_package(
    journey, world, home_for
):
    page = home_for(world.principal)
    todo = todo_part(page)
    found = links(page)
    assert found[0] == reverse("training:school_record", args=[journey.submitted.pk])
    assert "Reports waiting for your evaluation" in todo
    assert world.teacher_librarian.full_name in todo
    school_page = reverse("training:school_page", args=[journey.campaign.pk])
    assert school_page in found
    assert "Staff who have not started or are late" in todo
    assert "1 not started, 0 late" in todo  # the librarian; her colleague has submitted
    # The office's campaign is past its deadline: both of A1's staff are late, counted once.
    assert "0 not started, 2 late" in todo
    assert "The school package" in todo
    assert "Not sent yet" in todo
    assert f"by {day(journey.campaign.school_deadline)}" in todo
    # Nothing of another school.
    assert reverse("training:package_detail", args=[journey.package.pk]) not in found


def test_the_office_sees_packages_to_review_schools_not_sent_and_its_report_due(
    journey, world, home_for
):
    page = home_for(world.office_officer)
    todo = todo_part(page)
    found = links(page)
    assert found[0] == reverse("training:package_detail", args=[journey.package.pk])
    assert "Packages to review" in todo
    assert reverse("training:office_page", args=[journey.campaign.pk]) in found
    assert "1 of 1 schools have not sent their package" in todo  # A1 (A2 has sent)
    assert reverse("training:unit_report", args=[journey.campaign.pk]) in found
    assert "Report to the department: Not sent" in todo
    assert f"by {day(journey.campaign.office_deadline)}" in todo
    # Office B's report is not office A's to accept.
    assert reverse("training:report_detail", args=[journey.report.pk]) not in found


def test_the_department_sees_reports_to_accept_and_each_running_campaigns_progress(
    journey, world, home_for
):
    page = home_for(world.dept_officer)
    todo = todo_part(page)
    found = links(page)
    assert found[0] == reverse("training:report_detail", args=[journey.report.pk])
    assert "Reports to accept" in todo
    assert reverse("training:progress", args=[journey.campaign.pk]) in found
    # Four people enrolled in three schools: two handed in (A1, B), one evaluated; B has sent.
    assert "2 of 4 reports handed in (50 %), 1 evaluated; 1 of 3 schools sent" in todo
    # The package A2 sent to office A is not the Sở's to review.
    assert reverse("training:package_detail", args=[journey.package.pk]) not in found


def test_a_reader_and_a_person_without_training_get_no_training_lines(journey, world, home_for):
    assert links(home_for(world.reader)) == []
    assert "/training/" not in todo_part(home_for(world.trainer))


def _grow(world: Any, journey: todo_world.TodoWorld, n: int) -> None:
    """`n` more schools under office A, each with a librarian, `n` more staff at school A1 and
    `n` more campaigns for everyone, so every role's scope grows."""
    today = timezone.localdate()
    for index in range(n):
        school = units.create_unit(
            kind=UnitKind.SCHOOL,
            name=f"Trường Tiểu học số {index}",
            parent=world.office,
            code=f"8300050{index}",
            has_primary=True,
            on=today - dt.timedelta(days=400),
        )
        for unit, name in ((school, f"tt_{index}"), (world.school, f"gv_{index}")):
            user = make_user(name, f"Người {name}")
            units.add_membership(
                user, unit, Role.LIBRARIAN, valid_from=today - dt.timedelta(days=400)
            )
    for index in range(n):
        campaign = services.create_campaign(
            world.department,
            by=world.dept_admin,
            subject=f"Chuyên đề {index}",
            school_year=today.year,
            roles=[Role.LIBRARIAN, Role.TEACHER_LIBRARIAN],
            school_deadline=today + dt.timedelta(days=20 + index),
            office_deadline=today + dt.timedelta(days=40 + index),
        )
        services.add_milestone(
            campaign, name="Bước 1", start=today, end=today + dt.timedelta(days=10)
        )
        services.publish_campaign(campaign, by=world.dept_admin, on=today)
    services.sync_enrolments(journey.campaign, on=today)
    for record in Enrolment.objects.filter(user__username__startswith="gv_")[:n]:
        services.submit_report(record)


def _count(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_scope(journey, world, client_for):
    roles = ("librarian", "principal", "office_officer", "dept_officer", "dept_admin")
    clients = {role: client_for(getattr(world, role)) for role in roles}
    for client in clients.values():
        client.get(HOME)  # sessions and caches warm
    before = {role: _count(client) for role, client in clients.items()}
    _grow(world, journey, 4)
    after = {role: _count(client) for role, client in clients.items()}
    assert after == before
    grown = todo_part(clients["principal"].get(HOME).text)
    assert grown.count("training/school/records/") >= 4  # the scope did grow
