"""core.cells: a value becomes a spreadsheet cell in one place, and people's text stays text.

The workbooks are saved and opened again keeping formulas (`data_only=False`), as a spreadsheet
program reads them. The end-to-end checks (a downloaded progress workbook, an event report) are
in test_spreadsheet_injection.py."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from thuvien.core import cells

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]
SAFE_TEXT = ["Trường Tiểu học Nguyễn Du", "Đặng Thị Thư", "0912 345 678", "2025-2026", "a=b"]
ROOT = Path(__file__).resolve().parents[2] / "thuvien"


def reopened(book: Workbook):
    return load_workbook(io.BytesIO(cells.workbook_bytes(book)), data_only=False)


def test_openpyxl_alone_would_write_a_formula():
    """Why the module exists: a plain `append` stores "=…" as a formula and "#N/A" as an error."""
    book = Workbook()
    sheet = book.active
    sheet.append(["=1+1", "#N/A"])
    reread = load_workbook(io.BytesIO(cells.workbook_bytes(book)), data_only=False).active
    assert [cell.data_type for cell in reread[1]] == ["f", "e"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_is_a_text_cell_with_its_exact_text(payload):
    book = cells.new_workbook()
    sheet = book.create_sheet("Thử")
    cells.append_row(sheet, ["Họ và tên", payload])
    cells.write_cell(sheet, 2, 2, payload)
    reread = reopened(book)["Thử"]
    for cell in (reread["B1"], reread["B2"]):
        assert (cell.data_type, cell.value) == ("s", payload)
        assert cell.quotePrefix  # Excel keeps it text when the cell is edited


def test_numbers_and_dates_keep_their_types_and_text_stays_text():
    aware = timezone.make_aware(dt.datetime(2026, 4, 1, 9, 30))
    values = [3, 2.5, Decimal("1.25"), True, dt.date(2025, 9, 5), aware, None, "#N/A", *SAFE_TEXT]
    book = cells.new_workbook()
    sheet = book.create_sheet("Số")
    written = cells.append_row(sheet, values)
    assert len(written) == len(values)
    row = list(reopened(book)["Số"][1])
    assert [cell.value for cell in row[:4]] == [3, 2.5, 1.25, True]
    assert [cell.data_type for cell in row[:4]] == ["n", "n", "n", "b"]
    assert row[4].is_date and row[4].value == dt.datetime(2025, 9, 5)
    assert row[5].is_date and row[5].value == dt.datetime(2026, 4, 1, 9, 30)  # local time
    assert row[6].value is None
    assert [(cell.data_type, cell.value) for cell in row[7:]] == [
        ("s", text) for text in ["#N/A", *SAFE_TEXT]
    ]
    assert not any(cell.quotePrefix for cell in row[7:])


def test_characters_an_xlsx_cannot_hold_are_dropped_not_refused():
    book = cells.new_workbook()
    sheet = book.create_sheet("T")
    cells.append_row(sheet, ["Thư\x0bviện\x00", "=\x01A1"])
    reread = reopened(book)["T"]
    assert [(c.data_type, c.value) for c in reread[1]] == [("s", "Thưviện"), ("s", "=A1")]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_csv_field_that_starts_like_a_formula_gets_an_apostrophe(payload):
    assert cells.csv_value(payload) == "'" + payload
    content = cells.csv_bytes([["Họ và tên", "Số"], [payload, -1]])
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows == [["Họ và tên", "Số"], ["'" + payload, "-1"]]


def test_csv_keeps_numbers_dates_and_plain_text():
    assert [cells.csv_value(text) for text in SAFE_TEXT] == SAFE_TEXT
    assert cells.csv_value(-3) == "-3" and cells.csv_value(2.5) == "2.5"
    assert cells.csv_value(dt.date(2025, 9, 5)) == "2025-09-05"
    assert cells.csv_value(None) == "" and cells.csv_value("") == ""


# --- Nothing writes a spreadsheet another way -----------------------------------------------------

WRITERS = {"new_workbook", "create_sheet", "Workbook"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            names = {alias.name for alias in node.names}
            if node.module in ("openpyxl.workbook", "openpyxl.cell", "openpyxl.cell.cell") or (
                node.module == "openpyxl" and names & {"Workbook", "cell"}
            ):
                found.append(f"line {node.lineno}: imports an openpyxl writer")
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            found.append(f"line {node.lineno}: writes CSV with csv.{node.attr}")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += _direct_writes(node)
    return found


def _direct_writes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """In a function that makes a workbook or a sheet: no cell written past `core.cells`."""
    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]

    def name(call: ast.Call) -> str:
        func = call.func
        return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")

    if not any(name(call) in WRITERS for call in calls):
        return []
    found = []
    for call in calls:
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if method == "append" or (
            method == "cell"
            and (len(call.args) > 2 or any(k.arg == "value" for k in call.keywords))
        ):
            found.append(f"line {call.lineno}: {function.name} writes a cell with .{method}()")
    for node in ast.walk(function):
        for target in getattr(node, "targets", [getattr(node, "target", None)]):
            if isinstance(target, ast.Subscript) or (
                isinstance(target, ast.Attribute) and target.attr == "value"
            ):
                found.append(f"line {node.lineno}: {function.name} assigns a cell directly")
    return found


def test_every_spreadsheet_is_written_through_core_cells():
    problems = {
        str(path.relative_to(ROOT)): found
        for path in sorted(ROOT.rglob("*.py"))
        if path != ROOT / "core" / "cells.py" and (found := _problems(path))
    }
    assert problems == {}


def test_the_walk_finds_a_direct_write(tmp_path):
    """The walk above can fail: a module written the old way is caught on each count."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import csv\n"
        "from openpyxl import Workbook\n"
        "def export(rows):\n"
        "    book = Workbook()\n"
        "    sheet = book.active\n"
        "    sheet.append(['=1+1'])\n"
        "    sheet['A2'] = '=2+2'\n"
        "    sheet.cell(3, 1, '=3+3')\n"
        "    sheet.cell(row=4, column=1).value = '=4+4'\n"
        "    return csv.writer(rows)\n"
    )
    lines = sorted(int(problem.split(":")[0].removeprefix("line ")) for problem in _problems(bad))
    assert lines == [2, 6, 7, 8, 9, 10]


