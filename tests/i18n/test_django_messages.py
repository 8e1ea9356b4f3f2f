"""Django's own messages read in this product's Vietnamese: our catalogue (LOCALE_PATHS) wins
over Django's, and `thuvien/formats/vi/messages.py` keeps each re-worded msgid in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from thuvien.accounts.forms import LoginForm
from thuvien.formats.vi import messages
from thuvien.formats.vi.messages import MESSAGES, PLURAL_MESSAGES
from thuvien.organisations.testing import PASSWORD

# How Django's own Vietnamese writes what this product writes otherwise.
NOT_OUR_WORDS = ("Tập tin", "tập tin", "Trường này", "Hãy chắc chắn", "Đảm bảo", "khả thi")


@pytest.mark.parametrize("msgid", MESSAGES)
def test_each_django_message_we_show_reads_our_way(msgid):
    with translation.override("vi"):
        shown = gettext(msgid)
    assert shown != msgid, f"no Vietnamese for {msgid!r}"
    assert not any(word in shown for word in NOT_OUR_WORDS), shown


def _plural_pairs() -> list[tuple[str, str]]:
    """(singular, plural) of each `ngettext_lazy` in messages.py, read from its source."""
    tree = ast.parse(Path(messages.__file__).read_text(encoding="utf-8"))
    return [
        (node.args[0].value, node.args[1].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ngettext_lazy"
    ]


def test_every_plural_message_is_read():
    assert len(_plural_pairs()) == len(PLURAL_MESSAGES) > 0


@pytest.mark.parametrize(("singular", "plural"), _plural_pairs(), ids=lambda text: text[:40])
def test_each_plural_django_message_reads_our_way(singular, plural):
    with translation.override("vi"):
        shown = ngettext(singular, plural, 5)
    assert shown != plural and not any(word in shown for word in NOT_OUR_WORDS), shown


class Sample(forms.Form):
    name = forms.CharField(max_length=5)
    kind = forms.ChoiceField(choices=[("a", "A")])
    count = forms.IntegerField(max_value=3)
    day = forms.DateField()
    file = forms.FileField()


def test_a_form_says_please_enter_and_file_in_our_words():
    empty = SimpleUploadedFile("a.pdf", b"")
    with translation.override("vi"):
        errors = Sample({"kind": "z", "count": "9", "day": "x", "name": "quá dài"}, {"file": empty})
        errors = {name: " ".join(messages) for name, messages in errors.errors.items()}
        required = Sample({}).errors["name"][0]
    assert required == "Vui lòng nhập thông tin này."
    assert errors == {
        "name": "Vui lòng nhập không quá 5 ký tự (hiện có 7).",
        "kind": "Vui lòng chọn một giá trị trong danh sách: “z” không có trong danh sách.",
        "count": "Vui lòng nhập giá trị không lớn hơn 3.",
        "day": "Vui lòng nhập một ngày hợp lệ (ngày/tháng/năm).",
        "file": "Tệp gửi lên không có nội dung.",
    }


def test_a_wrong_password_and_a_short_new_one_read_our_way(world, client):
    response = client.post(
        "/accounts/login/", {"username": world.librarian.username, "password": "sai-mat-khau"}
    )
    with translation.override("vi"):
        wrong = str(LoginForm.error_messages["invalid_login"])
    assert wrong.startswith("Tên đăng nhập/email hoặc mật khẩu không đúng")
    assert escape(wrong) in response.content.decode()
    client.force_login(world.librarian)
    response = client.post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    page = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page, page
    assert "Mật khẩu này chỉ gồm chữ số." in page
