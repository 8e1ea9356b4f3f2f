"""A school's numbering and copies: N copies in one action, numbers never reused or edited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from thuvien.catalogue.models import Collection, Copy, CopyStatus, Record, Sequence, Source
from thuvien.catalogue.services import CatalogueError, acquisitions, copies


def test_copies_are_numbered_per_collection_with_its_prefix(world):
    made = Copy.objects.filter(school=world.school).order_by("pk")
    assert [c.registration_number for c in made] == [
        "SGK.000001",
        "SGK.000002",
        "SGK.000003",
        "STN.000001",
        "STN.000002",
    ]
    assert all(c.barcode == c.registration_number for c in made)
    batch = made[0].batch
    assert batch is not None and batch.number == 1
    assert {c.batch_id for c in made} == {batch.pk}


def test_a_school_numbered_per_school_shares_one_sequence(world):
    collections = copies.set_up_collections(world.school_a2, per_school=True, prefix="TV.")
    assert len({c.sequence_id for c in collections}) == 1
    record = Record.objects.get(title="Tiếng Việt 1")
    first = copies.add_copies(record, school=world.school_a2, count=2, by=world.principal_a2)
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    second = copies.add_copies(novel, school=world.school_a2, count=1, by=world.principal_a2)
    assert [c.registration_number for c in first + second] == [
        "TV.000001",
        "TV.000002",
        "TV.000003",
    ]


def test_a_number_is_never_given_twice_even_after_its_copy_is_deleted(world):
    record = Record.objects.get(title="Tiếng Việt 1")
    last = copies.add_copies(record, school=world.school, count=1, by=world.librarian)[0]
    assert last.registration_number == "SGK.000004"
    Copy.history.filter(id=last.pk).delete()
    last.delete()
    again = copies.add_copies(record, school=world.school, count=1, by=world.librarian)[0]
    assert again.registration_number == "SGK.000005"


def test_the_database_refuses_a_duplicate_registration_number(world):
    copy = Copy.objects.filter(school=world.school).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Copy.objects.create(
            school=world.school,
            record=copy.record,
            collection=copy.collection,
            sequence=Sequence.objects.create(school=world.school, prefix="X."),
            number=1,
            registration_number=copy.registration_number,
            barcode="other",
            registered_on=dt.date(2025, 9, 8),
        )


def test_a_copy_keeps_its_registration_number_and_refuses_a_barcode_in_use(world):
    first, second = Copy.objects.filter(school=world.school).order_by("pk")[:2]
    with pytest.raises(CatalogueError, match=r"SGK\.000002"):
        copies.update_copy(first, by=world.librarian, barcode=second.barcode)
    with pytest.raises(CatalogueError):
        copies.update_copy(first, by=world.librarian, registration_number="SGK.999999")
    changed = copies.update_copy(first, by=world.librarian, location="Kệ A2", price_vnd=25_000)
    assert (changed.location, changed.price_vnd) == ("Kệ A2", 25_000)
    assert changed.history.first().history_user == world.librarian
    with pytest.raises(CatalogueError):
        copies.update_copy(first, by=world.librarian, status=CopyStatus.WITHDRAWN)


def test_adding_copies_checks_count_collection_and_donor(world):
    record = Record.objects.get(title="Tiếng Việt 1")
    with pytest.raises(CatalogueError):
        copies.add_copies(record, school=world.school, count=0, by=world.librarian)
    other = Collection.objects.filter(school=world.outsider_school).first()
    with pytest.raises(CatalogueError):
        copies.add_copies(
            record, school=world.school, count=1, collection=other, by=world.librarian
        )
    with pytest.raises(CatalogueError, match=r"tặng|donor"):
        copies.add_copies(
            record, school=world.school, count=1, source=Source.DONATION, by=world.librarian
        )
    donated = copies.add_copies(
        record,
        school=world.school,
        count=2,
        source=Source.DONATION,
        donor="Hội cha mẹ học sinh",
        by=world.librarian,
    )
    assert {c.donor for c in donated} == {"Hội cha mẹ học sinh"}


def test_batches_take_the_next_running_number_of_the_school(world):
    batch = acquisitions.open_batch(
        world.school,
        by=world.librarian,
        received_on=dt.date(2026, 1, 5),
        source=Source.DONATION,
        supplier="Công ty Sách Việt",
    )
    assert batch.number == 2
    other = acquisitions.open_batch(
        world.school_a2, by=world.principal_a2, received_on=dt.date(2026, 1, 5)
    )
    assert other.number == 1
    with pytest.raises(CatalogueError):
        acquisitions.open_batch(
            world.school, by=world.librarian, received_on=dt.date(2026, 1, 5), source="donation"
        )
