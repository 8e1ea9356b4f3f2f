"""The province dashboard: counts per child unit, drill-down, scoping, XLSX, constant queries."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.training.conftest import D, at
from thuvien.access import resolve_scope
from thuvien.core.folding import fold
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Role, Unit, UnitKind
from thuvien.training import dashboard, services
from thuvien.training.models import Enrolment, UnitReport, UnitReportStatus

DAY = D(2026, 4, 20)  # after the school deadline (10/04/2026)


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    client.cookies["thuvien_language"] = "en"


def scope_of(user):
    return resolve_scope(user, None)


def record(campaign, user):
    return Enrolment.objects.get(campaign=campaign, user=user)


def submit(campaign, user, on):
    enrolment = record(campaign, user)
    services.choose_topic(enrolment, campaign.topics.first(), on=D(2026, 1, 1))
    services.submit_report(enrolment, on=on)
    return enrolment


@pytest.fixture
def stages(world, published):
    """A1: the librarian on time and evaluated "good", the teacher-librarian late; THPT: nobody
    submitted (missing); office B's school X: not submitted but extended until 30/04/2026."""
    librarian = submit(published, world.librarian, at(2026, 4, 1))
    services.evaluate(librarian, by=world.principal, grade="good")
    submit(published, world.teacher_librarian, at(2026, 4, 12))
    outsider = record(published, world.outsider)
    services.grant_extension(outsider, until=D(2026, 4, 30), reason="Ốm", by=world.dept_admin)
    return published


def rows_by_name(progress):
    return {row.name: row for row in progress.rows}


def counts(figures):
    return tuple(getattr(figures, name) for name in dashboard.Figures.COUNTS)


def test_department_rows_are_its_offices_and_the_schools_directly_under_it(world, stages):
    progress = dashboard.progress(stages, world.department, scope_of(world.dept_admin), DAY)
    rows = rows_by_name(progress)
    assert list(rows) == [world.office.name, world.office_b.name, world.thpt.name]
    assert [row.kind for row in progress.rows] == ["office", "office", "school"]
    # expected, submitted, on time, late, missing, evaluated, passed
    assert counts(rows[world.office.name].figures) == (2, 2, 1, 1, 0, 1, 1)
    assert counts(rows[world.office_b.name].figures) == (1, 0, 0, 0, 0, 0, 0)
    assert counts(rows[world.thpt.name].figures) == (1, 0, 0, 0, 1, 0, 0)
    assert counts(progress.totals) == (4, 2, 1, 1, 1, 1, 1)
    assert dict((b.code, n) for b, n in progress.total_grades) == {
        "good": 1,
        "fair": 0,
        "pass": 0,
        "fail": 0,
    }
    first_topic = stages.topics.first().title
    assert dict(progress.total_topics)[first_topic] == 2


def test_extension_moves_the_personal_deadline(world, stages):
    after = dashboard.progress(stages, world.department, scope_of(world.dept_admin), D(2026, 5, 1))
    assert rows_by_name(after)[world.office_b.name].figures.missing == 1


def test_a_school_moved_to_another_office_counts_under_the_new_office(world, stages):
    organisations.move_unit(world.school, new_parent=world.office_b, on=D(2026, 4, 15))
    world.department.refresh_from_db()
    progress = dashboard.progress(stages, world.department, scope_of(world.dept_admin), DAY)
    rows = rows_by_name(progress)
    assert world.office.name not in rows  # school A2 has nobody to train
    assert counts(rows[world.office_b.name].figures) == (3, 2, 1, 1, 0, 1, 1)


def test_office_rows_are_its_schools_with_their_packages(world, stages):
    services.evaluate(record(stages, world.teacher_librarian), by=world.principal, grade="fair")
    package = services.submit_school_package(
        stages, world.school, by=world.principal, summary="Xong.", on=at(2026, 4, 11)
    )
    progress = dashboard.progress(stages, world.office, scope_of(world.office_officer), DAY)
    (row,) = progress.rows
    assert (row.name, row.kind, row.figures.evaluated) == (world.school.name, "school", 2)
    assert (row.submission.status, row.submission.late) == ("submitted", True)
    assert row.submission.submitted_to == world.office.name == package.submitted_to.name
    # The school has sent; the office itself has not reported to the department yet.
    assert list(progress.pending) == [
        dashboard.Pending("office", world.office.pk, world.office.name, "Not sent")
    ]
    assert progress.pending.count() == 1  # counted with the figures: the sent school is not


