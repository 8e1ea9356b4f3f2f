"""A school's collections and their numbering, set by the librarian.

A collection is numbered by the sequence of its prefix: two collections given the same prefix
share one sequence (numbering per school), each its own prefix its own (per collection). A
sequence is never renamed nor renumbered once it has given a number: changing a collection's
prefix moves the collection to the sequence of the new prefix, the copies registered keep their
numbers, and a prefix under which another numbering already gave numbers is refused, so no
registration number is ever given twice.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from thuvien.catalogue.models import Collection, Copy, DocType, Sequence
from thuvien.catalogue.services.errors import CatalogueError
from thuvien.organisations.models import Unit

MIN_DIGITS, MAX_DIGITS = 3, 10
_PREFIX = re.compile(r"[0-9A-Za-zĐđ./\-_]*")


@transaction.atomic
def save_collection(
    school: Unit,
    *,
    code: str,
    name: str,
    doc_type: str,
    prefix: str,
    digits: int,
    public: bool = True,
    collection: Collection | None = None,
) -> Collection:
    """Create a collection of the school, or change one (`collection`), numbered by `prefix`."""
    if not school.is_school:
        raise CatalogueError(_("Only a school keeps a collection."))
    code, name, prefix = code.strip().upper(), name.strip(), prefix.strip()
    if not code or not name:
        raise CatalogueError(_("Enter the collection's code and name."))
    if doc_type and doc_type not in DocType.values:
        raise CatalogueError(_("Choose a document type from the list."))
    if collection is not None:
        collection = Collection.objects.select_for_update().get(pk=collection.pk)
        if collection.school_id != school.pk:
            raise CatalogueError(_("The collection must be the school's own."))
    others = Collection.objects.filter(school=school, code=code)
    if collection is not None:
        others = others.exclude(pk=collection.pk)
    if others.exists():
        raise CatalogueError(
            _("The school already has a collection with code %(code)s.") % {"code": code}
        )
    sequence = _sequence(school, prefix, digits)
    collection = collection or Collection(school=school)
    collection.code, collection.name, collection.doc_type = code, name, doc_type
    collection.public, collection.sequence = public, sequence
    collection.save()
    return collection


def _sequence(school: Unit, prefix: str, digits: int) -> Sequence:
    """The school's sequence of `prefix` (made when new), its digits set while it gave none."""
    if len(prefix) > 12 or not _PREFIX.fullmatch(prefix):
        raise CatalogueError(
            _(
                "A prefix has at most 12 letters, digits or the signs . / - _ and no spaces, "
                "for example “SGK.”."
            )
        )
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise CatalogueError(
            _("The number has between %(low)s and %(high)s digits.")
            % {"low": MIN_DIGITS, "high": MAX_DIGITS}
        )
    sequence = Sequence.objects.select_for_update().filter(school=school, prefix=prefix).first()
    if sequence is None:
        issued = Copy.objects.filter(
            school=school, registration_number__regex=rf"^{re.escape(prefix)}[0-9]+$"
        )
        if issued.exists():
            raise CatalogueError(
                _(
                    "Registration numbers with the prefix “%(prefix)s” were already given in the "
                    "school by another numbering: choose another prefix, so that no number is "
                    "given twice."
                )
                % {"prefix": prefix}
            )
        return Sequence.objects.create(school=school, prefix=prefix, digits=digits)
    if sequence.digits != digits:
        if sequence.last_number:
            raise CatalogueError(
                _(
                    "The numbering “%(prefix)s” has already given numbers up to %(last)s: its "
                    "number of digits stays %(digits)s."
                )
                % {
                    "prefix": prefix or "—",
                    "last": sequence.format(sequence.last_number),
                    "digits": sequence.digits,
                }
            )
        sequence.digits = digits
        sequence.save(update_fields=["digits"])
    return sequence
