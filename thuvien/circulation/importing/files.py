"""The template of a reader list: our headers, two example rows that import cleanly, the guide."""

from __future__ import annotations

import datetime as dt

from thuvien.circulation.importing.columns import TEMPLATE_FIELDS
from thuvien.core.spreadsheets import build_template


def template_bytes() -> bytes:
    examples = [
        ["HS0101", "Nguyễn Thị Mai", dt.date(2014, 3, 2), "6A1", 6, "Học sinh", "2025-2026"],
        ["GV0101", "Trần Văn Bình", dt.date(1985, 11, 20), "", "", "Giáo viên", ""],
    ]
    return build_template(TEMPLATE_FIELDS, examples, "Danh sách bạn đọc")
