"""What the demo province is made of: its place, its published logins and its Vietnamese names.

Plain data with no randomness and no database: the province and its mail domain, the demo
password and the login shown for each role (with the Vietnamese role labels `demo_logins`
prints), the words that make place names, the historical figures schools are named after, the
family, middle and given names people get, and the kinds of school (`SchoolType`) with their
tiers, sizes and staffing ratios. `plan` draws from these; nothing here imports the rest of the
package.
"""

from __future__ import annotations

from dataclasses import dataclass

from thuvien.organisations.models import Role

DEMO_PASSWORD = "thuvien-demo"  # noqa: S105 — published: every demo account uses it
PROVINCE = "Vĩnh Long"
MAIL_DOMAIN = "vinhlong.edu.vn"

# The login shown for each role: the first member of that role in the demo.
DEMO_USERNAMES: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: "so_admin",
    Role.DEPARTMENT_OFFICER: "so_canbo",
    Role.OFFICE_OFFICER: "phong_canbo",
    Role.PRINCIPAL: "hieutruong",
    Role.LIBRARIAN: "thuvien",
    Role.TEACHER_LIBRARIAN: "gvkiemnhiem",
    Role.TRAINER: "giangvien",
    Role.READER: "bandoc",
}
# The logins of a THPT school directly under the Sở (its package goes to the Sở, not to an office).
THPT_USERNAMES: dict[str, str] = {
    Role.PRINCIPAL: "hieutruong_thpt",
    Role.LIBRARIAN: "thuvien_thpt",
}
# Vietnamese on purpose: `demo_logins` speaks to the person starting the demo, whatever the locale.
ROLE_LABELS_VI: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: "Quản trị Sở GD&ĐT",
    Role.DEPARTMENT_OFFICER: "Cán bộ Sở (tổ nghiệp vụ thư viện)",
    Role.OFFICE_OFFICER: "Cán bộ Phòng Văn hóa – Xã hội",
    Role.PRINCIPAL: "Hiệu trưởng",
    Role.LIBRARIAN: "Nhân viên thư viện",
    Role.TEACHER_LIBRARIAN: "Giáo viên kiêm nhiệm thư viện",
    Role.TRAINER: "Giảng viên (đơn vị đối tác)",
    Role.READER: "Bạn đọc (học sinh)",
}
# A role's later members get this prefix and a key (school code, office number…) as username.
USERNAME_PREFIX: dict[str, str] = {
    Role.DEPARTMENT_ADMIN: "so_qt",
    Role.DEPARTMENT_OFFICER: "so_cb",
    Role.OFFICE_OFFICER: "vhxh",
    Role.PRINCIPAL: "ht",
    Role.LIBRARIAN: "tv",
    Role.TEACHER_LIBRARIAN: "gvkn",
    Role.TRAINER: "gv_dh",
    Role.READER: "bd",
}


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.replace("\n", " ").split(", "))


