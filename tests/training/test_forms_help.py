"""Forms that help (issue 9): limits on notes, reports and comments with a clear message, the error
at its field (focused, tied by aria-describedby), and ids that do not repeat on pages that render
several forms, so that each label activates its own form's field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from thuvien.training import services


class Page(HTMLParser):
    """The ids of a page, its forms, and each label's `for` with the form it sits in."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.forms: list[set[str]] = []
        self.labels: list[tuple[str, int | None]] = []
        self.elements: dict[str, dict[str, str | None]] = {}
        self._form: int | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(set())
            self._form = len(self.forms) - 1
        if (element_id := values.get("id")) is not None:
            self.ids.append(element_id)
            self.elements[element_id] = {"tag": tag, **values}
            if self._form is not None:
                self.forms[self._form].add(element_id)
        if tag == "label" and values.get("for"):
            self.labels.append((values["for"] or "", self._form))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None

    def assert_ids_unique_and_labels_own(self) -> None:
        repeated = sorted({i for i in self.ids if self.ids.count(i) > 1})
        assert not repeated, f"ids repeated on the page: {repeated}"
        for target, form in self.labels:
            assert target in self.elements, f"<label for={target}> points at nothing"
            if form is not None:
                assert target in self.forms[form], f"<label for={target}> points out of its form"


def url(name, obj):
    return reverse(f"training:{name}", args=[obj.pk])


@pytest.fixture
def principal(client_for, world):
    client = client_for(world.principal)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def librarian(client_for, world):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"
    return client


@pytest.fixture
def submitted(record, published, world):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, published.topics.first())
    services.submit_report_text(record, body="<p>Bài thu hoạch</p>")
    record.refresh_from_db()
    return record


def test_the_school_record_page_repeats_no_id(principal, submitted):
    page = Page(principal.get(url("school_record", submitted)).content.decode())
    assert len(page.forms) >= 3
    page.assert_ids_unique_and_labels_own()


def test_the_school_page_repeats_no_id(principal, submitted, published):
    page = Page(principal.get(url("school_page", published)).content.decode())
    page.assert_ids_unique_and_labels_own()


def test_the_record_page_repeats_no_id(librarian, record, world, published):
    services.reopen_topic_choice(record, by=world.principal)
    page = Page(librarian.get(url("record_detail", record)).content.decode())
    assert len(page.forms) >= 3
    page.assert_ids_unique_and_labels_own()


# --- Limits: the form says it at the field; the service refuses whatever the path -------------


def note_data(**fields):
    return {"date": "2026-01-05", "content": "Đọc tài liệu", "hours": "2", **fields}


def test_an_oversize_note_is_refused_at_its_field(librarian, record):
    response = librarian.post(url("record_note", record), note_data(content="x" * 112_000))
    assert response.status_code == 422
    assert not record.notes.exists()
    page = response.content.decode()
    assert "At most 5,000 characters, you typed 112,000." in page
    field = Page(page).elements["id_note_content"]
    assert field["aria-invalid"] == "true"
    assert "id_note_content_error" in (field["aria-describedby"] or "").split()
    assert "autofocus" in field
    assert Page(page).elements["id_note_content_error"]["tag"] == "small"
    Page(page).assert_ids_unique_and_labels_own()  # the page again, its forms open


def test_a_note_at_the_limit_is_kept(librarian, record):
    response = librarian.post(url("record_note", record), note_data(content="x" * 5_000))
    assert response.status_code == 302
    assert len(record.notes.get().content) == 5_000


def test_the_service_refuses_an_oversize_note_in_vietnamese(record):
    with translation.override("vi"), pytest.raises(services.TrainingError) as caught:
        services.add_study_note(
            record, date=dt.date(2026, 1, 5), content="x" * 5_001, hours=Decimal(1)
        )
    message = str(caught.value)
    assert "5.000" in message and "5.001" in message
    assert not record.notes.exists()


def test_an_oversize_report_is_refused_at_its_field(librarian, record, world, published):
    services.reopen_topic_choice(record, by=world.principal)
    body = "<p>" + "chữ " * 16_000 + "</p>"  # 64,000 characters of text
    response = librarian.post(url("record_report", record), {"body": body, "action": "save"})
    assert response.status_code == 422
    assert not record.report_versions.exists()
    page = response.content.decode()
    assert "at most 60,000 characters" in page
    assert "autofocus" in Page(page).elements["id_body"]


def test_the_service_counts_the_reports_text_not_its_markup(record, world):
    services.reopen_topic_choice(record, by=world.principal)
    kept = services.save_report_version(record, body="<p><strong>" + "a" * 59_000 + "</strong></p>")
    assert len(kept.body) > 59_000
    with pytest.raises(services.TrainingError, match="60,000"):
        services.submit_report_text(record, body="<p>" + "a" * 60_001 + "</p>")
    with pytest.raises(services.TrainingError, match="formatting"):
        services.save_report_version(record, body="<p>a</p>" + "<p><b>b</b></p>" * 30_000)


def test_the_autosave_says_the_report_is_too_long(librarian, record, world):
    services.reopen_topic_choice(record, by=world.principal)
    response = librarian.post(url("record_draft", record), {"body": "a" * 300_001})
    assert response.status_code == 422
    assert "300,000" in response.content.decode()


def test_oversize_comments_are_refused(principal, submitted, world):
    response = principal.post(url("school_return", submitted), {"comment": "x" * 2_001})
    assert response.status_code == 422
    page = Page(response.content.decode())
    assert page.elements["id_return_comment"]["aria-invalid"] == "true"
    assert "autofocus" in page.elements["id_return_comment"]
    assert "autofocus" not in page.elements["id_evaluate_comment"]
    page.assert_ids_unique_and_labels_own()
    submitted.refresh_from_db()
    assert submitted.report_status == "submitted"
    with translation.override("en"), pytest.raises(services.TrainingError, match="2,000"):
        services.return_report(submitted, by=world.principal, comment="x" * 2_001)
    with translation.override("en"), pytest.raises(services.TrainingError, match="2,000"):
        services.evaluate(submitted, by=world.principal, grade="good", comment="x" * 2_001)
    submitted.refresh_from_db()
    assert submitted.report_status == "submitted"


# --- No confirmation for an empty form ------------------------------------------------------


def test_the_report_asks_to_confirm_only_when_something_is_written(librarian, record, world):
    services.reopen_topic_choice(record, by=world.principal)
    page = librarian.get(url("record_detail", record)).content.decode()
    assert page.count('data-confirm-if-filled="body"') == 1
    assert page.count('data-confirm-if-filled="file"') == 1


def test_a_form_error_of_its_own_takes_the_focus(librarian, record, world):
    """An error of the whole form (the service's) is focused when no field has one."""
    services.reopen_topic_choice(record, by=world.principal)
    response = librarian.post(url("record_note", record), note_data(date="2099-01-01"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="errorlist" role="alert" tabindex="-1" autofocus' in html
    assert html.count("autofocus") == 1
