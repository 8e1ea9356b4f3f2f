"""The department's list of session themes: the services (add, rename, retire, bring back,
reorder) and the screen that calls them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from thuvien.events.forms import SessionForm
from thuvien.events.models import EventSession, Theme
from thuvien.events.services import organising, themes
from thuvien.events.services.common import EventError

LIST = reverse("events:theme_list")
FIRST = "Phát triển nguồn tài nguyên thông tin"


def ordered() -> list[str]:
    return list(Theme.objects.order_by("order", "name", "pk").values_list("name", flat=True))


@pytest.fixture
def shipped(world) -> list[str]:
    """The six themes of the data migration (the world adds the first two if flushed)."""
    names = ordered()
    assert names[0] == FIRST and len(names) >= 2
    return names


# --- Services --------------------------------------------------------------------------------


def test_add_theme_appends_an_active_theme_at_the_end(shipped):
    theme = themes.add_theme("  Đọc sách   cùng con  ")
    assert theme.name == "Đọc sách cùng con" and theme.active
    assert ordered() == [*shipped, "Đọc sách cùng con"]


@pytest.mark.parametrize(
    "name", ["phat trien nguon tai nguyen thong tin", "PHÁT TRIỂN NGUỒN TÀI NGUYÊN THÔNG TIN  "]
)
def test_a_name_that_differs_only_by_case_or_accents_is_refused(shipped, name):
    with pytest.raises(EventError, match="“Phát triển nguồn tài nguyên thông tin” exists already"):
        themes.add_theme(name)
    assert ordered() == shipped


def test_a_retired_theme_still_blocks_its_name(shipped):
    theme = themes.add_theme("Thư viện xanh")
    themes.set_theme_active(theme, False)
    with pytest.raises(EventError, match="exists already"):
        themes.add_theme("thu vien xanh")


@pytest.mark.parametrize(("name", "message"), [("   ", "Give the theme a name"),
                                               ("x" * 256, "at most 255 characters")])  # fmt: skip
def test_empty_or_too_long_names_are_refused(shipped, name, message):
    with pytest.raises(EventError, match=message):
        themes.add_theme(name)
    assert ordered() == shipped


def test_rename_keeps_the_sessions_and_refuses_another_themes_name(world, event, shipped):
    theme = Theme.objects.get(name=FIRST)
    session = EventSession.objects.get(event=event, theme=theme)
    themes.rename_theme(theme, "Phát triển tài nguyên số")
    session.refresh_from_db()
    assert session.theme.name == "Phát triển tài nguyên số"
    with pytest.raises(EventError, match="exists already"):
        themes.rename_theme(theme, shipped[1].upper())
    theme.refresh_from_db()
    assert theme.name == "Phát triển tài nguyên số"


def test_rename_may_change_only_the_case_or_accents_of_its_own_name(shipped):
    theme = Theme.objects.get(name=FIRST)
    themes.rename_theme(theme, FIRST.upper())
    theme.refresh_from_db()
    assert theme.name == FIRST.upper()


def test_a_retired_theme_is_no_longer_offered_but_stays_on_its_sessions(world, event, shipped):
    theme = Theme.objects.get(name=FIRST)
    themes.set_theme_active(theme, False)
    assert not Theme.objects.get(pk=theme.pk).active
    assert theme not in SessionForm().fields["theme"].queryset
    assert EventSession.objects.filter(event=event, theme=theme).exists()
    start = timezone.make_aware(dt.datetime(2025, 11, 10, 14))
    with pytest.raises(EventError, match="no longer in use"):
        organising.add_session(
            event, theme=theme, title="Phiên chiều", starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )  # fmt: skip
    with pytest.raises(EventError, match="retired already"):
        themes.set_theme_active(theme, False)
    themes.set_theme_active(theme, True)
    assert theme in SessionForm().fields["theme"].queryset
    with pytest.raises(EventError, match="in use already"):
        themes.set_theme_active(theme, True)


def test_move_swaps_with_the_neighbour_and_renumbers(shipped):
    Theme.objects.update(order=0)  # equal orders: the list falls back on names
    names = ordered()
    second = Theme.objects.get(name=names[1])
    themes.move_theme(second, "up")
    assert ordered() == [names[1], names[0], *names[2:]]
    assert list(Theme.objects.order_by("order").values_list("order", flat=True)) == list(
        range(len(names))
    )
    themes.move_theme(second, "down")
    assert ordered() == names


def test_the_first_cannot_go_up_nor_the_last_down(shipped):
    with pytest.raises(EventError, match="first already"):
        themes.move_theme(Theme.objects.get(name=shipped[0]), "up")
    with pytest.raises(EventError, match="last already"):
        themes.move_theme(Theme.objects.get(name=shipped[-1]), "down")
    assert ordered() == shipped


# --- The screen ------------------------------------------------------------------------------


def test_the_department_lists_every_theme_in_order_with_its_use(
    world, client_for, event, shipped, django_assert_max_num_queries
):
    retired = themes.add_theme("Chủ đề cũ")
    themes.set_theme_active(retired, False)
    client = client_for(world.dept_officer)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200
    listed = response.context["themes"]
    assert [theme.name for theme in listed] == [*shipped, "Chủ đề cũ"]
    uses = {theme.name: theme.in_use for theme in listed}
    assert uses[shipped[0]] == 1 and uses[shipped[1]] == 1 and uses["Chủ đề cũ"] == 0
    body = response.content.decode()
    assert "Retired" in body and "Use again" in body and "Add a theme" in body
    assert client_for(world.dept_admin).get(LIST).status_code == 200


def test_add_from_the_screen(world, client_for, shipped):
    response = client_for(world.dept_officer).post(LIST, {"name": "Thư viện thân thiện"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert ordered() == [*shipped, "Thư viện thân thiện"]


def test_a_duplicate_from_the_screen_answers_422_with_the_reason(world, client_for, shipped):
    response = client_for(world.dept_officer).post(
        LIST, {"name": "TAO LAP VA PHAN PHOI cac dich vu thu vien"}
    )
    assert response.status_code == 422
    assert "exists already (letter case and accents aside)" in response.content.decode()
    empty = client_for(world.dept_officer).post(LIST, {"name": ""})
    assert empty.status_code == 422
    assert ordered() == shipped


def test_rename_from_the_screen(world, client_for, shipped):
    theme = Theme.objects.get(name=FIRST)
    url = reverse("events:theme_rename")
    client = client_for(world.dept_admin)
    response = client.post(url, {"theme": theme.pk, "name": "Tài nguyên thông tin"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Tài nguyên thông tin"
    refused = client.post(url, {"theme": theme.pk, "name": shipped[1]})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "exists already" in body and refused.context["renaming"] == theme.pk
    unknown = client.post(url, {"theme": 999999, "name": "Gì đó"})
    assert unknown.status_code == 422
    theme.refresh_from_db()
    assert theme.name == "Tài nguyên thông tin"


def test_retire_restore_and_move_from_the_screen(world, client_for, shipped):
    theme = Theme.objects.get(name=shipped[1])
    client = client_for(world.dept_officer)
    assert client.post(reverse("events:theme_retire"), {"theme": theme.pk}).status_code == 302
    theme.refresh_from_db()
    assert not theme.active
    assert client.post(reverse("events:theme_restore"), {"theme": theme.pk}).status_code == 302
    theme.refresh_from_db()
    assert theme.active
    move = reverse("events:theme_move")
    assert client.post(move, {"theme": theme.pk, "direction": "up"}).status_code == 302
    assert ordered()[:2] == [shipped[1], shipped[0]]
    response = client.post(move, {"theme": theme.pk, "direction": "up"}, follow=True)
    assert "This theme is first already." in response.content.decode()
    response = client.post(move, {"theme": theme.pk, "direction": "sideways"}, follow=True)
    assert "Choose a theme of the list." in response.content.decode()
    assert ordered()[:2] == [shipped[1], shipped[0]]


def test_only_department_organisers_may_use_the_screen(world, client, client_for, shipped):
    posts = [
        (LIST, {"name": "Chủ đề lạ"}),
        (reverse("events:theme_rename"), {"theme": Theme.objects.get(name=FIRST).pk, "name": "Lạ"}),
        (reverse("events:theme_retire"), {"theme": Theme.objects.get(name=FIRST).pk}),
        (
            reverse("events:theme_move"),
            {"theme": Theme.objects.get(name=FIRST).pk, "direction": "down"},
        ),
    ]
    # The partner's trainer organises events (MANAGE_EVENTS) but is not the department.
    for user in (world.trainer, world.office_officer, world.principal, world.librarian):
        assert client_for(user).get(LIST).status_code == 403
        for url, data in posts:
            assert client_for(user).post(url, data).status_code == 403
    for url, data in posts:
        assert client.post(url, data)["Location"].startswith("/accounts/login/")
    assert client.get(LIST)["Location"].startswith("/accounts/login/")
    assert ordered() == shipped and Theme.objects.filter(active=True).count() == len(shipped)


def test_wrong_methods_answer_405(world, client_for):
    client = client_for(world.dept_officer)
    assert client.delete(LIST).status_code == 405
    for name in ("theme_rename", "theme_move", "theme_retire", "theme_restore"):
        assert client.get(reverse(f"events:{name}")).status_code == 405


def test_the_events_list_links_to_the_themes_for_the_department_only(world, client_for):
    events = reverse("events:event_list")
    assert LIST in client_for(world.dept_officer).get(events).content.decode()
    assert LIST in client_for(world.dept_admin).get(events).content.decode()
    for user in (world.trainer, world.librarian, world.office_officer):
        assert LIST not in client_for(user).get(events).content.decode()
