"""manage.py export_marc PATH --school CODE [--format iso2709|marcxml]"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pymarc
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thuvien.catalogue.marc.writer import to_marc, write_iso2709, write_marcxml
from thuvien.catalogue.models import Copy, Record
from thuvien.organisations.models import Unit


def school_records(school: Unit, chunk: int = 1000) -> Iterator[pymarc.Record]:
    """The records the school holds copies of, each with one 852 per copy of the school."""
    ids = list(
        Record.objects.filter(copies__school=school)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        by_record: dict[int, list[Copy]] = {}
        for copy in (
            Copy.objects.filter(school=school, record_id__in=part)
            .select_related("school", "collection", "record")
            .order_by("sequence_id", "number")
        ):
            by_record.setdefault(copy.record_id, []).append(copy)
        for record in Record.objects.filter(pk__in=part).prefetch_related("isbns").order_by("pk"):
            isbns = [(row.isbn13, row.qualifier) for row in record.isbns.all()]
            yield to_marc(record, copies=by_record.get(record.pk, []), isbns=isbns)


class Command(BaseCommand):
    help = "Export the records a school holds copies of, with its copies as 852 holdings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--school", required=True)
        parser.add_argument("--format", choices=["iso2709", "marcxml"], default="iso2709")

    def handle(self, *args: Any, **options: Any) -> None:
        school = Unit.objects.filter(code=options["school"]).first()
        if school is None:
            raise CommandError(_("No school has the code %(code)s.") % {"code": options["school"]})
        write = write_marcxml if options["format"] == "marcxml" else write_iso2709
        with open(options["path"], "wb") as out:
            count = write(school_records(school), out)
        self.stdout.write(_("%(count)s records written.") % {"count": count})