def test_not_submitted_lists_schools_without_package_and_offices_without_report(world, stages):
    UnitReport.objects.create(
        campaign=stages,
        unit=world.office_b,
        status=UnitReportStatus.SUBMITTED,
        submitted_at=at(2026, 4, 18),
        submitted_to=world.department,
    )
    progress = dashboard.progress(stages, world.department, scope_of(world.dept_admin), DAY)
    pending = [(p.kind, p.name) for p in progress.pending]
    assert pending == [
        ("office", world.office.name),
        *sorted(
            [
                ("school", world.school.name),
                ("school", world.outsider_school.name),
                ("school", world.thpt.name),
            ],
            key=lambda p: fold(p[1]),
        ),
    ]
    office_b = rows_by_name(progress)[world.office_b.name].submission
    assert (office_b.status, office_b.late, office_b.submitted_to) == (
        "submitted",
        False,
        world.department.name,
    )


def test_a_school_shows_its_people(world, stages):
    progress = dashboard.progress(stages, world.school, scope_of(world.principal), DAY)
    rows = rows_by_name(progress)
    assert set(rows) == {world.librarian.display_name, world.teacher_librarian.display_name}
    librarian = rows[world.librarian.display_name]
    assert (librarian.kind, librarian.status, librarian.grade) == ("person", "evaluated", "Good")
    assert counts(librarian.figures) == (1, 1, 1, 0, 0, 1, 1)
    late = rows[world.teacher_librarian.display_name]
    assert counts(late.figures) == (1, 1, 0, 1, 0, 0, 0)
    assert progress.own.status == "not_sent"
    assert [p.name for p in progress.pending] == [world.school.name]
    assert progress.pending.count() == 1


def test_marks_out_of_ten_are_bucketed(world):
    from tests.training.conftest import make_campaign

    campaign = make_campaign(world, scale="marks_10")
    services.publish_campaign(campaign, by=world.dept_admin, on=D(2025, 12, 4))
    for user, mark in ((world.librarian, "9.5"), (world.teacher_librarian, "4")):
        services.evaluate(submit(campaign, user, at(2026, 4, 1)), by=world.principal, grade=mark)
    progress = dashboard.progress(campaign, world.office, scope_of(world.office_officer), DAY)
    assert [n for _b, n in progress.total_grades] == [1, 0, 0, 1]
    assert progress.totals.passed == 1


# --- Constant number of queries ---------------------------------------------------------------


def _add_schools(world, campaign, office, count):
    """`count` more schools under `office`, each with a librarian, then enrol them."""
    from thuvien.core.testing import make_user

    for n in range(count):
        school = organisations.create_unit(
            kind=UnitKind.SCHOOL,
            name=f"Trường Thêm {office.pk}-{n}",
            parent=office,
            on=D(2024, 8, 1),
        )
        user = make_user(f"them_{office.pk}_{n}", f"Người Thêm {n}")
        organisations.add_membership(user, school, Role.LIBRARIAN, valid_from=D(2024, 8, 1))
    services.sync_enrolments(campaign, on=D(2026, 1, 2))


