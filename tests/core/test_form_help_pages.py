"""Form labels point at their own field on every page a person reaches (issue 9, forms that help).

Each role of the test world (with the Bến Tre campaign published and under way, so that the pages
with several row forms have rows) starts at the home page and follows the site's own links, as a
person would; every HTML page reached must repeat no id, every `<label for>` must point at an
element of the page, inside its own form when it sits in one, and no form may ask to confirm
while a required field is empty. A page that renders several forms
with the same fields gives each form ids of its own (`core.form_help.OwnIds`, or a prefix)."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.training.conftest import PUBLISHED_ON, at, make_campaign
from tests.training.test_forms_help import Page
from thuvien.training import services
from thuvien.training.models import Enrolment

# Not pages: downloads, the language switch, leaving, the admin and the API (JSON).
SKIPPED = ("/accounts/logout", "/i18n/", "/admin/", "/api/", "/static/", "/media/")
DOWNLOADS = (".pdf", ".docx", ".xlsx", ".csv", ".zip", ".png", ".jpg", ".svg", "/download/")
MAX_PAGES = 120  # per role: more than any role reaches in the world


class Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


class Askers(HTMLParser):
    """The forms that ask to confirm (on the form or a button): whether they let the browser
    validate, their required fields, and the fields the question waits for."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._form: dict[str, object] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._form = {
                "action": values.get("action"),
                "novalidate": "novalidate" in values,
                "asks": "data-confirm" in values,
                "waits_for": set((values.get("data-confirm-if-filled") or "").split()),
                "required": set(),
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "button" and "data-confirm" in values:
            self._form["asks"] = True
            self._form["waits_for"] |= set((values.get("data-confirm-if-filled") or "").split())
        hidden = values.get("type") in ("hidden", "submit", "button")
        if tag in ("input", "textarea", "select") and "required" in values and not hidden:
            self._form["required"].add(values.get("name"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None

    def asking_over_empty_fields(self) -> list[object]:
        """Forms that would ask while a required field is empty: the browser does not check them
        (novalidate) and the question waits for none of their required fields."""
        return [
            form["action"]
            for form in self.forms
            if form["asks"] and form["novalidate"] and form["required"]
            and not (form["waits_for"] & form["required"])
        ]  # fmt: skip


def _followed(href: str) -> str | None:
    url, _fragment = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED) or parts.path.lower().endswith(DOWNLOADS):
        return None
    if any(part in parts.path for part in ("/pdf", "/docx", "/xlsx", "/print", "/file")):
        return None
    return url


def crawl(client) -> dict[str, str]:
    """url → HTML of every page reached from the home page by the site's own links."""
    seen, pages, queue = {"/"}, {}, deque(["/"])
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for href in Links(html).hrefs:
            found = _followed(href)
            if found and found not in seen:
                seen.add(found)
                queue.append(found)
    return pages


@pytest.fixture
def under_way(world):
    """The Bến Tre campaign: A1's librarian submitted (so the principal has a report to
    evaluate and return), the teacher-librarian has a topic; school D's librarian a draft."""
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    for user in (world.librarian, world.teacher_librarian, world.thpt_librarian):
        record = Enrolment.objects.get(campaign=campaign, user=user)
        services.choose_topic(record, campaign.topics.first(), on=PUBLISHED_ON)
    record = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    services.submit_report_text(record, body="<p>Bài thu hoạch</p>", at=at(2026, 4, 1))
    return campaign


@pytest.mark.parametrize(
    "role",
    [
        "dept_admin",
        "dept_officer",
        "office_officer",
        "principal",
        "librarian",
        "teacher_librarian",
        "trainer",
        "reader",
    ],
)
def test_labels_point_at_their_own_field_and_no_form_asks_over_empty_fields(
    world, client_for, under_way, role
):
    """No id repeats, each label points into its own form; and the browser's own check (or the
    server's answer at the field) speaks before any question: a form that asks to confirm either
    lets the browser validate or asks only once its fields are filled."""
    pages = crawl(client_for(getattr(world, role)))
    assert len(pages) > 3, f"{role} reached only {sorted(pages)}"
    failures = {}
    for url, html in pages.items():
        try:
            Page(html).assert_ids_unique_and_labels_own()
        except AssertionError as error:
            failures[url] = str(error)
    assert failures == {}
    asking = {url: Askers(html).asking_over_empty_fields() for url, html in pages.items()}
    assert {url: forms for url, forms in asking.items() if forms} == {}


def test_the_check_finds_a_form_that_asks_over_an_empty_field():
    html = (
        '<form action="/a/" novalidate data-confirm="Sure?"><textarea name="body" required>'
        '</textarea></form><form action="/b/" novalidate><button data-confirm="Sure?" '
        'data-confirm-if-filled="body"></button><textarea name="body" required></textarea></form>'
        '<form action="/c/" data-confirm="Sure?"><input name="reason" required></form>'
    )
    assert Askers(html).asking_over_empty_fields() == ["/a/"]
