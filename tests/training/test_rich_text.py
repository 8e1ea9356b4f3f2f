"""The report written in the browser is rich text, sanitised on the server before every save."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuvien.training import services
from thuvien.training.models import ReportVersion
from thuvien.training.services.records import clean_report_html

ATTACK = (
    '<p onclick="steal()">Mở đầu <script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">bấm</a>'
    '<span style="color:red">đỏ</span></p><style>p{}</style><iframe src="https://a.vn"></iframe>'
)


def url(name, record):
    return reverse(f"training:{name}", args=[record.pk])


def test_scripts_handlers_styles_and_javascript_urls_are_stripped():
    clean = clean_report_html(ATTACK)
    for bad in ("<script", "alert", "onerror", "onclick", "javascript:", "style", "<img", "iframe"):
        assert bad not in clean, bad
    assert clean.startswith("<p>Mở đầu ") and "bấm" in clean and "đỏ" in clean


def test_allowed_formatting_is_kept_and_links_get_noopener():
    html = (
        "<h3>Phần 1</h3><p><b>đậm</b> <strong>rất đậm</strong> <i>nghiêng</i> <em>nhấn</em></p>"
        "<ul><li>một</li></ul><ol><li>hai</li></ol>"
        '<p><a href="https://thuvien.edu.vn/tai-lieu">tài liệu</a></p>'
        "<table><tbody><tr><td>ô</td></tr></tbody></table>"
    )
    clean = clean_report_html(html)
    for kept in ("<h3>Phần 1</h3>", "<b>đậm</b>", "<strong>rất đậm</strong>", "<i>nghiêng</i>",
                 "<em>nhấn</em>", "<ul><li>một</li></ul>", "<ol><li>hai</li></ol>",
                 "<td>ô</td>"):  # fmt: skip
        assert kept in clean, kept
    assert (
        '<a href="https://thuvien.edu.vn/tai-lieu" rel="noopener noreferrer">tài liệu</a>' in clean
    )


def test_plain_text_keeps_its_paragraphs_and_is_escaped():
    assert clean_report_html("Một & hai\n\nBa") == "<p>Một &amp; hai</p>\n\n<p>Ba</p>"
    assert clean_report_html("Mở đầu") == "Mở đầu"


@pytest.mark.parametrize("autosave", [True, False])
def test_every_saved_version_is_sanitised(record, autosave):
    version = services.save_report_version(record, body=ATTACK, autosave=autosave)
    version.refresh_from_db()
    assert "<script" not in version.body and "onerror" not in version.body
    assert "Mở đầu" in version.body


def test_the_submitted_version_is_sanitised(world, record, published):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, published.topics.first())
    services.submit_report_text(record, body=ATTACK + "<p><b>Kết luận</b></p>")
    body = ReportVersion.objects.get(submitted=True).body
    assert "<script" not in body and "javascript:" not in body and "<b>Kết luận</b>" in body


def test_markup_without_text_is_an_empty_report(record):
    with pytest.raises(services.TrainingError, match="The report is empty"):
        services.save_report_version(record, body="<p><br></p><script>x()</script>")
    assert not ReportVersion.objects.exists()


def test_autosave_through_the_page_stores_sanitised_html(client_for, world, record):
    me = client_for(world.librarian)
    response = me.post(url("record_draft", record), {"body": ATTACK}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<script" not in ReportVersion.objects.get().body


def test_the_principal_sees_the_formatting_but_no_script(client_for, world, record, published):
    services.reopen_topic_choice(record, by=world.principal)
    services.choose_topic(record, published.topics.first())
    services.submit_report_text(record, body=ATTACK + "<h3>Kết quả</h3>")
    page = client_for(world.principal).get(url("school_record", record)).content.decode()
    assert "<h3>Kết quả</h3>" in page and "Mở đầu" in page
    assert "alert" not in page and "onerror" not in page


def test_the_editor_is_offered_with_labelled_buttons(client_for, world, record):
    client = client_for(world.librarian)
    client.cookies["thuvien_language"] = "en"  # the labels are checked in English
    page = client.get(url("record_detail", record)).content.decode()
    assert 'data-rich-text="report"' in page and 'data-editor-for="id_body"' in page
    for label in ("Bold", "Italic", "Heading", "Bulleted list", "Numbered list"):
        assert f'aria-label="{label}"' in page
    assert "training/record.js" in page
