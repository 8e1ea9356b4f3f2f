"""The catalogue journey in Chromium: a primary school's librarian and principal.

School D (the THPT) has catalogued a book the province now shares. The librarian of school A1
scans its ISBN (typed into the ISBN box and ended with Enter, as a barcode scanner does), lands on
the shared record and adds 3 copies in one action; makes a record by hand and adds a copy; checks
a MARC file with a damaged record (the preview names it and why, nothing is written), then imports
the valid records only (the task worker applies them); prints the new copies' barcode labels;
proposes to withdraw a copy, which the principal approves with the minutes; and downloads the
registers, the individual one saying "đã thanh lọc" on the withdrawn copy's line. The catalogue's
pages have no serious accessibility problem (axe).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import ngettext
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in, needs_chromium, vi
from tests.browser.test_accessibility import serious_violations
from tests.core.worker import DATABASE_TASKS, run_worker
from thuvien.catalogue.models import Copy, CopyStatus, Record, Withdrawal, WithdrawalStatus
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies, records
from thuvien.core.models import ImportBatch, ImportStatus

pytestmark = [pytest.mark.browser, needs_chromium]

SAMPLES = Path(django_settings.BASE_DIR).parent / "shared" / "marc_samples"
SHARED_ISBN = "9786042123457"  # catalogued by school D, the THPT
SHARED_TITLE = "Hai vạn dặm dưới đáy biển"
OWN_ISBN = "9786042034562"
OWN_TITLE = "Lịch sử và văn hoá làng Phú Lễ"
MINUTES = "05/BB-TV"
DECISION = "12/QĐ-THA1"


def _page(make_context, login):
    page = log_in(make_context().new_page(), login)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    return page


def _click(page, button):
    with page.expect_navigation():
        button.click()


def _said(page, text):
    expect(page.locator("body")).to_contain_text(text)


def _download(page, button):
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    assert path is not None, info.value.failure()
    return info.value.suggested_filename, Path(path).read_bytes()


def _marc_with_a_damaged_record() -> bytes:
    """The first three records of pymarc's marc.dat, the second damaged: ten bytes more than
    its leader says (an editor's slip, or two files glued together)."""
    good = (SAMPLES / "pymarc" / "marc.dat").read_bytes().split(b"\x1d")[:3]
    first, second, third = (record + b"\x1d" for record in good)
    cut = len(second) // 2
    damaged = second[:cut] + b"XXXXXXXXXX" + second[cut:]
    return first + damaged + third


def _copy_rows(page):
    return page.locator("#copies tbody tr")


def test_librarian_catalogues_imports_prints_withdraws_and_registers(
    world, make_context, tmp_path, settings
):
    settings.TASKS = DATABASE_TASKS
    settings.VAR_DIR = tmp_path
    today = timezone.localdate()
    # School D has this book: the province's record, with its copies.
    copies.set_up_collections(world.thpt)
    shared = records.create_record(
        RecordData(
            title=SHARED_TITLE,
            author="Jules Verne",
            other_authors=["Đỗ Ca Sơn (dịch)"],
            doc_type="stk",
            publisher="Văn học",
            place="Hà Nội",
            year=2021,
            classification="843",
            isbns=[("978-604-2-12345-7", "")],
        ),
        school=world.thpt,
        by=world.thpt_librarian,
    )
    copies.add_copies(shared, school=world.thpt, count=2, by=world.thpt_librarian)
    assert not Copy.objects.filter(record=shared, school=world.school).exists()

    # 1. Copy cataloguing: the scanner types the ISBN and Enter; the shared record opens.
    me = _page(make_context, world.librarian.username)
    me.goto("/catalogue/")
    isbn = me.locator("#isbn-form input[name=isbn]")
    expect(isbn).to_be_focused()  # ready for the scanner
    isbn.press_sequentially(SHARED_ISBN, delay=5)
    with me.expect_navigation():
        isbn.press("Enter")
    expect(me.locator("h1")).to_have_text(SHARED_TITLE)
    assert me.url.endswith(f"/catalogue/records/{shared.pk}/")
    expect(me.locator("#copies")).to_contain_text(vi("The school has no copy of this record."))
    # …and adds 3 copies in one action.
    add = me.locator("#copies form")
    add.locator("[name=count]").fill("3")
    add.locator("[name=price_vnd]").fill("98000")
    _click(me, add.get_by_role("button", name=vi("Add the copies")))
    expect(_copy_rows(me)).to_have_count(3)
    made = list(Copy.objects.filter(record=shared, school=world.school).order_by("number"))
    numbers = [copy.number for copy in made]
    assert numbers == list(range(numbers[0], numbers[0] + 3)), numbers
    assert len({copy.sequence_id for copy in made}) == 1
    first, last = made[0].registration_number, made[-1].registration_number
    _said(me, vi("%(count)s copies added: %(first)s to %(last)s.") % {
        "count": 3, "first": first, "last": last,
    })  # fmt: skip
    for row, copy in zip(_copy_rows(me).all(), made, strict=True):
        expect(row.locator("td").first).to_have_text(copy.registration_number)
        expect(row.locator("td").nth(3)).to_have_text(vi("Available"))
    with translation.override("vi"):  # school D's copies are counted, never shown
        others = ngettext(
            "Other schools hold %(count)s copy.", "Other schools hold %(count)s copies.", 2
        )
    expect(me.locator("#copies")).to_contain_text(others % {"count": 2})

    # 2. A book nobody in the province has: the scan opens the record form, the ISBN filled in;
    # the librarian catalogues it by hand, then adds a copy.
    me.goto("/catalogue/")
    isbn = me.locator("#isbn-form input[name=isbn]")
    isbn.press_sequentially(OWN_ISBN, delay=5)
    with me.expect_navigation():
        isbn.press("Enter")
    expect(me.locator("h1")).to_have_text(vi("New record"))
    form = me.locator("#record-form")
    expect(form.locator("[name=isbns]")).to_have_value(OWN_ISBN)
    form.locator("[name=title]").fill(OWN_TITLE)
    form.locator("[name=author]").fill("Trần Văn Lễ")
    form.locator("[name=publisher]").fill("Tổng hợp TP. Hồ Chí Minh")
    form.locator("[name=place]").fill("TP. Hồ Chí Minh")
    form.locator("[name=year]").fill("2024")
    form.locator("[name=classification]").fill("959.7")
    form.locator("[name=doc_type]").select_option("stk")
    _click(me, form.get_by_role("button", name=vi("Add to the catalogue")))
    _said(me, vi("The record is in the catalogue: add its copies."))
    own = Record.objects.get(title=OWN_TITLE)
    assert [row.isbn13 for row in own.isbns.all()] == [OWN_ISBN]
    assert me.url.endswith(f"/catalogue/records/{own.pk}/")
    _click(me, me.locator("#copies form").get_by_role("button", name=vi("Add the copies")))
    expect(_copy_rows(me)).to_have_count(1)
    own_copy = Copy.objects.get(record=own, school=world.school)
    assert own_copy.collection.code == "STK" and own_copy.status == CopyStatus.AVAILABLE
    expect(_copy_rows(me).first.locator("td").first).to_have_text(own_copy.registration_number)

    # 3. A MARC file with a damaged record: the dry run names it and why; nothing is written.
    marc = tmp_path / "sach-tang.mrc"
    marc.write_bytes(_marc_with_a_damaged_record())
    before = Record.objects.count()
    me.goto("/catalogue/")
    _click(me, me.get_by_role("link", name=vi("Import"), exact=True))
    _click(me, me.locator("main a", has_text=vi("Import a MARC file (ISO 2709 or MARCXML)")))
    me.locator("input[type=file]").set_input_files(str(marc))
    _click(me, me.get_by_role("button", name=vi("Check the file")))
    _said(me, vi("File “%(name)s”. Nothing has been saved yet.") % {"name": marc.name})
    rejected = me.locator("main tr.row-error")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("th")).to_have_text("2")
    expect(rejected.locator("td")).to_contain_text("Đầu biểu ghi độ dài biểu ghi là")
    expect(rejected.locator("td")).to_contain_text("tệp bị hỏng hoặc bị cắt cụt")
    assert Record.objects.count() == before
    # …then imports the valid records only; the worker applies them.
    with translation.override("vi"):
        valid_only = ngettext(
            "Import only the %(counter)s valid record",
            "Import only the %(counter)s valid records",
            2,
        )
    _click(me, me.get_by_role("button", name=valid_only % {"counter": 2}))
    status = me.locator("#import-status")
    expect(status).to_have_attribute("data-status", ImportStatus.QUEUED)
    assert Record.objects.count() == before
    run_worker()
    expect(me.locator("#import-status[data-status=done]")).to_be_visible(timeout=10_000)
    with translation.override("vi"):
        left_out = ngettext(
            "%(counter)s rejected record was left out.",
            "%(counter)s rejected records were left out.",
            1,
        )
    expect(me.locator("#import-status")).to_contain_text(left_out % {"counter": 1})
    assert ImportBatch.objects.get().status == ImportStatus.DONE
    assert Record.objects.count() == before + 2
    assert Record.objects.filter(title__startswith="The pragmatic programmer").exists()
    assert Record.objects.filter(title__startswith="Learning Python").exists()
    assert not Record.objects.filter(title__startswith="Programming Python").exists()

    # 4. The barcode labels of the 3 new copies.
    me.goto("/catalogue/registers/labels/")
    labels = me.locator("main form")
    labels.locator("[name=source]").select_option("range")
    labels.locator("[name=first]").fill(made[0].registration_number)
    labels.locator("[name=last]").fill(made[-1].registration_number)
    labels.locator("[name=kind]").select_option("barcode")
    name, content = _download(me, labels.get_by_role("button", name=vi("Print the labels (PDF)")))
    assert name.endswith(".pdf") and content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for copy in made:
        assert copy.registration_number in text

    # 5. A withdrawal: proposed by the librarian…
    gone = made[0]
    me.goto("/catalogue/withdrawals/")
    propose = me.locator("form[action$='/withdrawals/new/']")
    propose.locator("[name=codes]").fill(f"{gone.registration_number}; Rách bìa, mất trang")
    propose.locator("[name=reason]").fill("Sách hư hỏng không sửa được")
    _click(me, propose.get_by_role("button", name=vi("Send to the principal")))
    _said(me, vi("The withdrawal list is sent to the principal."))
    withdrawal = Withdrawal.objects.get(lines__copy=gone)
    assert me.url.endswith(f"/catalogue/withdrawals/{withdrawal.pk}/")
    assert withdrawal.status == WithdrawalStatus.PROPOSED
    # …approved by the principal with the minutes' number and date.
    principal = _page(make_context, world.principal.username)
    principal.goto(f"/catalogue/withdrawals/{withdrawal.pk}/")
    approve = principal.locator("form[action$='/approve/']")
    approve.locator("[name=minutes_number]").fill(MINUTES)
    approve.locator("[name=minutes_date]").fill(today.isoformat())
    approve.locator("[name=decision_number]").fill(DECISION)
    _click(principal, approve.get_by_role("button", name=vi("Approve and withdraw the copies")))
    _said(principal, vi("Approved: %(count)s copies are withdrawn.") % {"count": 1})
    expect(principal.locator("main")).to_contain_text(MINUTES)
    expect(principal.locator("main")).to_contain_text(today.strftime("%d/%m/%Y"))
    line = principal.locator("main tbody tr", has_text=gone.registration_number)
    expect(line.locator("td").nth(3)).to_have_text(vi("Withdrawn"))
    gone.refresh_from_db()
    assert gone.status == CopyStatus.WITHDRAWN
    # The librarian's record page says so.
    me.goto(f"/catalogue/records/{shared.pk}/")
    row = _copy_rows(me).filter(has_text=gone.registration_number)
    expect(row.locator("td").nth(3)).to_have_text(vi("Withdrawn"))

    # 6. The registers, PDF and XLSX; the individual register's line says "đã thanh lọc".
    me.goto("/catalogue/")
    _click(me, me.locator("main a", has_text=vi("Registers and labels")))
    register = me.locator("main form")
    register.locator("[name=kind]").select_option("individual")
    register.locator("[name=fmt]").select_option("pdf")
    button = register.get_by_role("button", name=vi("Download the register"))
    name, content = _download(me, button)
    assert name.startswith("so-dang-ky-ca-biet-") and name.endswith(".pdf")
    assert content.startswith(b"%PDF-")
    assert "đã thanh lọc" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    register.locator("[name=fmt]").select_option("xlsx")
    name, content = _download(me, button)
    assert name.endswith(".xlsx") and content.startswith(b"PK")
    book = load_workbook(io.BytesIO(content))
    lines = [
        [str(value) for value in row if value is not None]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    (gone_line,) = [row for row in lines if gone.registration_number in row]
    assert f"đã thanh lọc, QĐ số {DECISION}" in " ".join(gone_line)
    kept = [row for row in lines if made[1].registration_number in row]
    assert kept and "đã thanh lọc" not in " ".join(kept[0])
    register.locator("[name=kind]").select_option("general")
    for fmt, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK")):
        register.locator("[name=fmt]").select_option(fmt)
        name, content = _download(me, button)
        assert name.startswith("so-dang-ky-tong-quat-") and name.endswith(f".{fmt}")
        assert content.startswith(magic)

    # 7. The catalogue's pages, as the librarian sees them: no serious accessibility problem.
    pages = [
        "/catalogue/",
        f"/catalogue/?q={SHARED_TITLE}",
        f"/catalogue/records/{shared.pk}/",
        "/catalogue/records/new/",
        f"/catalogue/copies/{made[1].pk}/edit/",
        "/catalogue/acquisitions/",
        "/catalogue/withdrawals/",
        f"/catalogue/withdrawals/{withdrawal.pk}/",
        "/catalogue/import/",
        "/catalogue/import/marc/",
        "/catalogue/registers/",
        "/catalogue/registers/labels/",
    ]
    problems = {}
    for url in pages:
        assert me.goto(url).status == 200, url
        if found := serious_violations(me):
            problems[url] = found
    assert problems == {}
