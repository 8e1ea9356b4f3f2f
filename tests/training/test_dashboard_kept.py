"""A supervising unit's dashboard is kept between requests (`training.dashboard.kept`) and never
shown once a write has changed what it counts: each kind of write is tried here, through the
services a user's action goes through, and the page is read again."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.training.conftest import D, at
from thuvien.access import resolve_scope
from thuvien.core import versions
from thuvien.organisations import services as organisations
from thuvien.organisations.models import TREE_VERSION
from thuvien.training import dashboard, services
from thuvien.training.dashboard import kept
from thuvien.training.models import Enrolment

DAY = D(2026, 4, 20)  # after the school deadline (10/04/2026)


@pytest.fixture(autouse=True)
def _nothing_kept_from_other_tests():
    cache.clear()


def at_department(world, campaign, day=DAY):
    return dashboard.progress(
        campaign, world.department, resolve_scope(world.dept_admin, None), day
    )


def row_of(progress, unit):
    return next(row for row in progress.rows if row.id == unit.pk)


def record(campaign, user):
    return Enrolment.objects.get(campaign=campaign, user=user)


def submitted(world, campaign):
    enrolment = record(campaign, world.librarian)
    services.choose_topic(enrolment, campaign.topics.first(), on=D(2026, 1, 1))
    services.submit_report(enrolment, on=at(2026, 4, 1))
    return enrolment


def queries(function):
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return result, len(captured.captured_queries)


def test_a_second_reading_is_served_kept_with_the_same_figures_and_fewer_queries(world, published):
    first, computed = queries(lambda: at_department(world, published))
    again, served = queries(lambda: at_department(world, published))
    assert served < computed
    assert [(row.id, row.name, row.figures) for row in again.rows] == [
        (row.id, row.name, row.figures) for row in first.rows
    ]
    assert again.totals == first.totals
    assert list(again.pending) == list(first.pending)  # the schools' list is still a query
    assert again.pending.count() == first.pending.count()


def test_a_submitted_report_and_its_evaluation_show_at_once(world, published):
    assert at_department(world, published).totals.submitted == 0
    enrolment = submitted(world, published)
    assert at_department(world, published).totals.submitted == 1
    services.evaluate(enrolment, by=world.principal, grade="good")
    totals = at_department(world, published).totals
    assert (totals.evaluated, totals.passed, totals.grades["good"]) == (1, 1, 1)


def test_an_extension_and_a_package_show_at_once(world, published):
    services.evaluate(submitted(world, published), by=world.principal, grade="good")
    before = at_department(world, published)
    assert row_of(before, world.office_b).figures.missing == 1
    outsider = record(published, world.outsider)
    services.grant_extension(outsider, until=D(2026, 4, 30), reason="Ốm", by=world.dept_admin)
    assert row_of(at_department(world, published), world.office_b).figures.missing == 0

    office = dashboard.progress(
        published, world.office, resolve_scope(world.office_officer, None), DAY
    )
    assert row_of(office, world.school).submission.status == "not_sent"
    missing = [record(published, world.teacher_librarian).pk]
    services.submit_school_package(
        published,
        world.school,
        by=world.principal,
        summary="Xong.",
        on=at(2026, 4, 11),
        not_submitted=missing,
    )
    office = dashboard.progress(
        published, world.office, resolve_scope(world.office_officer, None), DAY
    )
    assert row_of(office, world.school).submission.status == "submitted"


def test_a_renamed_or_moved_school_shows_at_once(world, published):
    submitted(world, published)
    assert row_of(at_department(world, published), world.office).figures.submitted == 1
    organisations.update_unit(world.office, name="Phòng Đổi Tên")
    assert row_of(at_department(world, published), world.office).name == "Phòng Đổi Tên"
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 4, 15))
    world.department.refresh_from_db()
    moved = at_department(world, published)
    assert world.office.pk not in {row.id for row in moved.rows}
    assert row_of(moved, world.office_b).figures.submitted == 1


def test_people_enrolled_in_bulk_show_at_once(world, published):
    before = at_department(world, published).totals.expected
    Enrolment.objects.filter(campaign=published, user=world.librarian).delete()
    assert at_department(world, published).totals.expected == before - 1
    services.sync_enrolments(published, on=published.issued_on)  # one bulk insert
    assert at_department(world, published).totals.expected == before


def test_the_day_and_the_viewer_are_part_of_what_is_kept(world, published):
    after_deadline = at_department(world, published, DAY)
    before_deadline = at_department(world, published, D(2026, 4, 1))
    assert after_deadline.totals.missing > 0 == before_deadline.totals.missing
    scopes = [resolve_scope(user, None) for user in (world.dept_admin, world.dept_officer)]
    keys = {kept.key(published.pk, world.department.pk, scope, DAY) for scope in scopes}
    assert len(keys) == 2


def test_a_version_rolled_back_with_its_transaction_leaves_the_old_token(db):
    versions.bump(TREE_VERSION)
    (token,) = versions.tokens(TREE_VERSION)
    with transaction.atomic():
        versions.bump(TREE_VERSION)
        assert versions.tokens(TREE_VERSION) != (token,)
        transaction.set_rollback(True)
    assert versions.tokens(TREE_VERSION) == (token,)
    assert versions.tokens("never.bumped") == ("",)


def test_the_page_served_kept_is_the_page_computed(world, published, client):
    client.force_login(world.dept_admin)
    client.cookies["thuvien_language"] = "en"
    url = reverse("training:progress", args=[published.pk])
    computed = client.get(url).content
    served = client.get(url).content
    strip = [b"csrfmiddlewaretoken", b"csrf"]  # tokens differ per response
    assert [line for line in computed.splitlines() if not any(s in line for s in strip)] == [
        line for line in served.splitlines() if not any(s in line for s in strip)
    ]
