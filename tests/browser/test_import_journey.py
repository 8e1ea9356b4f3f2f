"""The import journey in Chromium: the department administrator downloads the template, uploads a
file with a bad row and reads what to fix, uploads the corrected file, confirms, and watches the
status page (htmx polling) turn to done once the task worker has applied it."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from tests.browser.conftest import log_in, needs_chromium
from tests.core.worker import DATABASE_TASKS, run_worker
from thuvien.core.models import ImportBatch, ImportStatus
from thuvien.organisations.models import Unit

pytestmark = [pytest.mark.browser, needs_chromium]

HEADERS = [
    "Tên đơn vị", "Loại", "Mã đơn vị (Bộ GD&ĐT)", "Đơn vị quản lý (mã hoặc tên)", "Cấp học",
    "Địa chỉ", "Điện thoại", "Email", "Số học sinh", "Số giáo viên", "Năm học", "Cơ quan chủ quản",
]  # fmt: skip


def workbook(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def test_admin_imports_units_through_preview_confirm_and_worker(world, page, tmp_path, settings):
    settings.TASKS = DATABASE_TASKS
    log_in(page, world.dept_admin.username)
    page.goto("/units/")
    page.locator("main a", has_text="Nhập danh sách đơn vị").first.click()
    with page.expect_download() as download:
        page.locator("main a", has_text="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert [cell.value for cell in load_workbook(template).worksheets[0][1]] == HEADERS

    office = world.office.name
    good = ["Trường Tiểu học Tân Thạch", "Trường", "83000301", office, "Tiểu học",
            "Ấp 2", "", "", 512, 24, "2025-2026"]  # fmt: skip
    bad = ["Trường Sai", "Thư viện", "83000302", office, "Tiểu học", "", "", "", "", "", ""]
    page.set_input_files("input[type=file]", workbook(tmp_path / "sai.xlsx", [HEADERS, good, bad]))
    page.locator("main form button[type=submit]").click()
    row_3 = page.locator("tr", has_text="Trường Sai")
    assert "Loại “Thư viện” không hợp lệ" in row_3.inner_text()
    assert row_3.locator("th").inner_text().strip() == "3"
    assert page.get_by_role("button", name="Nhập các đơn vị này").count() == 0

    page.locator("main a", has_text="Tải lên tệp đã sửa").click()
    page.set_input_files("input[type=file]", workbook(tmp_path / "dung.xlsx", [HEADERS, good]))
    page.locator("main form button[type=submit]").click()
    page.get_by_role("button", name="Nhập các đơn vị này").click()

    status = page.locator("#import-status")
    assert status.get_attribute("data-status") == ImportStatus.QUEUED
    assert not Unit.objects.filter(code="83000301").exists()
    run_worker()
    page.wait_for_selector("#import-status[data-status=done]", timeout=10_000)  # htmx polled
    assert "tạo 1 đơn vị" in status.inner_text()
    assert Unit.objects.get(code="83000301").parent == world.office
    assert ImportBatch.objects.get().status == ImportStatus.DONE