PLACE_WORDS = _names(
    "Tân, Long, Phú, An, Hòa, Bình, Thạnh, Mỹ, Phước, Hưng, Thới, Lộc, Thuận, Hiệp"
)
FIGURES = _names(
    "Nguyễn Du, Lê Lợi, Trần Hưng Đạo, Võ Thị Sáu, Nguyễn Trãi, Lý Thường Kiệt, Quang Trung, "
    "Hai Bà Trưng, Bà Triệu, Ngô Quyền, Đinh Tiên Hoàng, Lê Quý Đôn, Chu Văn An, "
    "Nguyễn Đình Chiểu, Phan Bội Châu, Phan Châu Trinh, Trần Phú, Lê Hồng Phong, "
    "Nguyễn Thị Minh Khai, Võ Trường Toản, Trương Định, Nguyễn Trung Trực, Lê Văn Tám, Kim Đồng, "
    "Nguyễn Văn Trỗi, Hùng Vương, Lý Tự Trọng, Trần Quốc Toản, Tô Hiến Thành, Phạm Ngũ Lão, "
    "Nguyễn Bỉnh Khiêm, Lương Thế Vinh, Hoàng Hoa Thám, Nguyễn Huệ, Trần Đại Nghĩa, Lưu Văn Liệt, "
    "Phan Văn Trị, Nguyễn Thông, Trương Vĩnh Ký, Huỳnh Thúc Kháng, Nguyễn Khuyến, Tô Vĩnh Diện, "
    "Bế Văn Đàn, Mạc Đĩnh Chi, Lê Thánh Tông, Trần Quang Khải, Yết Kiêu, Đoàn Thị Điểm, "
    "Nguyễn Thị Định, Phan Đình Phùng, Hồ Xuân Hương, Nguyễn Văn Cừ, Lê Anh Xuân, Trần Văn Ơn, "
    "Nguyễn Chí Thanh, Võ Văn Kiệt, Phạm Hùng"
)
_PRESCHOOL_NAMES = _names(
    "Hoa Sen, Hoa Mai, Họa Mi, Sơn Ca, Vàng Anh, Tuổi Thơ, Măng Non, Bình Minh, Hướng Dương, "
    "Ánh Dương, Hoa Phượng, Hoa Cúc, Sao Mai, Rạng Đông, Hoa Hồng, Thỏ Ngọc, Bông Sen, Hoa Lan"
)
# Family names weighted roughly as in the Mekong Delta.
FAMILY = _names(
    "Nguyễn, Nguyễn, Nguyễn, Nguyễn, Nguyễn, Nguyễn, Trần, Trần, Lê, Lê, Phạm, Huỳnh, Huỳnh, Võ, "
    "Phan, Trương, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đoàn, Lâm, Châu, Thái, Tô"
)
MIDDLE = {
    "f": _names("Thị, Thị, Thị, Thị, Ngọc, Thanh, Thu, Kim, Mỹ, Bảo, Hồng, Diễm"),
    "m": _names("Văn, Văn, Văn, Minh, Hữu, Quốc, Thanh, Đức, Công, Hoàng, Trung"),
}
GIVEN = {
    "f": _names(
        "Lan, Hương, Hoa, Mai, Trang, Thảo, Ngân, Nhung, Hạnh, Linh, Phương, Yến, Trinh, Tuyết, "
        "Hằng, Diễm, Thủy, Vy, Nhi, Ngọc, Loan, Huyền, Oanh, Châu, Tiên, Hân"
    ),
    "m": _names(
        "Hùng, Dũng, Tuấn, Minh, Phúc, Khang, Bảo, Long, Tâm, Thành, Hải, Sơn, Trí, Nghĩa, Hiếu, "
        "Toàn, Phát, Lộc, Khoa, Đạt, Nhân, Thiện, Quang, Vinh, Tài"
    ),
}


@dataclass(frozen=True)
class SchoolType:
    prefix: str
    tiers: tuple[str, ...]
    students: tuple[int, int]
    per_teacher: int
    per_class: int
    names: tuple[str, ...] = FIGURES


HAS_PRE, HAS_PRI, HAS_LOW, HAS_UP = (
    "has_preschool",
    "has_primary",
    "has_lower_secondary",
    "has_upper_secondary",
)
PRESCHOOL = SchoolType("Trường Mầm non", (HAS_PRE,), (120, 450), 12, 26, _PRESCHOOL_NAMES)
PRIMARY = SchoolType("Trường Tiểu học", (HAS_PRI,), (250, 1300), 21, 33)
LOWER = SchoolType("Trường THCS", (HAS_LOW,), (300, 1500), 19, 40)
PRIMARY_LOWER = SchoolType("Trường TH&THCS", (HAS_PRI, HAS_LOW), (250, 900), 20, 32)
LOWER_UPPER = SchoolType("Trường THCS và THPT", (HAS_LOW, HAS_UP), (500, 1200), 19, 40)
UPPER = SchoolType("Trường THPT", (HAS_UP,), (700, 2200), 19, 42)
CENTRE = SchoolType("Trung tâm GDNN-GDTX", (HAS_UP,), (300, 900), 25, 40, names=())
# Schools under the commune/ward offices, by how common they are.
OFFICE_SCHOOL_WEIGHTS = ((PRESCHOOL, 36), (PRIMARY, 34), (LOWER, 24), (PRIMARY_LOWER, 6))
