"""The life of an import batch after its preview: its states, the worker's run, pruning, admin."""

import datetime as dt
import io
import itertools

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from thuvien.core.import_batches import BatchError, queue_batch, run_batch
from thuvien.core.models import IMPORT_TRANSITIONS, ImportBatch, ImportKind, ImportStatus
from thuvien.core.spreadsheets import SpreadsheetError

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECRET = b"PK-noi-dung-bi-mat-cua-tep"
recorded: list[tuple[str, str]] = []


@task()
def record_batch(batch_id: str, language: str) -> str:
    recorded.append((batch_id, language))
    return "recorded"


@pytest.fixture(autouse=True)
def _english_and_immediate(settings):
    settings.TASKS = IMMEDIATE
    recorded.clear()
    with translation.override("en"):
        yield


def make_batch(user, status=ImportStatus.PENDING, **fields):
    if status == ImportStatus.DONE:
        fields.setdefault("applied_at", timezone.now())
    fields.setdefault("filename", "don-vi.xlsx")
    return ImportBatch.objects.create(
        kind=ImportKind.UNITS, created_by=user, content=SECRET, status=status, **fields
    )


# --- States ------------------------------------------------------------------------------------

MOVES = {
    ImportStatus.QUEUED: lambda batch: batch.mark_queued(membership_id=7),
    ImportStatus.RUNNING: lambda batch: batch.mark_running(),
    ImportStatus.DONE: lambda batch: batch.mark_applied({"created": 1}),
    ImportStatus.FAILED: lambda batch: batch.mark_failed("Why."),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(ImportStatus.values, MOVES)))
def test_a_batch_moves_only_along_the_declared_transitions(world, source, target):
    batch = make_batch(world.dept_admin, source)
    moved = MOVES[target](batch)
    assert moved == (target in IMPORT_TRANSITIONS[source])
    batch.refresh_from_db()
    assert batch.status == (target if moved else source)
    if moved and target == ImportStatus.DONE:
        assert batch.applied_at == batch.finished_at is not None
        assert batch.summary == {"created": 1}


def test_a_move_is_decided_by_the_database_not_the_stale_object(world):
    batch = make_batch(world.dept_admin)
    stale = ImportBatch.objects.get(pk=batch.pk)
    assert batch.mark_queued(membership_id=1)
    assert not stale.mark_queued(membership_id=2)  # a second click, a second worker
    batch.refresh_from_db()
    assert batch.scope_membership_id == 1


@pytest.mark.parametrize(
    "fields",
    [{"status": ImportStatus.DONE}, {"status": ImportStatus.FAILED, "applied_at": timezone.now()}],
    ids=["done-without-applied-at", "applied-but-not-done"],
)
def test_database_refuses_a_done_batch_that_was_not_applied_and_the_reverse(world, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportBatch.objects.create(kind=ImportKind.UNITS, created_by=world.dept_admin, **fields)


def test_database_refuses_an_unknown_status(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_batch(world.dept_admin, "lost")


# --- Confirming --------------------------------------------------------------------------------


def test_queue_batch_records_the_role_and_hands_the_batch_to_its_task(world):
    batch = make_batch(world.dept_admin)
    queue_batch(batch, membership_id=42, task=record_batch)
    batch.refresh_from_db()
    assert (batch.status, batch.scope_membership_id) == (ImportStatus.QUEUED, 42)
    assert batch.queued_at is not None
    assert recorded == [(str(batch.pk), "en")]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ImportStatus.QUEUED, "This import is already confirmed; nothing more was changed."),
        (ImportStatus.RUNNING, "This import is already confirmed; nothing more was changed."),
        (ImportStatus.DONE, "This import was already applied; nothing more was changed."),
        (
            ImportStatus.FAILED,
            "This import failed; nothing more was changed. Upload the file again.",
        ),
    ],
)
def test_queue_batch_refuses_a_batch_already_confirmed(world, status, message):
    batch = make_batch(world.dept_admin, status, scope_membership_id=1)
    with pytest.raises(BatchError, match=message):
        queue_batch(batch, membership_id=2, task=record_batch)
    batch.refresh_from_db()
    assert (batch.status, batch.scope_membership_id) == (status, 1)
    assert recorded == []


# --- Running in the worker ---------------------------------------------------------------------


def run(batch, apply, *, language="en", errors=()):
    return run_batch(
        str(batch.pk), kind=ImportKind.UNITS, language=language, apply=apply, errors=errors
    )


