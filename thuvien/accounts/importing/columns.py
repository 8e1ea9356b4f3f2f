"""The staff spreadsheet's format: its columns, the words it accepts, and the template to fill in.

`COLUMNS` names and explains each column of the file (Vietnamese headings, with the aliases
people type); `ROLE_WORDS`, `QUALIFICATION_WORDS` and `READER_CATEGORY_WORDS` map what a cell may
say — a stored value or its unaccented Vietnamese name — to the value stored; `staff_template`
builds the spreadsheet offered for download, with example rows that import cleanly for the person
downloading it. Reading the rows of an uploaded file against these is `rows`'s job.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from thuvien.access import Scope
from thuvien.accounts.models import Qualification
from thuvien.core.spreadsheets import Column, build_template
from thuvien.organisations.models import ReaderCategory, Role, Unit, UnitKind

COLUMNS = (
    Column("full_name", "Họ và tên", required=True, width=28),
    Column(
        "username",
        "Tên đăng nhập",
        gettext_lazy("May be empty: it is then made from the e-mail or the name."),
    ),
    Column(
        "email",
        "Email",
        gettext_lazy(
            "An account that already has this e-mail (or username) is reused. A new account "
            "with an e-mail is sent an invitation to choose its password. To give one person "
            "two roles, repeat the row with the same e-mail."
        ),
        aliases=("E-mail", "Thư điện tử"),
        width=30,
    ),
    Column("phone", "Điện thoại", width=16),
    Column(
        "unit",
        "Mã đơn vị",
        gettext_lazy("Ministry code or exact name of a unit you manage."),
        required=True,
        aliases=("Đơn vị", "Đơn vị (mã hoặc tên)"),
        width=28,
    ),
    Column(
        "role",
        "Vai trò",
        gettext_lazy(
            "Quản trị Sở, Cán bộ Sở, Cán bộ phòng, Hiệu trưởng, Nhân viên thư viện, Giáo viên "
            "kiêm nhiệm, Giảng viên or Bạn đọc. The role must suit the kind of unit."
        ),
        required=True,
        width=24,
    ),
    Column(
        "reader_category",
        "Loại bạn đọc",
        gettext_lazy(
            "Readers only, and required for them: Học sinh or Giáo viên (student, teacher). "
            "Leave it empty for every other role."
        ),
        width=16,
    ),
    Column(
        "qualification",
        "Trình độ thư viện",
        gettext_lazy("Không, Chứng chỉ, Trung cấp, Cao đẳng or Đại học (new accounts only)."),
        width=18,
    ),
    Column("valid_from", "Từ ngày", gettext_lazy("dd/mm/yyyy; empty: today."), width=14),
)

ROLE_WORDS = {role.value: role.value for role in Role} | {
    "quan tri so": Role.DEPARTMENT_ADMIN,
    "can bo so": Role.DEPARTMENT_OFFICER,
    "can bo phong": Role.OFFICE_OFFICER,
    "hieu truong": Role.PRINCIPAL,
    "nhan vien thu vien": Role.LIBRARIAN,
    "thu thu": Role.LIBRARIAN,
    "giao vien kiem nhiem": Role.TEACHER_LIBRARIAN,
    "giao vien thu vien kiem nhiem": Role.TEACHER_LIBRARIAN,
    "giang vien": Role.TRAINER,
    "ban doc": Role.READER,
}
QUALIFICATION_WORDS = {q.value: q.value for q in Qualification} | {
    "khong": Qualification.NONE,
    "chung chi": Qualification.CERTIFICATE,
    "trung cap": Qualification.INTERMEDIATE,
    "cao dang": Qualification.COLLEGE,
    "dai hoc": Qualification.UNIVERSITY,
}
READER_CATEGORY_WORDS = {category.value: category.value for category in ReaderCategory} | {
    "hoc sinh": ReaderCategory.STUDENT,
    "giao vien": ReaderCategory.TEACHER,
}


_EXAMPLE_ROLE: dict[str, str] = {
    UnitKind.SCHOOL: "Nhân viên thư viện",
    UnitKind.OFFICE: "Cán bộ phòng",
    UnitKind.DEPARTMENT: "Cán bộ Sở",
    UnitKind.PARTNER: "Giảng viên",
}


def staff_template(scope: Scope) -> bytes:
    """The template, with example rows that import cleanly for the person downloading it."""
    # The example names the first school in scope, else the scope's own unit: by id and depth,
    # not by path, whose text order is not numeric (/9/ sorts after /10/).
    visible = Unit.objects.visible_to(scope).active()
    unit = visible.schools().order_by("pk").first() or visible.order_by("depth", "pk").first()
    examples: list[list[Any]] = []
    if unit is not None:
        name, today = unit.code or unit.name, timezone.localdate()
        examples.append(
            [
                "Nguyễn Thị Mẫu",
                "",
                "nguyenthimau@example.edu.vn",
                "0912 345 678",
                name,
                _EXAMPLE_ROLE[unit.kind],
                "",
                "Trung cấp",
                today,
            ]
        )
        if unit.kind == UnitKind.SCHOOL:
            examples.append(["Trần Văn Đọc", "", "", "", name, "Bạn đọc", "Học sinh", "", today])
    return build_template(COLUMNS, examples, "Nhân sự")
