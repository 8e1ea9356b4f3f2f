"""Confirming an import of units queues it; the task worker applies it, in the role the importer
acted in when confirming, and the status page follows it (htmx polling) to its end.

These tests run the real database queue and `manage.py db_worker`, so the task's arguments are
proven to survive being stored as JSON."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.core.spreadsheet_files import upload, xlsx
from tests.core.worker import DATABASE_TASKS, run_worker
from tests.organisations.test_unit_import import HEADERS, OFFICE, good_rows
from thuvien.core.models import ImportBatch, ImportStatus
from thuvien.core.testing import make_user
from thuvien.organisations import services
from thuvien.organisations.models import Membership, Role, Unit, UnitKind

pytestmark = pytest.mark.usefixtures("transactional_db")

IMPORT = reverse("organisations:unit_import")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _database_queue(settings, world):
    settings.TASKS = DATABASE_TASKS
    DBTaskResult.objects.all().delete()  # the world's campaign queued its enrolment e-mails


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def confirm_url(batch):
    return reverse("organisations:unit_import_confirm", kwargs={"batch_id": batch.pk})


def status_url(batch):
    return reverse("organisations:unit_import_status", kwargs={"batch_id": batch.pk})


def upload_and_confirm(client, rows):
    assert client.post(IMPORT, {"file": upload(xlsx(rows))}).status_code == 200
    batch = ImportBatch.objects.get()
    response = client.post(confirm_url(batch))
    assert response.status_code == 302
    assert response.url == status_url(batch)
    batch.refresh_from_db()
    return batch


def test_confirm_only_queues_and_the_worker_applies(world, client_for):
    client = english(client_for(world.dept_admin))
    units = Unit.objects.count()
    batch = upload_and_confirm(client, good_rows())
    assert batch.status == ImportStatus.QUEUED
    assert batch.queued_at is not None
    assert batch.scope_membership_id == world.dept_admin.memberships.get().pk
    assert Unit.objects.count() == units
    task = DBTaskResult.objects.get()
    assert task.task_path == "thuvien.organisations.tasks.apply_unit_batch"
    assert task.args_kwargs == {"args": [str(batch.pk), "en"], "kwargs": {}}

    page = client.get(status_url(batch))
    assert page.status_code == 200
    assert "Waiting for its turn" in page.text
    assert f'hx-get="{status_url(batch)}?since=queued"' in page.text
    assert 'hx-trigger="every 2s"' in page.text
    fragment = client.get(status_url(batch), **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert fragment.text.strip().startswith('<div id="import-status" data-status="queued"')
    assert 'hx-trigger="every 2s"' in fragment.text
    unchanged = client.get(status_url(batch), {"since": "queued"}, **HTMX)
    assert (unchanged.status_code, unchanged.content) == (204, b"")  # htmx keeps what it shows
    assert "Waiting for its turn" in client.get(status_url(batch), {"since": "queued"}).text

    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.summary) == (ImportStatus.DONE, {"created": 2, "updated": 1})
    assert batch.finished_at is not None
    assert Unit.objects.get(name=OFFICE).parent == world.department
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    fragment = client.get(status_url(batch), {"since": "queued"}, **HTMX)
    assert 'data-status="done"' in fragment.text
    assert "Import done: 2 units created, 1 updated." in fragment.text
    assert reverse("organisations:unit_list") in fragment.text
    assert "hx-trigger" not in fragment.text  # the polling stops


def test_confirming_twice_while_queued_queues_once(world, client_for):
    client = english(client_for(world.dept_admin))
    batch = upload_and_confirm(client, good_rows())
    response = client.post(confirm_url(batch))
    assert response.url == status_url(batch)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This import is already confirmed; nothing more was changed."
    ]
    assert DBTaskResult.objects.count() == 1
    run_worker()
    run_worker()  # nothing left to run
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert Unit.objects.filter(name=OFFICE).count() == 1


def test_the_worker_applies_in_the_role_chosen_when_confirming(world, client_for):
    """The person also manages a second province: the file only fits there, the role they had
    switched to when confirming, not their first role (which the worker would default to)."""
    second = services.create_unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT Vĩnh Long", parent=None)
    person = make_user("hai_so", "Trần Văn Hai")
    first = services.add_membership(person, world.department, Role.DEPARTMENT_ADMIN)
    chosen = services.add_membership(person, second, Role.DEPARTMENT_ADMIN)
    client = client_for(person)
    client.post(reverse("accounts:switch_membership"), {"membership": chosen.pk})
    rows = [HEADERS, ["Phòng GD Long Hồ", "Phòng", "", second.name] + [""] * 7]
    batch = upload_and_confirm(client, rows)
    assert batch.scope_membership_id == chosen.pk
    client.post(reverse("accounts:switch_membership"), {"membership": first.pk})
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    assert Unit.objects.get(name="Phòng GD Long Hồ").parent == second


def test_a_role_ended_before_the_worker_runs_fails_cleanly(world, client_for):
    client = english(client_for(world.dept_admin))
    units = Unit.objects.count()
    batch = upload_and_confirm(client, good_rows())
    membership = Membership.objects.get(user=world.dept_admin)
    services.end_membership(membership, on=timezone.localdate() - dt.timedelta(days=1))
    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.applied_at) == (ImportStatus.FAILED, None)
    assert batch.error == (
        "The role you confirmed this import in has ended, or no longer allows it; "
        "nothing was saved."
    )
    assert Unit.objects.count() == units
    # Given a role again, the person reads why on the status page.
    services.add_membership(world.dept_admin, world.department, Role.DEPARTMENT_ADMIN)
    page = client.get(status_url(batch))
    assert 'data-status="failed"' in page.text
    assert "The role you confirmed this import in has ended" in page.text
    assert "hx-trigger" not in page.text


def test_a_file_that_no_longer_passes_fails_and_saves_nothing(world, client_for):
    client = english(client_for(world.dept_admin))
    batch = upload_and_confirm(client, good_rows())
    services.create_unit(
        kind=UnitKind.SCHOOL, name="Trường Nhanh Tay", parent=world.office_b, code="83000301",
        has_primary=True,
    )  # fmt: skip
    units = Unit.objects.count()
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.error.startswith("The file no longer passes the checks")
    assert Unit.objects.count() == units
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # the task did its job: it told why