def _queries(client, url):
    """The queries of a request that computes the page: nothing kept in the cache (`kept`)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_department_page_costs_the_same_queries_for_more_units(world, stages, client):
    client.force_login(world.dept_admin)
    url = reverse("training:progress", args=[stages.pk])
    xlsx = reverse("training:progress_xlsx", args=[stages.pk])
    before, before_xlsx = _queries(client, url), _queries(client, xlsx)
    new_office = organisations.create_unit(
        kind=UnitKind.OFFICE, name="Phòng Thêm", parent=world.department, on=D(2024, 8, 1)
    )
    _add_schools(world, stages, new_office, 4)
    _add_schools(world, stages, world.office, 3)
    organisations.create_unit(
        kind=UnitKind.SCHOOL, name="Trường THPT Thêm", parent=world.department, on=D(2024, 8, 1)
    )
    after = _queries(client, url)
    assert after == before
    assert _queries(client, xlsx) == before_xlsx
    assert Enrolment.objects.filter(campaign=stages).count() == 11


# --- The screens --------------------------------------------------------------------------------


def test_department_page_shows_rows_links_and_pending(world, stages, client):
    client.force_login(world.dept_admin)
    response = client.get(reverse("training:progress", args=[stages.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    office_url = reverse("training:progress_unit", args=[stages.pk, world.office.pk])
    thpt_url = reverse("training:progress_unit", args=[stages.pk, world.thpt.pk])
    assert f'href="{office_url}"' in body and f'href="{thpt_url}"' in body
    not_sent = body.split("Schools that have not sent their package")[1]
    assert f'href="{thpt_url}"' in not_sent and world.outsider_school.name in not_sent
    assert "Offices without their aggregate report" in body
    assert response.context["progress"].totals.expected == 4


def test_office_drill_down_to_a_school_then_people(world, stages, client):
    client.force_login(world.office_officer)
    response = client.get(reverse("training:progress", args=[stages.pk]))
    assert response.context["progress"].unit == world.office
    assert [row.name for row in response.context["progress"].rows] == [world.school.name]
    school = client.get(reverse("training:progress_unit", args=[stages.pk, world.school.pk]))
    assert school.status_code == 200
    assert [c.name for c in school.context["crumbs"]] == [world.office.name, world.school.name]
    assert world.librarian.display_name in school.content.decode()
    assert "training/school/records/" not in school.content.decode()  # no record links


def test_principal_sees_his_school_with_links_to_records(world, stages, client):
    client.force_login(world.principal)
    response = client.get(reverse("training:progress", args=[stages.pk]))
    assert response.status_code == 200
    librarian = record(stages, world.librarian)
    assert reverse("training:school_record", args=[librarian.pk]) in response.content.decode()


def test_an_office_officer_cannot_open_another_office(world, stages, client):
    client.force_login(world.office_officer)
    for unit in (world.office_b, world.outsider_school, world.thpt, world.department):
        url = reverse("training:progress_unit", args=[stages.pk, unit.pk])
        assert client.get(url).status_code == 404, unit
        xlsx = reverse("training:progress_unit_xlsx", args=[stages.pk, unit.pk])
        assert client.get(xlsx).status_code == 404, unit


def test_a_principal_cannot_open_another_school(world, stages, client):
    client.force_login(world.principal)
    url = reverse("training:progress_unit", args=[stages.pk, world.thpt.pk])
    assert client.get(url).status_code == 404


def test_library_staff_and_readers_are_refused(world, stages, client):
    for user in (world.librarian, world.reader, world.trainer):
        client.force_login(user)
        assert client.get(reverse("training:progress", args=[stages.pk])).status_code == 403


def test_anonymous_goes_to_login_and_post_is_refused(world, stages, client):
    url = reverse("training:progress", args=[stages.pk])
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(world.dept_admin)
    assert client.post(url).status_code == 405


def test_a_draft_campaign_has_no_progress(world, campaign, client):
    client.force_login(world.dept_admin)
    assert client.get(reverse("training:progress", args=[campaign.pk])).status_code == 404


def test_htmx_gets_the_table_only(world, stages, client):
    client.force_login(world.dept_admin)
    response = client.get(reverse("training:progress", args=[stages.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="progress-table"' in body and "<html" not in body


def test_xlsx_has_the_table_and_the_not_submitted_sheet(world, stages, client):
    client.force_login(world.dept_admin)
    response = client.get(reverse("training:progress_xlsx", args=[stages.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    table, pending = book.worksheets[0], book.worksheets[1]
    rows = [list(r) for r in table.iter_rows(min_row=4, values_only=True)]
    by_name = {row[0]: row for row in rows}
    # Today is past every deadline, the outsider's extension (30/04/2026) included.
    assert by_name[world.office.name][1:12] == [2, 2, 1, 1, 0, 1, 1, 1, 0, 0, 0]
    assert by_name[world.office_b.name][1:8] == [1, 0, 0, 0, 1, 0, 0]
    assert by_name[world.thpt.name][1:8] == [1, 0, 0, 0, 1, 0, 0]
    assert by_name["Total"][1:8] == [4, 2, 1, 1, 2, 1, 1]
    assert table.cell(3, 9).value == "Good"
    names = [row[0] for row in pending.iter_rows(min_row=2, values_only=True)]
    assert set(names) == {
        world.office.name,
        world.office_b.name,
        world.school.name,
        world.thpt.name,
        world.outsider_school.name,
    }


def test_the_roll_up_reads_the_child_from_the_path():
    assert dashboard.tree._child_of(Unit(path="/1/", depth=0), "/1/5/17/") == 5
    assert dashboard.tree._child_of(Unit(path="/1/5/", depth=1), "/1/5/17/") == 17


def test_a_returned_package_is_listed_apart(world, stages, client):
    services.evaluate(record(stages, world.teacher_librarian), by=world.principal, grade="fair")
    package = services.submit_school_package(
        stages, world.school, by=world.principal, summary="Xong.", on=at(2026, 4, 9)
    )
    services.return_school_package(package, by=world.office_officer, comment="Thiếu nhận xét.")
    client.force_login(world.office_officer)
    response = client.get(reverse("training:progress", args=[stages.pk]))
    (row,) = response.context["progress"].rows
    assert (row.submission.status, row.submission.late) == ("returned", False)
    body = response.content.decode()
    returned = body.split("Schools whose package was returned for revision")[1]
    assert world.school.name in returned.split("</ul>")[0]
    assert "Schools that have not sent their package" not in body


# --- Long lists in pages -----------------------------------------------------------------------


def test_the_not_submitted_list_is_read_a_slice_at_a_time(world, stages):
    progress = dashboard.progress(stages, world.department, scope_of(world.dept_admin), DAY)
    everyone = list(progress.pending)
    assert progress.pending.count() == len(everyone) == 5
    assert [p.kind for p in everyone] == ["office", "office", "school", "school", "school"]
    # Any slice is the same as the slice of the whole list, across the offices and the schools.
    for start, stop in ((0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 9), (5, 9)):
        assert progress.pending[start:stop] == everyone[start:stop], (start, stop)


def test_returned_schools_come_first_in_the_not_submitted_list(world, stages):
    services.evaluate(record(stages, world.teacher_librarian), by=world.principal, grade="fair")
    package = services.submit_school_package(
        stages, world.school, by=world.principal, summary="Xong.", on=at(2026, 4, 9)
    )
    services.return_school_package(package, by=world.office_officer, comment="Thiếu.")
    progress = dashboard.progress(stages, world.department, scope_of(world.dept_admin), DAY)
    schools = [p for p in progress.pending if p.kind == "school"]
    assert schools[0].name == world.school.name
    assert schools[0].status_label == "Returned for revision"
    assert {p.status_label for p in schools[1:]} == {"Not sent"}
    groups = dashboard.pending_groups(progress.pending[0:10])
    assert [p.name for p in groups.returned] == [world.school.name]
    assert len(groups.offices) == 2 and len(groups.not_sent) == 2


def _many_schools(world, campaign, count):
    """`count` more schools straight under the department, each with a librarian, enrolled."""
    from thuvien.core.testing import make_user

    for n in range(count):
        school = organisations.create_unit(
            kind=UnitKind.SCHOOL,
            name=f"Trường Số {n:03}",
            parent=world.department,
            on=D(2024, 8, 1),
        )
        user = make_user(f"so_{n}", f"Người Số {n}")
        organisations.add_membership(user, school, Role.LIBRARIAN, valid_from=D(2024, 8, 1))
    services.sync_enrolments(campaign, on=D(2026, 1, 2))


def test_the_page_shows_the_rows_and_the_not_submitted_list_in_pages(world, stages, client):
    from thuvien.training.views.province import PENDING_PER_PAGE, ROWS_PER_PAGE

    _many_schools(world, stages, ROWS_PER_PAGE + 5)
    client.force_login(world.dept_admin)
    url = reverse("training:progress", args=[stages.pk])
    first = client.get(url)
    rows = first.context["rows"]["page"]
    assert rows.paginator.count == ROWS_PER_PAGE + 5 + 3  # 2 offices, the THPT, the new schools
    assert len(rows.object_list) == ROWS_PER_PAGE
    body = first.content.decode()
    assert 'href="?page=2"' in body and 'hx-target="#progress-table"' in body
    assert body.count('scope="row"') == ROWS_PER_PAGE
    second = client.get(url, {"page": 2})
    names = [row.name for row in second.context["rows"]["page"].object_list]
    assert len(names) == 8 and names[-1] == world.thpt.name  # schools by folded name
    every = [row.name for row in first.context["progress"].rows]
    assert every[ROWS_PER_PAGE:] == names  # the second page goes on where the first stopped
    pending = first.context["pending"]["page"]
    assert pending.paginator.count == 2 + 3 + ROWS_PER_PAGE + 5  # offices, then schools
    assert len(pending.object_list) == PENDING_PER_PAGE
    assert "pending=2" in body
    more = client.get(url, {"pending": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="not-submitted")
    fragment = more.content.decode()
    assert fragment.lstrip().startswith('<div id="not-submitted">') and "<table" not in fragment
    assert fragment.count("<li>") == 10
    for unit in list(first.context["progress"].pending)[PENDING_PER_PAGE:]:
        assert f'href="{url}{unit.id}/"' in fragment, unit.name


def test_the_xlsx_keeps_every_row_and_every_unit_not_submitted(world, stages, client):
    _many_schools(world, stages, 60)
    client.force_login(world.dept_admin)
    response = client.get(reverse("training:progress_xlsx", args=[stages.pk]))
    book = load_workbook(io.BytesIO(response.content))
    table, pending = book.worksheets[0], book.worksheets[1]
    names = [row[0] for row in table.iter_rows(min_row=4, values_only=True)]
    assert len(names) == 63 + 1  # every row, then the total
    assert len(list(pending.iter_rows(min_row=2, values_only=True))) == 2 + 3 + 60


def test_a_submission_shows_at_once(world, stages, client):
    """Nothing is cached between requests: the next request counts what was just written."""
    client.force_login(world.dept_admin)
    url = reverse("training:progress", args=[stages.pk])
    before = client.get(url).context["progress"]
    thpt = rows_by_name(before)[world.thpt.name]
    assert thpt.figures.submitted == 0
    thpt_librarian = Enrolment.objects.get(campaign=stages, school=world.thpt)
    services.choose_topic(thpt_librarian, stages.topics.first(), on=D(2026, 1, 1))
    services.submit_report(thpt_librarian, on=at(2026, 4, 2))
    after = client.get(url).context["progress"]
    assert rows_by_name(after)[world.thpt.name].figures.submitted == 1
    assert after.totals.submitted == before.totals.submitted + 1


def test_every_page_of_the_lists_costs_the_same_queries(world, stages, client):
    client.force_login(world.dept_admin)
    url = reverse("training:progress", args=[stages.pk])
    office = reverse("training:progress_unit", args=[stages.pk, world.office.pk])
    school = reverse("training:progress_unit", args=[stages.pk, world.school.pk])
    before = [_queries(client, page) for page in (url, office, school)]
    _many_schools(world, stages, 120)
    for query in ("", "?page=2", "?page=3&pending=3", "?pending=2"):
        assert _queries(client, url + query) == before[0], query
    assert _queries(client, office) == before[1]
    assert _queries(client, school) == before[2]
