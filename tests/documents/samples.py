"""Two documents the tests render: a Công văn modelled on a real letter, and a typed BÁO CÁO.

The Công văn follows Sở GD&ĐT Bến Tre's letter 2458/SGD&ĐT-KHTC of 4 December 2017 in its heading,
number, date and subject; its body text and signer are written for the tests.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pypdf
from fontTools.ttLib import TTFont

from thuvien.documents import (
    Appendix,
    Authority,
    BulletList,
    CongVan,
    DocumentType,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from thuvien.documents.pdf import PACKAGE_DIR

VV = (
    "hướng dẫn công tác tự bồi dưỡng chuyên môn nghiệp vụ cho nhân viên, "
    "giáo viên kiêm nhiệm thư viện trường học"
)
SIGNER = "Lê Thị Thanh Hương"


def schools_table(rows: int) -> Table:
    return Table(
        header=[["STT", "Đơn vị", "Số người tham gia", "Hoàn thành", "Ghi chú"]],
        rows=[
            [str(n), f"Trường THPT số {n} huyện Châu Thành", str(n % 7 + 1), str(n % 5 + 1), ""]
            for n in range(1, rows + 1)
        ],
        widths=(1, 6, 2, 2, 2),
        align=("center", "left", "right", "right", "left"),
    )


def cong_van(**changes: object) -> OfficialDocument:
    fields: dict[str, object] = {
        "parent_agency": "UBND TỈNH BẾN TRE",
        "issuing_agency": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "number": 2458,
        "symbol": "SGDĐT-KHTC",
        "place": "Bến Tre",
        "issued_on": datetime.date(2017, 12, 4),
        "kind": CongVan(VV),
        "kinh_gui": [
            "Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố",
            "Hiệu trưởng các trường trung học phổ thông",
        ],
        "body": [
            Paragraph(
                "Nhằm nâng cao năng lực chuyên môn, nghiệp vụ cho nhân viên, giáo viên kiêm nhiệm "
                "thư viện trường học, Sở Giáo dục và Đào tạo hướng dẫn công tác tự bồi dưỡng "
                "như sau:"
            ),
            Heading("1. Nội dung tự bồi dưỡng", level=2),
            BulletList(
                [
                    "Nghiệp vụ thư viện: bổ sung, xử lý kỹ thuật, tổ chức kho và mục lục;",
                    "Ứng dụng công nghệ thông tin trong quản lý thư viện trường học.",
                ]
            ),
            Heading("2. Tổ chức thực hiện", level=2),
            Paragraph(
                "Các đơn vị báo cáo kết quả về Sở (qua Phòng Kế hoạch - Tài chính) theo Phụ lục "
                "đính kèm trước ngày 30 tháng 5 năm 2018."
            ),
        ],
        "signature": Signature(
            "PHÓ GIÁM ĐỐC", SIGNER, authority=Authority.KT, on_behalf_of="GIÁM ĐỐC"
        ),
        "noi_nhan": ["Như trên", "Giám đốc, các PGĐ Sở (để biết)", "Website Sở"],
        "drafting_unit": "KHTC",
        "appendices": [
            Appendix(
                "KẾT QUẢ TỰ BỒI DƯỠNG CỦA NHÂN VIÊN THƯ VIỆN",
                blocks=[schools_table(12)],
            )
        ],
    }
    fields.update(changes)
    return OfficialDocument(**fields)  # type: ignore[arg-type]


def bao_cao(rows: int = 40, **changes: object) -> OfficialDocument:
    fields: dict[str, object] = {
        "parent_agency": "UBND HUYỆN CHÂU THÀNH",
        "issuing_agency": "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "number": 7,
        "symbol": "BC-PGDĐT",
        "place": "Châu Thành",
        "issued_on": datetime.date(2018, 2, 5),
        "kind": DocumentType("BÁO CÁO", "Tổng hợp kết quả tự bồi dưỡng của nhân viên thư viện"),
        "kinh_gui": ["Sở Giáo dục và Đào tạo Bến Tre"],
        "can_cu": [
            "Căn cứ Công văn số 2458/SGDĐT-KHTC ngày 04 tháng 12 năm 2017 của Sở Giáo dục và "
            "Đào tạo về việc hướng dẫn công tác tự bồi dưỡng"
        ],
        "body": [
            Heading("I. KẾT QUẢ THỰC HIỆN"),
            Paragraph("Toàn huyện có 40 trường tham gia, số liệu chi tiết tại Phụ lục kèm theo."),
            Heading("II. KIẾN NGHỊ"),
            Paragraph("Đề nghị Sở tổ chức lớp tập huấn nghiệp vụ thư viện trong năm 2018."),
        ],
        "signature": Signature("TRƯỞNG PHÒNG", "Nguyễn Văn Bình"),
        "noi_nhan": ["Như trên", "Lưu: VT"],
        "appendices": [
            Appendix("TỔNG HỢP THEO TRƯỜNG", blocks=[schools_table(rows)], landscape=True),
        ],
    }
    fields.update(changes)
    return OfficialDocument(**fields)  # type: ignore[arg-type]


COUNTS = ["Số người", "Đã nộp", "Đúng hạn", "Trễ hạn", "Chưa nộp", "Đã đánh giá", "Đạt yêu cầu"]
LEVELS = ["Tốt", "Khá", "Đạt", "Chưa đạt"]


def province_schools_table(rows: int) -> Table:
    """The widest table the platform prints: the Sở's report by school (its appendix II), with the
    same columns and relative widths, managing units, statuses and dd/mm/yyyy dates."""
    header = ["STT", "Trường", "Đơn vị quản lý", *COUNTS, *LEVELS, "Hồ sơ của trường", "Ngày gửi"]
    body = [
        [
            str(n),
            f"Trường Tiểu học Nguyễn Văn Trỗi số {n}",
            f"Phòng Văn hóa – Xã hội xã Phước Long {n % 9 + 1}",
            *(str((n * k) % 9) for k in range(1, len(COUNTS) + len(LEVELS) + 1)),
            "Đã gửi, chờ duyệt (trễ hạn)" if n % 3 else "Đã tiếp nhận",
            f"{n % 28 + 1:02d}/04/2026",
        ]
        for n in range(1, rows + 1)
    ]
    columns = len(COUNTS) + len(LEVELS)
    return Table(
        header=[header],
        rows=body,
        widths=(1, 6, 4, *[1.4] * columns, 3, 2.2),
        align=("center", "left", "left", *["center"] * columns, "left", "center"),
    )


def so_bao_cao(rows: int = 60) -> OfficialDocument:
    """The Sở's final report: no Kính gửi (it reports to no one above), appendices by unit and by
    school, landscape."""
    offices = Table(
        header=[["STT", "Đơn vị", "Số trường", "Đã gửi hồ sơ", *COUNTS, "Báo cáo", "Ngày gửi"]],
        rows=[
            [str(n), f"Phòng Văn hóa – Xã hội xã Phước Long {n}", "12", "11"]
            + [str(n + k) for k in range(len(COUNTS))]
            + ["Đã gửi", f"{n + 10:02d}/04/2026"]
            for n in range(1, 10)
        ],
        widths=(1, 6, 1.6, 1.6, *[1.4] * len(COUNTS), 3, 2.2),
    )
    return bao_cao(
        parent_agency="UBND TỈNH BẾN TRE",
        issuing_agency="SỞ GIÁO DỤC VÀ ĐÀO TẠO BẾN TRE",
        number=None,
        symbol="BC-SGDĐT",
        place="Bến Tre",
        issued_on=datetime.date(2026, 4, 25),
        kinh_gui=[],
        signature=Signature("GIÁM ĐỐC", "Lê Thị Hồng"),
        appendices=[
            Appendix("TỔNG HỢP THEO ĐƠN VỊ", blocks=[offices], landscape=True),
            Appendix(
                "TỔNG HỢP KẾT QUẢ THEO TRƯỜNG",
                blocks=[province_schools_table(rows)],
                landscape=True,
            ),
        ],
    )


def embedded_fonts(pdf: bytes) -> set[tuple[str, str]]:
    """(family and style, version) of every font embedded in a PDF, read from the font program
    itself: the name WeasyPrint gives a font ("ABCDEF+Liberation-Serif-Bold") follows the family
    fontconfig reports, with or without its space, so the version tells the vendored file (or an
    identical copy of it) from another Liberation Serif."""
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor: Any = font["/FontDescriptor"].get_object()
            program = descriptor["/FontFile2"].get_object().get_data()
            name = str(font["/BaseFont"]).split("+", 1)[-1].replace("-", "").replace(" ", "")
            found.add((name, TTFont(io.BytesIO(program))["name"].getDebugName(5)))
    return found


def vendored_version() -> str:
    """The version of the Liberation Serif in `thuvien/documents/fonts/`."""
    font = TTFont(PACKAGE_DIR / "fonts" / "LiberationSerif-Regular.ttf")
    return str(font["name"].getDebugName(5))