def test_run_applies_a_queued_batch(world):
    batch = make_batch(world.dept_admin, ImportStatus.QUEUED)

    def apply(claimed):
        assert claimed.status == ImportStatus.RUNNING
        claimed.mark_applied({"created": 3})

    assert run(batch, apply) == ImportStatus.DONE
    batch.refresh_from_db()
    assert (batch.status, batch.summary) == (ImportStatus.DONE, {"created": 3})


@pytest.mark.parametrize(
    "status", [ImportStatus.PENDING, ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.FAILED]
)
def test_run_leaves_a_batch_that_is_not_queued_alone(world, status):
    batch = make_batch(world.dept_admin, status)
    calls = []
    assert run(batch, calls.append) == status
    assert calls == []
    batch.refresh_from_db()
    assert batch.status == status


def test_run_of_a_deleted_batch_does_nothing(world):
    batch = make_batch(world.dept_admin, ImportStatus.QUEUED)
    ImportBatch.objects.all().delete()
    assert run(batch, lambda claimed: pytest.fail("applied a deleted batch")) == "missing"


class DomainError(Exception):
    pass


@pytest.mark.parametrize(
    "error", [SpreadsheetError("The file is empty."), DomainError("Row 2: no such unit.")]
)
def test_an_expected_error_fails_the_batch_with_its_message_and_saves_nothing(world, error):
    batch = make_batch(world.dept_admin, ImportStatus.QUEUED)

    def apply(claimed):
        make_batch(world.dept_admin, filename="written-then-undone.xlsx")
        raise error

    assert run(batch, apply, errors=(DomainError,)) == ImportStatus.FAILED
    batch.refresh_from_db()
    assert (batch.status, batch.error, batch.applied_at) == (
        ImportStatus.FAILED,
        str(error),
        None,
    )
    assert batch.finished_at is not None
    assert not ImportBatch.objects.filter(filename="written-then-undone.xlsx").exists()


def test_an_unexpected_error_fails_the_batch_and_reaches_the_worker(world):
    batch = make_batch(world.dept_admin, ImportStatus.QUEUED)

    def apply(claimed):
        make_batch(world.dept_admin, filename="written-then-undone.xlsx")
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run(batch, apply)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.error.startswith("The import stopped on an unexpected error; nothing was saved.")
    assert not ImportBatch.objects.filter(filename="written-then-undone.xlsx").exists()


def test_an_apply_that_does_not_mark_the_batch_applied_is_undone(world):
    batch = make_batch(world.dept_admin, ImportStatus.QUEUED)

    def apply(claimed):
        make_batch(world.dept_admin, filename="written-then-undone.xlsx")

    with pytest.raises(RuntimeError):
        run(batch, apply)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert not ImportBatch.objects.filter(filename="written-then-undone.xlsx").exists()


@pytest.mark.parametrize(("language", "expected"), [("en", "en"), ("vi", "vi"), ("", "vi")])
def test_run_speaks_the_language_the_importer_confirmed_in(world, language, expected):
    batch = make_batch(world.dept_admin, ImportStatus.QUEUED)
    spoken = []

    def apply(claimed):
        spoken.append(translation.get_language())
        claimed.mark_applied({})

    run(batch, apply, language=language)
    assert spoken == [expected]


# --- Pruning -----------------------------------------------------------------------------------


def aged(batch, *, created_days=0, finished_days=None):
    now = timezone.now()
    finished = None if finished_days is None else now - dt.timedelta(days=finished_days)
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=now - dt.timedelta(days=created_days),
        finished_at=finished,
        **({"applied_at": finished} if batch.status == ImportStatus.DONE else {}),
    )
    return batch


@pytest.fixture
def batches(world):
    user = world.dept_admin
    done = {"summary": {"created": 5}}
    return {
        "old_pending": aged(make_batch(user), created_days=8),
        "new_pending": aged(make_batch(user), created_days=6),
        "old_queued": aged(make_batch(user, ImportStatus.QUEUED), created_days=60),
        "old_running": aged(make_batch(user, ImportStatus.RUNNING), created_days=60),
        "old_done": aged(make_batch(user, ImportStatus.DONE, **done),
                         created_days=40, finished_days=31),
        "old_failed": aged(make_batch(user, ImportStatus.FAILED, error="Why."),
                           created_days=40, finished_days=31),
        "new_done": aged(make_batch(user, ImportStatus.DONE), created_days=40, finished_days=29),
    }  # fmt: skip


