"""The names an official document needs that the unit tree does not hold as units: the governing
body printed above an agency's name (tên cơ quan, tổ chức chủ quản, Nghị định 30/2020) and the
place of issue.

A commune's culture–society office answers to the commune's People's Committee, a district office
to the district's, the department to the province's: "Phòng Văn hóa – Xã hội phường An Hội" →
"UBND PHƯỜNG AN HỘI"; "Sở Giáo dục và Đào tạo tỉnh Vĩnh Long" → "UBND TỈNH VĨNH LONG". A school's
governing body is its supervising unit. Read from the names, which follow the official patterns;
an unrecognised name gives "" (the document then prints no governing body rather than a wrong one).
"""

from __future__ import annotations

import re

from thuvien.organisations.models import Unit, UnitKind

# Administrative levels, longest first so that "thị xã" wins over "xã".
_LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "huyện", "quận", "phường", "tỉnh", "xã")
# Case matters: "Xã hội" (society) is not "xã" (a commune).
_LEVEL = re.compile(r"\b(" + "|".join(_LEVELS) + r")\s+(.+)$")
# "Sở Giáo dục và Đào tạo Bến Tre" (no "tỉnh"): the province is what follows "Đào tạo".
_DEPARTMENT = re.compile(r"Đào tạo\s+(?:tỉnh\s+|thành phố\s+)?(.+)$", re.IGNORECASE)


def locality(unit: Unit) -> tuple[str, str] | None:
    """(level, name) of the locality an office or department serves, e.g. ("phường", "An Hội")."""
    found = _LEVEL.search(unit.name)
    if found:
        return found.group(1).lower(), found.group(2).strip()
    if unit.kind == UnitKind.DEPARTMENT:
        province = _DEPARTMENT.search(unit.name)
        if province:
            return "tỉnh", province.group(1).strip()
    return None


def governing_agency(unit: Unit, supervisor: Unit | None = None) -> str:
    """The line above the agency's name, in capitals ("" when it cannot be told)."""
    if unit.kind in (UnitKind.OFFICE, UnitKind.DEPARTMENT):
        where = locality(unit)
        return f"UBND {where[0]} {where[1]}".upper() if where else ""
    return supervisor.name.upper() if supervisor is not None else ""


def place_of_issue(unit: Unit) -> str:
    """The place printed before the date: the locality's name ("An Hội", "Vĩnh Long")."""
    where = locality(unit)
    return where[1] if where else ""