# --- Numbers, dates and shares shown the Vietnamese way ---------------------------------------


def test_numbers_dates_and_shares_carry_vietnamese_number_formats():
    values = [
        15067, 2.5, Decimal("4.25"), dt.date(2025, 9, 5),
        timezone.make_aware(dt.datetime(2026, 4, 1, 9, 30)), cells.Percent(100 / 3), True, "12",
    ]  # fmt: skip
    book = cells.new_workbook()
    cells.append_row(book.create_sheet("Số"), values)
    row = list(reopened(book)["Số"][1])
    assert [cell.number_format for cell in row] == [
        cells.INTEGER_FORMAT, cells.DECIMAL_FORMAT, cells.DECIMAL_FORMAT, cells.DATE_FORMAT,
        cells.DATETIME_FORMAT, cells.PERCENT_FORMAT, "General", "General",
    ]  # fmt: skip
    assert cells.INTEGER_FORMAT == "[$-42A]#,##0"  # the Vietnamese locale: 15.067
    assert cells.DATE_FORMAT == r"dd\/mm\/yyyy"  # literal slashes: 05/09/2025 everywhere
    assert row[5].data_type == "n" and row[5].value == pytest.approx(1 / 3)
    assert (row[7].data_type, row[7].value) == ("s", "12")  # text stays text


def test_a_percent_in_csv_is_its_number_of_percent():
    assert cells.csv_value(cells.Percent(33.3)) == "33.3"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15.067", 15067),
        ("12", 12),
        ("-3", -3),
        ("4,25", Decimal("4.25")),
        ("1.234,5", Decimal("1234.5")),
        ("33,3 %", cells.Percent(Decimal("33.3"))),
        ("33,3\u00a0%", cells.Percent(Decimal("33.3"))),
        ("50%", cells.Percent(Decimal("50"))),
        ("05/09/2025", dt.date(2025, 9, 5)),
        ("31/02/2025", "31/02/2025"),  # no such day: text
        ("0912 345 678", "0912 345 678"),
        ("083000101", "083000101"),  # a code with its leading zero stays text
        ("Trường Tiểu học Nguyễn Du", "Trường Tiểu học Nguyễn Du"),
        ("=1+1", "=1+1"),
        ("1.2.3", "1.2.3"),
        ("", ""),
    ],
)
def test_a_documents_vietnamese_text_is_typed_back_for_a_spreadsheet(text, value):
    assert cells.from_document_text(text) == value
    assert type(cells.from_document_text(text)) is type(value)
