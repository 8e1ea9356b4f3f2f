"""The demo province's collections, played through the catalogue's use cases.

`seed_catalogue(today, seed=…)`: the province's shared records (textbooks of the 2018 programme
by grade and subject, teachers' and professional books, reference and children's books, each
catalogued once and held by many schools); every school's collections with an allocation of
its grades' textbooks, a purchase of reference and children's books, a donation (xã hội hóa)
with its donor, a digital resource for some; one withdrawal approved by a principal; the
province's call-number rule and an SRU target (the demo's own /sru).

Deterministic in `seed`; a school that already has copies is left alone, so a second run adds
nothing. `clear_catalogue_data` removes it all.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from stdnum import ean

from thuvien.catalogue.models import (
    AcquisitionBatch,
    CatalogueSettings,
    Collection,
    Copy,
    DigitalResource,
    Record,
    RecordIsbn,
    RecordTerm,
    ResourceKind,
    Sequence,
    Source,
    SruTarget,
    Visibility,
    Withdrawal,
    WithdrawalLine,
)
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import acquisitions, copies, records
from thuvien.core.folding import canonical
from thuvien.organisations.models import Membership, Role, Unit, UnitKind

__all__ = ["clear_catalogue_data", "seed_catalogue"]

SERIES = "Kết nối tri thức với cuộc sống"
SUBJECTS_BY_TIER = {
    "primary": (range(1, 6), ("Tiếng Việt", "Toán", "Tiếng Anh", "Tự nhiên và Xã hội")),
    "lower_secondary": (range(6, 10), ("Ngữ văn", "Toán", "Tiếng Anh", "Khoa học tự nhiên")),
    "upper_secondary": (range(10, 13), ("Ngữ văn", "Toán", "Tiếng Anh", "Lịch sử")),
}
BOOKS = (
    ("Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2020, "895.9223", "stn"),
    ("Cho tôi xin một vé đi tuổi thơ", "Nguyễn Nhật Ánh", "Trẻ", 2018, "895.9223", "stn"),
    ("Tôi thấy hoa vàng trên cỏ xanh", "Nguyễn Nhật Ánh", "Trẻ", 2019, "895.9223", "stn"),
    ("Đất rừng phương Nam", "Đoàn Giỏi", "Kim Đồng", 2021, "895.9223", "stn"),
    ("Góc sân và khoảng trời", "Trần Đăng Khoa", "Kim Đồng", 2019, "895.9221", "stn"),
    ("Lão Hạc", "Nam Cao", "Văn học", 2017, "895.9223", "stk"),
    ("Vợ nhặt", "Kim Lân", "Văn học", 2018, "895.9223", "stk"),
    ("Từ điển tiếng Việt", "Hoàng Phê", "Hồng Đức", 2021, "495.9223", "stk"),
    ("Đại Việt sử ký toàn thư", "Ngô Sĩ Liên", "Văn học", 2019, "959.7", "stk"),
    ("Tuổi thơ dữ dội", "Phùng Quán", "Kim Đồng", 2020, "895.9223", "stn"),
    ("Hướng dẫn nghiệp vụ thư viện trường học", "Bộ Giáo dục và Đào tạo", "Giáo dục Việt Nam",
     2023, "027.8", "snv"),
    ("Phát triển văn hóa đọc trong nhà trường", "Nguyễn Thị Ngọc Thuần", "Đại học Sư phạm",
     2022, "028.9", "snv"),
)  # fmt: skip
DONORS = ("Hội Cha mẹ học sinh", "Công ty TNHH Sách Phương Nam", "Cựu học sinh khóa 2010")


def _isbn(n: int) -> str:
    body = f"978604{n:06d}"
    return body + ean.calc_check_digit(body)


def _member(unit: Unit, roles: tuple[str, ...]) -> Any:
    row = (
        Membership.objects.filter(unit=unit, role__in=roles)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _shared_records(department: Unit) -> tuple[dict[tuple[int, str], list[Record]], list[Record]]:
    textbooks: dict[tuple[int, str], list[Record]] = {}
    number = 1
    for grades, subjects in SUBJECTS_BY_TIER.values():
        for grade in grades:
            for subject in subjects:
                for doc_type in ("sgk", "sgv"):
                    title = (
                        f"{subject} {grade}"
                        if doc_type == "sgk"
                        else f"{subject} {grade} - Sách giáo viên"
                    )
                    data = RecordData(
                        title=title, doc_type=doc_type, grade=grade, school_subject=subject,
                        series=SERIES, publisher="Giáo dục Việt Nam", place="Hà Nội", year=2025,
                        classification="372" if grade <= 5 else "373", language="vie",
                        author="Bộ Giáo dục và Đào tạo", isbns=[(_isbn(number), "")],
                    )  # fmt: skip
                    number += 1
                    found = Record.objects.filter(title=canonical(title), year=2025).first()
                    record = found or records.create_record(data, school=None, by=None)
                    textbooks.setdefault((grade, subject), []).append(record)
    books = []
    for title, author, publisher, year, klass, doc_type in BOOKS:
        found = Record.objects.filter(title=canonical(title), year=year).first()
        books.append(
            found
            or records.create_record(
                RecordData(
                    title=title, author=author, publisher=publisher, year=year,
                    classification=klass, doc_type=doc_type, place="Hà Nội",
                    isbns=[(_isbn(number), "")], subjects=["Văn học Việt Nam"]
                    if klass.startswith("895") else [],
                ),
                school=None,
                by=None,
            )
        )  # fmt: skip
        number += 1
    return textbooks, books


def _school_collection(
    school: Unit, textbooks: dict[tuple[int, str], list[Record]], books: list[Record],
    today: dt.date, rng: random.Random,
) -> None:  # fmt: skip
    librarian = _member(school, (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN, Role.PRINCIPAL))
    copies.set_up_collections(school)
    school_year = today.year if today.month >= 8 else today.year - 1
    allocation = acquisitions.open_batch(
        school, by=librarian, received_on=dt.date(school_year, 8, 15),
        source=Source.ALLOCATION, supplier="Nhà xuất bản Giáo dục Việt Nam",
        invoice_number=f"PX-{school.pk:04d}", total_vnd=0,
    )  # fmt: skip
    for tier in school.tiers:
        grades, subjects = SUBJECTS_BY_TIER.get(tier, (range(0), ()))
        for grade in grades:
            for subject in subjects:
                sgk, sgv = textbooks[(grade, subject)]
                copies.add_copies(
                    sgk,
                    school=school,
                    count=rng.randint(8, 15),
                    by=librarian,
                    batch=allocation,
                    price_vnd=rng.choice((18_000, 23_000, 27_000)),
                )
                copies.add_copies(sgv, school=school, count=2, by=librarian, batch=allocation,
                                  price_vnd=35_000)  # fmt: skip
    purchase = acquisitions.open_batch(
        school, by=librarian, received_on=allocation.received_on + dt.timedelta(days=30),
        source=Source.PURCHASE, supplier="Công ty Sách - Thiết bị trường học",
        invoice_number=f"HĐ {rng.randint(1000, 9999)}",
    )  # fmt: skip
    for book in rng.sample(books, 8):
        copies.add_copies(book, school=school, count=rng.randint(1, 4), by=librarian,
                          batch=purchase, price_vnd=rng.choice((45_000, 68_000, 85_000, 120_000)),
                          location=f"Kệ {rng.choice('ABCD')}{rng.randint(1, 6)}")  # fmt: skip
    donor = rng.choice(DONORS)
    donation = acquisitions.open_batch(
        school, by=librarian, received_on=purchase.received_on + dt.timedelta(days=45),
        source=Source.DONATION, supplier=donor,
    )  # fmt: skip
    for book in rng.sample(books, 3):
        copies.add_copies(book, school=school, count=2, by=librarian, batch=donation)
    if rng.random() < 0.5:
        record = rng.choice(books)
        DigitalResource.objects.create(
            school=school, record=record, kind=ResourceKind.LINK,
            url="https://hanhtrangso.nxbgd.vn/", visibility=Visibility.EVERYONE,
            rights_confirmed=True, added_by=librarian,
        )  # fmt: skip


def _one_withdrawal(school: Unit, today: dt.date) -> None:
    librarian = _member(school, (Role.LIBRARIAN, Role.TEACHER_LIBRARIAN))
    principal = _member(school, (Role.PRINCIPAL,))
    worn = list(Copy.objects.filter(school=school, collection__code="STN").order_by("pk")[:2])
    if not worn or librarian is None or principal is None:
        return
    withdrawal = acquisitions.propose_withdrawal(
        school, [(copy, "Rách nát, mất trang") for copy in worn], by=librarian,
        reason="Thanh lọc sách hư hỏng cuối năm học",
    )  # fmt: skip
    acquisitions.approve_withdrawal(
        withdrawal, by=principal, minutes_number="01/BB-TV",
        minutes_date=today - dt.timedelta(days=20), decision_number="15/QĐ-HT",
    )  # fmt: skip


def seed_catalogue(today: dt.date, *, seed: int) -> None:
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").first()
    if department is None:
        return
    CatalogueSettings.objects.get_or_create(department=department)
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    SruTarget.objects.get_or_create(
        department=department, name="ThuVien (chính máy chủ này)", defaults={"url": f"{site}/sru"}
    )
    rng = random.Random(f"catalogue-{seed}")  # noqa: S311 - demo data, not secrets
    textbooks, books = _shared_records(department)
    schools = list(Unit.objects.schools().filter(is_active=True).order_by("path"))
    first_new = None
    for school in schools:
        if Copy.objects.filter(school=school).exists():
            continue
        _school_collection(school, textbooks, books, today, rng)
        first_new = first_new or school
    if first_new is not None:
        _one_withdrawal(first_new, today)


def clear_catalogue_data() -> None:
    """Delete every copy, batch, withdrawal, collection and record (and their history)."""
    for model in (WithdrawalLine, DigitalResource):
        model.objects.all().delete()
    for kept in (Copy, Withdrawal, AcquisitionBatch, Collection, Sequence):
        kept.objects.all().delete()
        history = getattr(kept, "history", None)
        if history is not None:
            history.all().delete()
    RecordTerm.objects.all().delete()
    RecordIsbn.objects.all().delete()
    Record.objects.all().delete()
    Record.history.all().delete()
    SruTarget.objects.all().delete()
    CatalogueSettings.objects.all().delete()
