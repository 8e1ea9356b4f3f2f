"""The fields of the catalogue spreadsheet: our headers, those of other lists, the words of
its coded columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from thuvien.catalogue.models import DocType, Source
from thuvien.core.spreadsheets import (
    Column,
)

_MANY = gettext_lazy("Several values separated by “;”.")
# Our fields, each with the header of our template and the headers found in other lists.
FIELDS = (
    Column("title", "Nhan đề", gettext_lazy("Required."), True,
           ("Tên sách", "Tên tài liệu", "Nhan đề chính", "Title", "Tên ấn phẩm"), 40),
    Column("author", "Tác giả", "", False, ("Tác giả chính", "Author", "Tên tác giả"), 28),
    Column("other_authors", "Tác giả khác", _MANY, False, ("Đồng tác giả", "Dịch giả")),
    Column("publisher", "Nhà xuất bản", "", False, ("NXB", "Publisher", "Nhà XB"), 24),
    Column("place", "Nơi xuất bản", "", False, ("Nơi XB", "Place")),
    Column("year", "Năm xuất bản", gettext_lazy("A year, e.g. 2024."), False,
           ("Năm XB", "Năm", "Year", "Năm phát hành"), 12),
    Column("edition", "Lần xuất bản", "", False, ("Lần XB", "Tái bản", "Edition")),
    Column("isbn", "ISBN", _MANY, False, ("Mã ISBN", "Số ISBN"), 18),
    Column("classification", "Ký hiệu phân loại", gettext_lazy("DDC or the school's scheme."),
           False, ("Phân loại", "KHPL", "DDC", "Môn loại", "Mã phân loại")),
    Column("call_number", "Ký hiệu xếp giá", gettext_lazy("Empty: formed by the province's rule."),
           False, ("KHXG", "Ký hiệu xếp giá", "Call number")),
    Column("subjects", "Chủ đề", _MANY, False, ("Từ khóa", "Từ khoá", "Đề mục chủ đề")),
    Column("doc_type", "Loại tài liệu", gettext_lazy("SGK, SGV, SNV, STK, STN, Báo-tạp chí, "
           "Bản đồ-tranh ảnh, Tài liệu số. Empty: STK."), False, ("Loại sách", "Loại")),
    Column("grade", "Lớp", gettext_lazy("Textbooks: 1 to 12."), False, ("Khối", "Khối lớp"), 8),
    Column("school_subject", "Môn học", "", False, ("Môn",)),
    Column("copies", "Số lượng", gettext_lazy("Copies to add; empty: 1 (or the one numbered)."),
           False, ("SL", "Số bản", "Số lượng bản"), 10),
    Column("registration_number", "Số ĐKCB",
           gettext_lazy("Kept as the copy's registration number; empty: the next number."),
           False, ("Số đăng ký cá biệt", "ĐKCB", "Số ĐK cá biệt", "Mã ĐKCB"), 16),
    Column("barcode", "Mã vạch", gettext_lazy("Empty: the registration number."), False,
           ("Barcode", "Mã vạch (barcode)")),
    Column("price", "Giá", gettext_lazy("In đồng, e.g. 23000 or 23.000."), False,
           ("Giá tiền", "Đơn giá", "Giá bìa", "Price", "Thành tiền"), 12),
    Column("location", "Vị trí", "", False, ("Vị trí kệ", "Kệ", "Location")),
    Column("collection", "Kho", gettext_lazy("The code of one of the school's collections."),
           False, ("Mã kho", "Kho sách"), 8),
    Column("source", "Nguồn", gettext_lazy("Mua, Cấp phát or Tặng (xã hội hóa)."), False,
           ("Nguồn bổ sung", "Nguồn gốc"), 12),
    Column("donor", "Người tặng", gettext_lazy("Required for a donation."), False,
           ("Nhà tài trợ", "Đơn vị tặng", "Người/đơn vị tặng"), 20),
    Column("notes", "Ghi chú", "", False, ("Notes",), 30),
)  # fmt: skip
FIELD_KEYS = tuple(column.key for column in FIELDS)
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "author": gettext_lazy("Main author"),
    "other_authors": gettext_lazy("Other authors"),
    "publisher": gettext_lazy("Publisher"),
    "place": gettext_lazy("Place of publication"),
    "year": gettext_lazy("Year of publication"),
    "edition": gettext_lazy("Edition"),
    "isbn": "ISBN",
    "classification": gettext_lazy("Class number"),
    "call_number": gettext_lazy("Call number"),
    "subjects": gettext_lazy("Subjects"),
    "doc_type": gettext_lazy("Document type"),
    "grade": gettext_lazy("Grade"),
    "school_subject": gettext_lazy("School subject"),
    "copies": gettext_lazy("Number of copies"),
    "registration_number": gettext_lazy("Registration number"),
    "barcode": gettext_lazy("Barcode"),
    "price": gettext_lazy("Price (VND)"),
    "location": gettext_lazy("Shelf location"),
    "collection": gettext_lazy("Collection"),
    "source": gettext_lazy("Source"),
    "donor": gettext_lazy("Donor"),
    "notes": gettext_lazy("Notes"),
}
DOC_TYPE_WORDS = {value: value for value in DocType.values} | {
    "sach giao khoa": DocType.TEXTBOOK,
    "sach giao vien": DocType.TEACHER_BOOK,
    "sach nghiep vu": DocType.PROFESSIONAL,
    "sach tham khao": DocType.REFERENCE,
    "sach thieu nhi": DocType.CHILDREN,
    "truyen thieu nhi": DocType.CHILDREN,
    "bao": DocType.PERIODICAL,
    "tap chi": DocType.PERIODICAL,
    "bao tap chi": DocType.PERIODICAL,
    "bao-tap chi": DocType.PERIODICAL,
    "ban do": DocType.MAP,
    "tranh anh": DocType.MAP,
    "ban do-tranh anh": DocType.MAP,
    "tai lieu so": DocType.DIGITAL,
}
SOURCE_WORDS = {value: value for value in Source.values} | {
    "mua": Source.PURCHASE,
    "mua moi": Source.PURCHASE,
    "cap": Source.ALLOCATION,
    "cap phat": Source.ALLOCATION,
    "tang": Source.DONATION,
    "bieu tang": Source.DONATION,
    "xa hoi hoa": Source.DONATION,
    "tang (xa hoi hoa)": Source.DONATION,
}
SOURCE_NAMES = {Source.PURCHASE: "Mua", Source.ALLOCATION: "Cấp phát", Source.DONATION: "Tặng"}
ACTIONS = {
    "create": gettext_lazy("New record"),
    "match": gettext_lazy("Record already in the catalogue"),
}