def contents():
    return {batch.pk: bytes(batch.content) for batch in ImportBatch.objects.all()}


def test_prune_deletes_old_unconfirmed_batches_and_empties_old_finished_ones(batches):
    call_command("prune_import_batches", stdout=io.StringIO())
    left = contents()
    assert set(left) == {b.pk for name, b in batches.items() if name != "old_pending"}
    emptied = {pk for pk, content in left.items() if content == b""}
    assert emptied == {batches["old_done"].pk, batches["old_failed"].pk}
    old_done = ImportBatch.objects.get(pk=batches["old_done"].pk)
    assert (old_done.status, old_done.summary) == (ImportStatus.DONE, {"created": 5})
    assert ImportBatch.objects.get(pk=batches["old_failed"].pk).error == "Why."


def test_prune_says_what_it_did_and_a_second_run_finds_nothing(batches, capsys):
    call_command("prune_import_batches")
    assert capsys.readouterr().out == (
        "deleted 1 unconfirmed batch(es); dropped the file of 2 finished batch(es).\n"
    )
    call_command("prune_import_batches")
    assert capsys.readouterr().out == (
        "deleted 0 unconfirmed batch(es); dropped the file of 0 finished batch(es).\n"
    )


def test_prune_dry_run_counts_and_changes_nothing(batches, capsys):
    before = contents()
    call_command("prune_import_batches", "--dry-run")
    assert capsys.readouterr().out == (
        "would delete 1 unconfirmed batch(es); would drop the file of 2 finished batch(es).\n"
    )
    assert contents() == before


def test_prune_ages_can_be_chosen(batches):
    call_command("prune_import_batches", "--unconfirmed-days", "5", "--finished-days", "28")
    left = contents()
    assert batches["new_pending"].pk not in left
    assert left[batches["new_done"].pk] == b""


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_prune_refuses_ages_below_one_day(batches, value):
    before = contents()
    with pytest.raises(CommandError, match="1 or more"):
        call_command("prune_import_batches", "--unconfirmed-days", value)
    assert contents() == before


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(world, client_for):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "x-y-z-1")
    client = client_for(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_admin_lists_batches_without_their_content(world, admin_client):
    batch = make_batch(world.dept_admin, ImportStatus.FAILED, error="Row 2: no such unit.")
    response = admin_client.get(reverse("admin:core_importbatch_changelist"))
    assert response.status_code == 200
    assert "don-vi.xlsx" in response.text
    assert f"{len(SECRET)}\xa0bytes" in response.text  # measured by the database
    assert SECRET.decode() not in response.text
    detail = admin_client.get(reverse("admin:core_importbatch_change", args=[batch.pk]))
    assert detail.status_code == 200
    assert "Row 2: no such unit." in detail.text
    assert SECRET.decode() not in detail.text
    assert 'name="_save"' not in detail.text


def test_admin_cannot_add_change_or_delete_batches(world, admin_client):
    batch = make_batch(world.dept_admin)
    change = reverse("admin:core_importbatch_change", args=[batch.pk])
    assert admin_client.get(reverse("admin:core_importbatch_add")).status_code == 403
    assert admin_client.post(change, {"filename": "khac.xlsx"}).status_code == 403
    delete = reverse("admin:core_importbatch_delete", args=[batch.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ImportBatch.objects.get().filename == "don-vi.xlsx"


def test_admin_is_for_staff_only(world, client_for):
    response = client_for(world.dept_admin).get(reverse("admin:core_importbatch_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_prune_ends_batches_stuck_importing_as_failed(world, capsys):
    stuck = make_batch(world.dept_admin, ImportStatus.RUNNING)
    recent = make_batch(world.dept_admin, ImportStatus.RUNNING)
    now = timezone.now()
    ImportBatch.objects.filter(pk=stuck.pk).update(queued_at=now - dt.timedelta(hours=7))
    ImportBatch.objects.filter(pk=recent.pk).update(queued_at=now - dt.timedelta(hours=1))
    call_command("prune_import_batches")
    assert "ended 1 stuck batch(es) as failed." in capsys.readouterr().out
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert (stuck.status, recent.status) == (ImportStatus.FAILED, ImportStatus.RUNNING)
    assert stuck.error and stuck.finished_at is not None
