"""Frameworks as files: what ships agrees with the reference data, a file read back is the file
written, and every kind of bad file is refused whole with a message that says what to fix."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from thuvien.standards import framework_files, services
from thuvien.standards.framework_files import FrameworkFileError
from thuvien.standards.models import Criterion, Framework, FrameworkVersion, Judgement

# The shared reference beside the repository (../shared) when there is one; else the copy kept
# with these tests (tests/standards/data/, copied from it on 2 December 2026), so that a clone
# elsewhere checks the shipped frameworks against the same facts.
_NAME = "library_standards_tt16.yaml"
_SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / _NAME
REFERENCE = _SHARED if _SHARED.is_file() else Path(__file__).resolve().parent / "data" / _NAME
TIERS = {
    "mam_non": "preschool",
    "tieu_hoc": "primary",
    "thcs": "lower_secondary",
    "thpt": "upper_secondary",
    "nhieu_cap": "multi_tier",
}


@pytest.fixture(scope="module")
def reference() -> dict:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["tt16_2022"]


def test_every_criterion_of_the_reference_ships_with_its_tiers_article_and_verified_mark(
    tt16, reference
):
    shipped = {c.code: c for c in tt16.criteria.select_related("level", "group")}
    for row in reference["criteria"]:
        criterion = shipped[row["id"]]
        assert criterion.tiers == [TIERS[tier] for tier in row["tiers"]], row["id"]
        assert criterion.verified is bool(row["verified"]), row["id"]
        assert criterion.group.code == row["group"]
        assert criterion.article == ("" if row["article"] == "unknown" else str(row["article"]))
        level = None if row["level"] == "unknown" else row["level"]
        assert (criterion.level.code if criterion.level else None) == level
        threshold = row["threshold"] or {}
        if isinstance(threshold.get("value"), int | float):
            assert criterion.judgement == Judgement.THRESHOLD
            assert criterion.threshold == Decimal(str(threshold["value"]))
            assert criterion.operator == threshold["op"]
        else:
            assert criterion.judgement == Judgement.YES_NO
    assert {group.code for group in tt16.groups.all()} == {g["id"] for g in reference["groups"]}
    assert [level.code for level in tt16.levels.all()] == ["muc1", "muc2"]


def test_the_copies_per_teacher_are_a_criterion_of_their_own(tt16):
    teacher = tt16.criteria.get(code="THPT.TNTT.1.b.teacher")
    student = tt16.criteria.get(code="THPT.TNTT.1.b")
    assert (student.threshold, student.per) == (Decimal(5), "student")
    assert (teacher.threshold, teacher.per, teacher.unit_label) == (Decimal(1), "teacher", "bộ")
    assert teacher.meets(Decimal(1)) is True and student.meets(Decimal("4.9")) is False


def test_the_historical_framework_ships_with_its_three_levels(db):
    services.ship_frameworks()
    old = Framework.objects.get(code="qd01-2003")
    assert old.historical
    assert [level.code for level in old.current.levels.all()] == [
        "dat_chuan",
        "tien_tien",
        "xuat_sac",
    ]


def test_shipping_again_adds_nothing(tt16):
    assert services.ship_frameworks() == []
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_a_file_written_reads_back_as_the_same_framework(tt16, fmt):
    data = framework_files.data_of(tt16)
    content = (framework_files.write_yaml if fmt == "yaml" else framework_files.write_xlsx)(data)
    assert framework_files.read(content, f"tt16.{fmt}") == data


def test_an_imported_file_is_the_next_version_and_the_old_one_stays(tt16):
    data = framework_files.data_of(tt16)
    data.criteria[0].name = "Tên đã sửa"
    version = services.import_framework(data, note="Sửa tên")
    assert version.number == tt16.number + 1
    assert version.criteria.get(code=data.criteria[0].code).name == "Tên đã sửa"
    assert tt16.criteria.get(code=data.criteria[0].code).name != "Tên đã sửa"
    assert version.criteria.count() == tt16.criteria.count()


def _yaml_with(tt16, change) -> bytes:
    document = yaml.safe_load(framework_files.write_yaml(framework_files.data_of(tt16)))
    change(document)
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


def _first(document):
    return document["criteria"][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: _first(d).update(tiers=["dai_hoc"]), r"không rõ cấp học “dai_hoc”"),
        (
            lambda d: d["criteria"][1].update(threshold="hai bản"),
            r"ngưỡng “hai bản” không phải là số",
        ),
        (lambda d: _first(d).update(group="XYZ"), r"nhóm “XYZ” không thuộc"),
        (lambda d: _first(d).update(level="muc9"), r"mức “muc9” không thuộc"),
        (lambda d: d["criteria"].append(dict(_first(d))), r"xuất hiện hai lần"),
        (lambda d: d.update(format="other/2"), r"không phải tệp khung tiêu chuẩn"),
        (lambda d: d["framework"].update(issued_on="22 tháng 11"), r"không phải là ngày"),
        (lambda d: _first(d).update(article="Điều " * 20), r"“article” dài hơn 40 ký tự"),
    ],
)
def test_a_bad_file_is_refused_whole_with_a_vietnamese_message(tt16, change, message):
    content = _yaml_with(tt16, change)
    with pytest.raises(FrameworkFileError, match=message):
        framework_files.read(content, "sua.yaml")
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1


def test_every_problem_of_a_file_is_reported_at_once_with_where_it_is(tt16):
    def two_problems(document):
        document["criteria"][1]["threshold"] = "nhiều"
        document["criteria"][2]["tiers"] = ["cao_dang"]

    with pytest.raises(FrameworkFileError) as raised:
        framework_files.read(_yaml_with(tt16, two_problems), "sua.yaml")
    problems = raised.value.problems
    assert len(problems) == 2
    codes = [c.code for c in tt16.criteria.all()[1:3]]
    assert all(f"“{code}”" in problem for code, problem in zip(codes, problems, strict=True))


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a framework", "khung.pdf", r"\.yaml, \.yml hoặc \.xlsx"),
        (b"criteria: [unclosed", "khung.yaml", r"không phải YAML hợp lệ"),
        (b"\xff\xfe\x00b", "khung.yaml", r"không phải văn bản UTF-8"),
        (b"PK\x03\x04 broken", "khung.xlsx", r"không phải sổ tính Excel"),
    ],
)
def test_a_file_that_is_not_a_framework_says_so(content, name, message):
    with pytest.raises(FrameworkFileError, match=message):
        framework_files.read(content, name)


def test_a_workbook_without_the_criteria_sheet_names_it(tt16):
    book = load_workbook(io.BytesIO(framework_files.write_xlsx(framework_files.data_of(tt16))))
    del book["Tiêu chí"]
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FrameworkFileError, match=r"không có trang “Tiêu chí”"):
        framework_files.read(out.getvalue(), "khung.xlsx")


def test_a_workbook_row_with_a_bad_threshold_is_named_by_its_row(tt16):
    book = load_workbook(io.BytesIO(framework_files.write_xlsx(framework_files.data_of(tt16))))
    sheet = book["Tiêu chí"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=header.index("threshold") + 1, value="năm")
    sheet.cell(row=3, column=header.index("judgement") + 1, value="threshold")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FrameworkFileError, match=r"Tiêu chí, dòng 3: ngưỡng “năm”"):
        framework_files.read(out.getvalue(), "khung.xlsx")


def test_a_correction_makes_the_next_version_and_leaves_the_old_criterion(tt16):
    criterion = tt16.criteria.get(code="THCS.TNTT.1.b")
    corrected = services.correct_criterion(
        criterion, by=None, change="Theo văn bản gốc", threshold=Decimal("4.5"), verified=True
    )
    assert corrected.version.number == tt16.number + 1
    assert corrected.threshold == Decimal("4.5")
    criterion.refresh_from_db()
    assert criterion.threshold == Decimal(4)
    assert Criterion.objects.filter(version=corrected.version).count() == tt16.criteria.count()
    with pytest.raises(services.StandardsError, match=r"phiên bản 1.*phiên bản hiện hành 2"):
        services.correct_criterion(criterion, by=None, change="cũ", threshold=Decimal(3))


def test_the_shipped_criteria_fit_their_columns_on_postgresql(tt16):
    """The longest legal wording is stored whole (text columns): it broke PostgreSQL once."""
    longest = max(tt16.criteria.all(), key=lambda c: len(c.name))
    assert len(longest.name) > 300
