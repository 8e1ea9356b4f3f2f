"""The fields of a reader list: our headers, those of the school-management systems' exports,
the words of the reader type; the mapping of a file's headers to them (guessed, checked, chosen
on the columns page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.circulation.models import ReaderKind
from thuvien.core.folding import fold
from thuvien.core.spreadsheets import Column

# Our fields, each with the header of our template and the headers of vnEdu, SMAS and CSDL
# ngành exports. "Giới tính" and the like are no field of ours: left out.
FIELDS = (
    Column("code", "Mã bạn đọc", gettext_lazy(
        "Required. The student's code from the school-management system (vnEdu, SMAS, CSDL "
        "ngành) or the staff code: letters, digits, dots, dashes or underscores. A code the "
        "school already has updates that reader."), True,
        ("Mã học sinh", "Mã định danh", "Mã số", "Mã HS", "Mã giáo viên", "Mã GV", "Mã cán bộ",
         "Mã định danh học sinh", "Mã thẻ", "Số thẻ", "Reader code", "Code"), 18),
    Column("full_name", "Họ và tên", gettext_lazy(
        "Required, or the two columns “Họ và tên đệm” and “Tên” of a split name."), True,
        ("Họ tên", "Họ và tên học sinh", "Họ tên học sinh", "Họ và tên giáo viên", "Tên học sinh",
         "Full name"), 28),
    Column("birth_date", "Ngày sinh", gettext_lazy("dd/mm/yyyy, e.g. 02/03/2014."), False,
           ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Date of birth"), 14),
    Column("class_name", "Lớp", gettext_lazy("E.g. 6A1."), False,
           ("Tên lớp", "Lớp học", "Class"), 10),
    Column("grade", "Khối", gettext_lazy("1 to 12. Empty: read from the class (6A1 → 6)."),
           False, ("Khối lớp", "Grade"), 8),
    Column("kind", "Loại bạn đọc", gettext_lazy(
        "Học sinh, Giáo viên or Nhân viên. Empty: Học sinh."), False,
        ("Đối tượng", "Loại", "Reader type"), 14),
    Column("school_year", "Năm học", gettext_lazy(
        "E.g. 2025-2026. Empty: the current school year."), False, ("School year",), 12),
    # A split name, as SMS exports often give it: joined with a space.
    Column("last_name", "Họ và tên đệm", "", False,
           ("Họ đệm", "Họ và đệm", "Họ, tên đệm", "Họ tên đệm", "Họ"), 20),
    Column("first_name", "Tên", "", False, ("Tên gọi", "Given name"), 10),
)  # fmt: skip
FIELD_KEYS = tuple(column.key for column in FIELDS)
# The template's columns: the full name in one.
TEMPLATE_FIELDS = tuple(c for c in FIELDS if c.key not in {"last_name", "first_name"})
NAME_PARTS = ("last_name", "first_name")
FIELD_LABELS = {
    "code": gettext_lazy("Reader code"),
    "full_name": gettext_lazy("Full name"),
    "birth_date": gettext_lazy("Date of birth"),
    "class_name": gettext_lazy("Class"),
    "grade": gettext_lazy("School grade"),
    "kind": gettext_lazy("Reader type"),
    "school_year": gettext_lazy("School year"),
    "last_name": gettext_lazy("Family and middle name"),
    "first_name": gettext_lazy("Given name"),
}
KIND_WORDS = {value: value for value in ReaderKind.values} | {
    "hoc sinh": ReaderKind.STUDENT,
    "hs": ReaderKind.STUDENT,
    "giao vien": ReaderKind.TEACHER,
    "gv": ReaderKind.TEACHER,
    "nhan vien": ReaderKind.STAFF,
    "nv": ReaderKind.STAFF,
    "can bo": ReaderKind.STAFF,
    "can bo, nhan vien": ReaderKind.STAFF,
    "can bo nhan vien": ReaderKind.STAFF,
}
ACTIONS = {"create": gettext_lazy("Add as new"), "update": gettext_lazy("Update")}


def guess_mapping(headers: Iterable[str]) -> dict[str, str]:
    """Header → field key for the headers we recognise (after folding), each field once; the
    two parts of a name only when no column holds the full name (SMAS adds a "Tên" to sort by)."""
    mapping: dict[str, str] = {}
    for header in headers:
        folded = fold(header)
        column = next((c for c in FIELDS if folded and c.matches(folded)), None)
        if column is not None and column.key not in mapping.values():
            mapping[header] = column.key
    if "full_name" in mapping.values():
        mapping = {h: key for h, key in mapping.items() if key not in NAME_PARTS}
    return mapping


def check_mapping(mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping chosen on the screen (empty when it can be used)."""
    problems = []
    keys = [key for key in mapping.values() if key]
    if "code" not in keys:
        problems.append(_("Choose the column that holds the reader code."))
    parts = [key for key in NAME_PARTS if key in keys]
    if "full_name" in keys and parts:
        problems.append(
            _("Choose either the full name or its two parts (family and middle name, given "
              "name), not both.")
        )  # fmt: skip
    elif "full_name" not in keys and len(parts) < 2:
        problems.append(
            _("Choose the column that holds the full name, or the two columns of the family and "
              "middle name and the given name.")
        )  # fmt: skip
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(
            _("Two columns are mapped to “%(field)s”: keep one.") % {"field": FIELD_LABELS[key]}
        )
    unknown = [key for key in keys if key not in FIELD_KEYS]
    if unknown:
        problems.append(_("Unknown field: %(field)s.") % {"field": ", ".join(unknown)})
    return problems


class MappingForm(forms.Form):
    """One select a header of the file: which of our fields its column holds."""

    def __init__(self, headers: list[str], mapping: dict[str, str], *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.headers = [header for header in headers if header]
        choices = [("", _("— not imported —"))] + [(k, FIELD_LABELS[k]) for k in FIELD_KEYS]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.mapping = {
            header: cleaned.get(f"column_{index}", "") for index, header in enumerate(self.headers)
        }
        for problem in check_mapping(self.mapping):
            self.add_error(None, problem)
        return cleaned
