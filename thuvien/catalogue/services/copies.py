"""A school's collections, its numbering, and its copies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from thuvien.catalogue.models import (
    AcquisitionBatch,
    Collection,
    Copy,
    CopyStatus,
    DocType,
    Record,
    Sequence,
    Source,
)
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.organisations.models import Unit


@dataclass(frozen=True)
class CollectionPlan:
    code: str
    name: Any
    doc_type: str
    prefix: str


# The collections a school library usually keeps, with the prefixes schools use.
USUAL_COLLECTIONS = (
    CollectionPlan("SGK", gettext_lazy("Textbooks"), DocType.TEXTBOOK, "SGK."),
    CollectionPlan("SGV", gettext_lazy("Teachers' books"), DocType.TEACHER_BOOK, "SGV."),
    CollectionPlan("SNV", gettext_lazy("Professional books"), DocType.PROFESSIONAL, "SNV."),
    CollectionPlan("STK", gettext_lazy("Reference books"), DocType.REFERENCE, "STK."),
    CollectionPlan("STN", gettext_lazy("Children's books"), DocType.CHILDREN, "STN."),
    CollectionPlan("BTC", gettext_lazy("Newspapers and periodicals"), DocType.PERIODICAL, "BTC."),
    CollectionPlan("TLK", gettext_lazy("Maps, pictures and other materials"), DocType.MAP, "TLK."),
)


@transaction.atomic
def set_up_collections(
    school: Unit, *, per_school: bool = False, prefix: str = ""
) -> list[Collection]:
    """The usual collections of a school, numbered per collection (each with its prefix) or per
    school (one sequence for all). Collections already there are kept as they are."""
    if school.kind != "school":
        raise CatalogueError(_("Only a school keeps a collection."))
    shared = Sequence.objects.get_or_create(school=school, prefix=prefix)[0] if per_school else None
    made = []
    for plan in USUAL_COLLECTIONS:
        sequence = shared or Sequence.objects.get_or_create(school=school, prefix=plan.prefix)[0]
        collection, _created = Collection.objects.get_or_create(
            school=school,
            code=plan.code,
            defaults={"name": str(plan.name), "doc_type": plan.doc_type, "sequence": sequence},
        )
        made.append(collection)
    return made


def collection_for(school: Unit, doc_type: str) -> Collection:
    """The school's collection for a document type (made with the usual ones if missing)."""
    collections = {c.doc_type: c for c in Collection.objects.filter(school=school)}
    if not collections:
        collections = {c.doc_type: c for c in set_up_collections(school)}
    return (
        collections.get(doc_type)
        or collections.get(DocType.REFERENCE)
        or next(iter(collections.values()))
    )


def take_numbers(sequence: Sequence, count: int) -> range:
    """`count` new numbers of the sequence, under a row lock: never given twice, never reused."""
    locked = Sequence.objects.select_for_update().get(pk=sequence.pk)
    first = locked.last_number + 1
    locked.last_number += count
    locked.save(update_fields=["last_number"])
    return range(first, first + count)


@transaction.atomic
def add_copies(
    record: Record,
    *,
    school: Unit,
    count: int,
    by: Any,
    collection: Collection | None = None,
    batch: AcquisitionBatch | None = None,
    price_vnd: int | None = None,
    source: str | None = None,
    donor: str = "",
    location: str = "",
    notes: str = "",
    registered_on: dt.date | None = None,
) -> list[Copy]:
    """Add `count` copies of a record to the school in one action: each gets the next
    registration number of its collection's sequence and that number as its barcode."""
    if not 1 <= count <= 1000:
        raise CatalogueError(_("Add between 1 and 1,000 copies at a time."))
    if record.deleted_at is not None:
        raise CatalogueError(_("This record was merged or deleted; add copies to the record kept."))
    collection = collection or collection_for(school, record.doc_type)
    if collection.school_id != school.pk or (batch is not None and batch.school_id != school.pk):
        raise CatalogueError(_("The collection and the batch must be the school's own."))
    if price_vnd is not None and price_vnd < 0:
        raise CatalogueError(_("The price cannot be negative."))
    source = source or (batch.source if batch else Source.PURCHASE)
    if source == Source.DONATION and not (donor or (batch and batch.supplier)):
        raise CatalogueError(_("Enter the donor of a donation (xã hội hóa)."))
    sequence = collection.sequence
    day = registered_on or (batch.received_on if batch else timezone.localdate())
    copies = []
    for number in take_numbers(sequence, count):
        registration = sequence.format(number)
        copies.append(
            Copy(
                school=school,
                record=record,
                collection=collection,
                sequence=sequence,
                number=number,
                registration_number=registration,
                barcode=registration,
                location=location,
                price_vnd=price_vnd,
                source=source,
                donor=donor or (batch.supplier if batch and source == Source.DONATION else ""),
                batch=batch,
                notes=notes,
                registered_on=day,
            )
        )
    try:
        with transaction.atomic():
            return bulk_create_with_history(copies, Copy, default_user=by)
    except IntegrityError as error:
        raise CatalogueError(
            _(
                "A registration number or barcode of these copies is already in use in the "
                "school; nothing was added."
            )
        ) from error


EDITABLE_COPY_FIELDS = (
    "barcode",
    "location",
    "price_vnd",
    "source",
    "donor",
    "notes",
    "collection",
)


@transaction.atomic
def update_copy(copy: Copy, *, by: Any, **changes: Any) -> Copy:
    """Change a copy's barcode, place, price, source or notes (never its registration number)."""
    unknown = set(changes) - set(EDITABLE_COPY_FIELDS) - {"status"}
    if unknown:
        raise CatalogueError(
            _("The registration number of a copy is never changed once registered.")
        )
    locked = Copy.objects.select_for_update().get(pk=copy.pk)
    if "status" in changes:
        if changes["status"] == CopyStatus.WITHDRAWN or locked.status == CopyStatus.WITHDRAWN:
            raise CatalogueError(_("A copy is withdrawn only through an approved withdrawal."))
        if changes["status"] == CopyStatus.ON_LOAN or locked.status == CopyStatus.ON_LOAN:
            raise CatalogueError(_("A copy goes on loan and comes back at the loan desk."))
    barcode = changes.get("barcode")
    if barcode is not None:
        barcode = barcode.strip()
        if not barcode:
            raise CatalogueError(_("Enter the barcode (the registration number is the usual one)."))
        if (
            Copy.objects.filter(school_id=locked.school_id, barcode=barcode)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise CatalogueError(
                _("Another copy of the school already has barcode %(code)s.") % {"code": barcode}
            )
        changes["barcode"] = barcode
    collection = changes.get("collection")
    if collection is not None and collection.school_id != locked.school_id:
        raise CatalogueError(_("The collection must be the school's own."))
    for name, value in changes.items():
        setattr(locked, name, value)
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save()
    return locked
