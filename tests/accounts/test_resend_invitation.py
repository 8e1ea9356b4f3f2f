"""Sending a new invitation to an account that has not chosen its password yet.

"Forgot password" cannot help such a person (Django sends no reset to an account without a
usable password) once the first invitation's link has expired."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.core.worker import DATABASE_TASKS
from thuvien.accounts.models import User
from thuvien.organisations import services
from thuvien.organisations.models import Role, UnitKind

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SITE = "https://thuvien.example.vn"
STAFF_LIST = reverse("organisations:staff_list")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = SITE


@pytest.fixture
def invited(world):
    """A librarian imported last term who never chose a password."""
    user = User.objects.create_user(
        username="lan.le", email="lan.le@example.edu.vn", password=None, full_name="Lê Thị Lan"
    )
    services.add_membership(user, world.school, Role.LIBRARIAN)
    return user


def url(user):
    return reverse("accounts:resend_invitation", kwargs={"user_id": user.pk})


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_staff_manager_sends_a_new_invitation_that_works(world, client_for, client, invited):
    client = english(client_for(world.dept_admin))
    response = client.post(url(invited))
    assert response.status_code == 302
    assert response.url == STAFF_LIST
    assert messages_of(response) == [
        "A new invitation to choose a password is on its way to lan.le@example.edu.vn."
    ]
    assert [message.to for message in mail.outbox] == [["lan.le@example.edu.vn"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    page = client.get(link.removeprefix(SITE))  # the person, not logged in
    assert page.status_code == 302
    assert page.url.endswith("/set-password/")
    invited.refresh_from_db()
    assert not invited.has_usable_password()  # nothing changes until they choose one


def test_the_invitation_task_is_queued_for_the_worker(world, client_for, invited, settings):
    settings.TASKS = DATABASE_TASKS
    client_for(world.dept_admin).post(url(invited))
    task = DBTaskResult.objects.get()
    assert task.task_path == "thuvien.accounts.tasks.send_invitations"
    assert task.args_kwargs == {"args": [[invited.pk]], "kwargs": {}}
    assert mail.outbox == []


def test_back_to_the_page_the_button_was_on(world, client_for, invited):
    unit_page = reverse("organisations:unit_detail", kwargs={"unit_id": world.school.pk})
    response = client_for(world.dept_admin).post(url(invited), {"next": unit_page})
    assert response.url == unit_page


def test_never_back_to_another_site(world, client_for, invited):
    response = client_for(world.dept_admin).post(url(invited), {"next": "https://evil.example"})
    assert response.url == STAFF_LIST


def test_an_account_with_a_password_is_told_to_use_forgot_password(world, client_for):
    response = english(client_for(world.dept_admin)).post(url(world.librarian))
    assert response.status_code == 302
    assert messages_of(response) == [
        f"{world.librarian} has already chosen a password: they can use “Forgot your "
        "password?” on the login page."
    ]
    assert mail.outbox == []


def test_an_account_without_email_cannot_be_invited(world, client_for, invited):
    User.objects.filter(pk=invited.pk).update(email="")
    response = english(client_for(world.dept_admin)).post(url(invited))
    assert messages_of(response) == [
        "Lê Thị Lan has no e-mail address: add one before sending an invitation."
    ]
    assert mail.outbox == []


def test_a_person_outside_the_scope_is_404(world, client_for):
    other = services.create_unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT Vĩnh Long", parent=None)
    stranger = User.objects.create_user(username="la", email="la@example.vn", password=None)
    services.add_membership(stranger, other, Role.DEPARTMENT_OFFICER)
    nobody = User.objects.create_user(username="chua", email="chua@example.vn", password=None)
    client = client_for(world.dept_admin)
    assert client.post(url(stranger)).status_code == 404
    assert client.post(url(nobody)).status_code == 404  # no role anywhere: in nobody's scope
    assert client.post("/accounts/staff/999999/resend-invitation/").status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize(
    "name", ["dept_officer", "office_officer", "principal", "librarian", "outsider"]
)
def test_roles_without_manage_staff_get_403(world, client_for, invited, name):
    assert client_for(getattr(world, name)).post(url(invited)).status_code == 403
    assert mail.outbox == []


def test_anonymous_is_sent_to_login(world, client, invited):
    response = client.post(url(invited))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert mail.outbox == []


def test_get_is_405(world, client_for, invited):
    assert client_for(world.dept_admin).get(url(invited)).status_code == 405
    assert mail.outbox == []
