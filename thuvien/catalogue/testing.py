"""The catalogue rows of the named test world (`organisations.testing.extend_world`): the
province's shared records, school A1's collections, a batch and copies, a proposed withdrawal,
and the outsider school's own copy of a shared record (which nobody else may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thuvien.catalogue.models import (
    AcquisitionBatch,
    Copy,
    DigitalResource,
    Record,
    ResourceKind,
    Source,
    Withdrawal,
)
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import acquisitions, copies, records
from thuvien.organisations.testing import World

WORLD_DAY = dt.date(2025, 9, 8)


@dataclass
class CatalogueWorld:
    textbook: Record
    novel: Record
    batch: AcquisitionBatch
    copies: list[Copy]
    withdrawal: Withdrawal
    outsider_copy: Copy


def extend_world(world: World) -> CatalogueWorld:
    textbook = records.create_record(
        RecordData(
            title="Tiếng Việt 1",
            part="Tập một",
            doc_type="sgk",
            grade=1,
            school_subject="Tiếng Việt",
            responsibility="Bùi Mạnh Hùng (tổng chủ biên)",
            author="Bùi Mạnh Hùng",
            publisher="Giáo dục Việt Nam",
            place="Hà Nội",
            year=2025,
            classification="372.6",
            isbns=[("978-604-0-35163-0", "")],
        ),
        school=world.school,
        by=world.librarian,
    )
    novel = records.create_record(
        RecordData(
            title="Cho tôi xin một vé đi tuổi thơ",
            author="Nguyễn Nhật Ánh",
            doc_type="stn",
            publisher="Trẻ",
            place="TP. Hồ Chí Minh",
            year=2018,
            classification="895.9223",
            subjects=["Văn học thiếu nhi"],
            isbns=[("9786041123458", "")],
        ),
        school=world.thpt,
        by=world.thpt_librarian,
    )
    copies.set_up_collections(world.school)
    batch = acquisitions.open_batch(
        world.school,
        by=world.librarian,
        received_on=WORLD_DAY,
        source=Source.PURCHASE,
        supplier="Công ty Sách và Thiết bị Bến Tre",
        invoice_number="HĐ 0012345",
        total_vnd=460_000,
    )
    made = copies.add_copies(
        textbook, school=world.school, count=3, by=world.librarian, batch=batch, price_vnd=23_000
    )
    made += copies.add_copies(
        novel, school=world.school, count=2, by=world.librarian, batch=batch, price_vnd=85_000
    )
    withdrawal = acquisitions.propose_withdrawal(
        world.school, [(made[-1], "Rách, mất trang")], by=world.librarian, reason="Sách hư hỏng"
    )
    copies.set_up_collections(world.outsider_school)
    outsider_copy = copies.add_copies(
        novel, school=world.outsider_school, count=1, by=world.outsider
    )[0]
    DigitalResource.objects.create(
        school=world.school,
        record=textbook,
        kind=ResourceKind.LINK,
        url="https://hanhtrangso.nxbgd.vn/sach-dien-tu/tieng-viet-1",
        rights_confirmed=True,
        added_by=world.librarian,
    )
    return CatalogueWorld(textbook, novel, batch, made, withdrawal, outsider_copy)
