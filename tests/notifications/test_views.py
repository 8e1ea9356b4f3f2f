"""My notifications: the list, marking read (one by POST id, or all), the count in the nav."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from thuvien.notifications import services
from thuvien.notifications.models import Notification

LIST = reverse("notifications:list")
READ = reverse("notifications:read")
READ_ALL = reverse("notifications:read_all")


@pytest.fixture(autouse=True)
def _fresh(world):
    Notification.objects.all().delete()  # the world's campaign announced itself
    with translation.override("en"):
        yield


def note(user, subject, url="/training/records/"):
    services.notify([user], kind="test", subject=subject, body="", url=url, email=False)
    return Notification.objects.filter(recipient=user).latest("pk")


@pytest.fixture
def me(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


def test_the_list_shows_only_mine_unread_first(me, world, django_assert_max_num_queries):
    old = note(world.librarian, "Cũ đã đọc")
    services.mark_read(old)
    new = note(world.librarian, "Mới chưa đọc")
    note(world.principal, "Của hiệu trưởng")
    with django_assert_max_num_queries(8):
        response = me.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [new, old]
    body = response.content.decode()
    assert "Của hiệu trưởng" not in body
    assert 'Notifications <span class="bell-count">(1' in body


def test_the_list_is_paginated(me, world):
    for number in range(30):
        note(world.librarian, f"Thông báo {number}")
    page = me.get(LIST).context["page"]
    assert len(page.object_list) == 25 and page.paginator.count == 30
    assert len(me.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_mark_one_read_by_post(me, world):
    mine = note(world.librarian, "Một")
    other = note(world.librarian, "Hai")
    response = me.post(READ, {"id": mine.pk})
    assert response.status_code == 302 and response.url == LIST
    mine.refresh_from_db(), other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_open_marks_read_and_goes_to_the_link(me, world):
    mine = note(world.librarian, "Một", url="/training/records/")
    response = me.post(READ, {"id": mine.pk, "open": "1"})
    assert response.status_code == 302 and response.url == "/training/records/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_open_never_leaves_the_site(me, world):
    mine = note(world.librarian, "Một", url="https://evil.example/")
    response = me.post(READ, {"id": mine.pk, "open": "1"})
    assert response.url == LIST


def test_htmx_mark_read_answers_the_list_and_the_new_count(me, world):
    first, second = note(world.librarian, "Một"), note(world.librarian, "Hai")
    response = me.post(READ, {"id": first.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="notification-list"' in body
    assert 'hx-swap-oob="true"' in body and '(1<span class="visually-hidden"> unread' in body
    response = me.post(READ_ALL, HTTP_HX_REQUEST="true")
    assert "bell-count" not in response.content.decode()
    second.refresh_from_db()
    assert second.read_at is not None


def test_mark_all_read_leaves_others_alone(me, world):
    note(world.librarian, "Một"), note(world.librarian, "Hai")
    theirs = note(world.principal, "Ba")
    assert me.post(READ_ALL).status_code == 302
    assert not Notification.objects.filter(recipient=world.librarian, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_persons_notification_is_404(me, world):
    theirs = note(world.principal, "Của hiệu trưởng")
    for data in ({"id": theirs.pk}, {"id": theirs.pk, "open": "1"}, {"id": "x"}, {}):
        assert me.post(READ, data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_wrong_method_is_405(me):
    assert me.post(LIST).status_code == 405
    assert me.get(READ).status_code == 405
    assert me.get(READ_ALL).status_code == 405


def test_anonymous_goes_to_login(client, world):
    theirs = note(world.librarian, "Một")
    for response in (client.get(LIST), client.post(READ, {"id": theirs.pk}), client.post(READ_ALL)):
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_nav_shows_the_unread_count_in_one_query(me, world):
    page = reverse("accounts:profile")
    before = me.get(page)
    assert "bell-count" not in before.content.decode()
    note(world.librarian, "Một"), note(world.librarian, "Hai")
    note(world.principal, "Ba")
    with CaptureQueriesContext(connection) as queries:
        body = me.get(page).content.decode()
    assert '(2<span class="visually-hidden"> unread</span>)' in body
    counting = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1


def test_anonymous_pages_do_not_count(client, world):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:login"))
    assert not [q for q in queries.captured_queries if "notifications_" in q["sql"]]
